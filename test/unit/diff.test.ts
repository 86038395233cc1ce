import { describe, expect, it } from 'vitest';
import { analyseRun } from '../../src/analysis/analyse-run.js';
import { buildReport } from '../../src/report/build-report.js';
import { diffReports } from '../../src/report/diff-reports.js';
import { renderDiffMarkdown, renderDiffTerminal } from '../../src/report/render-diff.js';
import { renderHtml } from '../../src/report/render-html.js';
import { gunicorn, killedTrace, params, survivingTrace } from '../helpers/synthetic-run.js';

const healthy = buildReport(params(), analyseRun(params(), new Map([['tick-count', killedTrace()], ['wall-clock', survivingTrace()]])));
const thinner = buildReport(params(), analyseRun(params(), new Map([['tick-count', killedTrace()], ['wall-clock', survivingTrace(27_000)]])));

describe('diff of two runs', () => {
  it('finds nothing worse between identical runs', () => {
    const diff = diffReports(healthy, healthy);
    expect(diff.worse).toBe(false);
    expect(diff.strategies.map((s) => [s.name, s.killsDelta, s.marginDeltaMs])).toEqual([
      ['tick-count', 0, 0],
      ['wall-clock', 0, 0],
    ]);
  });

  it('flags a margin that shrank and an outcome that got worse', () => {
    const diff = diffReports(healthy, thinner);
    expect(diff.worse).toBe(true);
    const wall = diff.strategies.find((s) => s.name === 'wall-clock');
    expect(wall?.marginDeltaMs).toBe(-11_800);
    expect(wall?.worse).toEqual(['survived → at-risk', 'margin shrank']);
    expect(renderDiffTerminal(diff, { colorLevel: 0 })).toContain('WORSE: survived → at-risk, margin shrank');
    expect(renderDiffMarkdown(diff)).toContain('**WORSE: survived → at-risk, margin shrank**');
  });
});

describe('diff of runs that cannot be ranked', () => {
  const interrupted = { ...healthy, interrupted: true, strategies: healthy.strategies.map((s) => (s.name === 'tick-count' ? { ...s, outcome: 'inconclusive' as const } : s)) };

  it('never ranks an inconclusive side as better: killed -> inconclusive is a re-run, not "nothing got worse"', () => {
    const diff = diffReports(healthy, interrupted);
    expect(diff.inconclusive).toBe(true);
    expect(diff.strategies.find((s) => s.name === 'tick-count')?.worse).toEqual([]);
    const text = renderDiffTerminal(diff, { colorLevel: 0 });
    expect(text).toContain('Inconclusive for tick-count, wall-clock');
    expect(text).not.toContain('Nothing got worse');
  });

  it('says first what the runs were asked to do differently', () => {
    const shorter = buildReport(params({}, { supervisor: gunicorn(10_000) }), analyseRun(params({}, { supervisor: gunicorn(10_000) }), new Map([['tick-count', killedTrace()], ['wall-clock', survivingTrace()]])));
    const diff = diffReports(healthy, shorter);
    expect(diff.paramChanges).toContain('supervisor gunicorn-20, timeout 30.0 s → gunicorn-20, timeout 10.0 s');
    expect(renderDiffMarkdown(diff)).toMatch(/The runs differ in: supervisor gunicorn-20, timeout 30.0 s → gunicorn-20, timeout 10.0 s/);
  });

  it('counts an expectation no longer met as worse', () => {
    const met = { ...healthy, strategies: healthy.strategies.map((s) => ({ ...s, met: true })) };
    const unmet = { ...healthy, strategies: healthy.strategies.map((s) => ({ ...s, met: s.name === 'wall-clock' ? false : true })) };
    const diff = diffReports(met, unmet);
    expect(diff.worse).toBe(true);
    expect(diff.strategies.find((s) => s.name === 'wall-clock')?.worse).toContain('no longer as expected');
  });
});

describe('HTML report', () => {
  it('is one self-contained page with a chart per strategy', () => {
    const html = renderHtml(healthy);
    expect(html).not.toMatch(/(src|href)=["']?https?:/);
    expect(html).toContain("default-src 'none'");
    expect(html.match(/<svg class="chart age-chart"/g)?.length).toBe(2);
    expect(html.match(/data-kind="worker-timeout"/g)?.length).toBe(1);
  });
});
