import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyseRun } from '../../src/analysis/analyse-run.js';
import { buildReport } from '../../src/report/build-report.js';
import { reportJsonSchema } from '../../src/report/report-schema.js';
import { reportSchemaErrors } from '../helpers/report-schema-validator.js';
import { killedTrace, params, survivingTrace } from '../helpers/synthetic-run.js';

describe('report.json schema', () => {
  it('is published up to date with the report type (npm run build regenerates it)', () => {
    const published = JSON.parse(readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8')) as unknown;
    expect(published).toEqual(JSON.parse(JSON.stringify(reportJsonSchema())));
  });

  it('accepts reports whose findings are data, and rejects one with a sentence instead', () => {
    const report = buildReport(params(), analyseRun(params(), new Map([['tick-count', killedTrace()], ['wall-clock', survivingTrace()]])));
    expect(reportSchemaErrors(JSON.parse(JSON.stringify(report)))).toEqual([]);
    expect(report.strategies[0]?.findings[0]?.kind).toBe('tick-lag');
    const withSentence = { ...report, strategies: report.strategies.map((s) => ({ ...s, findings: ['It was killed.'] })) };
    expect(reportSchemaErrors(withSentence).length).toBeGreaterThan(0);
  });

  it('accepts an inconclusive report (lab problems are findings too)', () => {
    const report = buildReport(params(), analyseRun(params(), new Map()));
    expect(report.strategies[0]?.findings[0]).toEqual({ kind: 'lab-problem', detail: { problem: 'master-never-started' } });
    expect(reportSchemaErrors(JSON.parse(JSON.stringify(report)))).toEqual([]);
  });
});
