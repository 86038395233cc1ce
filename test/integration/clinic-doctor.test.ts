// --clinic doctor: the workers run under Clinic.js Doctor; each strategy gets Doctor's HTML and
// verdict, and a worker whose data a kill cut off is reported as inconclusive, never as a pass.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeFindings } from '../../src/report/wording.js';
import type { Report } from '../../src/report/build-report.js';
import { runCli } from '../helpers/run-cli.js';

const out = mkdtempSync(join(tmpdir(), 'starve-lab-clinic-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('--clinic doctor', () => {
  it("keeps Doctor's HTML and verdict per strategy and calls a cut-off worker inconclusive", async () => {
    const result = await runCli(['run', 'cpu-burst', '--clinic', 'doctor', '--time-scale', '0.1', '--out', out, '--quiet']);
    expect(result.code, result.stderr).toBe(0);
    const dir = join(out, 'cpu-burst');
    const runDir = join(dir, readdirSync(dir)[0] ?? 'missing');
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
    for (const strategy of report.strategies) {
      // The worker still alive at the end is stopped with SIGINT, on which Doctor's sampler flushes.
      const rendered = strategy.doctor.filter((d) => d.html !== null);
      expect(rendered.length, JSON.stringify(strategy.doctor)).toBeGreaterThanOrEqual(1);
      for (const doctor of rendered) {
        expect(existsSync(join(runDir, doctor.html ?? ''))).toBe(true);
        expect(doctor.issueCategory).toMatch(/^(event-loop|io|gc|none|unknown|data)$/);
      }
      expect(strategy.findings.some((finding) => finding.kind === 'doctor')).toBe(true);
    }
    const killed = report.strategies.find((s) => s.name === 'tick-count');
    const cutOff = killed?.doctor.filter((d) => d.html === null) ?? [];
    expect(cutOff.length).toBeGreaterThanOrEqual(1);
    expect(describeFindings(killed?.findings ?? []).join('\n')).toContain('Inconclusive.');
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toContain('Clinic.js Doctor');
  }, 120_000);

  it('refuses another tool name with exit 2', async () => {
    const result = await runCli(['run', 'cpu-burst', '--clinic', 'flame']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Expected --clinic to be `doctor`, got `flame`.');
  });
});
