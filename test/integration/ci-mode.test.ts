// CI mode: a deliberately broken expectation fails the build with exit 1, a readable JUnit file and
// a job summary; --json keeps stdout to the report; a rate expectation is judged over --repeat runs.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/build-report.js';
import { BUILTIN_SCENARIO_DIR } from '../../src/io/load-scenario.js';
import { runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'starve-lab-ci-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Built on concurrent-burst, where tick-count dies at its first timeout in every run (20 of 20).
function brokenScenario(expect: Record<string, unknown>): string {
  const scenario = JSON.parse(readFileSync(join(BUILTIN_SCENARIO_DIR, 'concurrent-burst.json'), 'utf8')) as Record<string, unknown>;
  const file = join(dir, `broken-${Object.keys(expect).join('-')}.json`);
  writeFileSync(file, JSON.stringify({ ...scenario, name: 'broken-build', expect }));
  return file;
}

describe('starve-lab run --ci', () => {
  it('fails a build whose scenario expects tick-count to survive: exit 1, JUnit failure, job summary', async () => {
    const junit = join(dir, 'junit.xml');
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '# earlier steps\n');
    const result = await runCli(['run', brokenScenario({ 'tick-count': 'survives', 'every-tick': 'survives' }), '--ci', '--time-scale', '0.1', '--duration', '40', '--junit', junit, '--out', dir, '--json', '--quiet'], {
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.verdict).toBe('unexpected');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('failures="1"');
    expect(xml).toMatch(/<testcase classname="starve-lab.broken-build" name="tick-count: expected survives"[^>]*>\s*<failure message="tick-count was killed \d×, expected survives">/);
    expect(xml).toMatch(/name="every-tick: expected survives"[^>]*><system-out>/);
    expect(xml).toMatch(/name="wall-clock: no expectation"[^>]*><skipped\/>/);
    const markdown = readFileSync(summary, 'utf8');
    expect(markdown.startsWith('# earlier steps\n')).toBe(true);
    expect(markdown).toContain('**UNEXPECTED**');
    expect(markdown).toContain('tick-count was expected: survives');
  }, 60_000);

  it('refuses a --junit it could only fail to write after the run (a directory) or that would overwrite a saved run, before anything starts', async () => {
    const intoDir = await runCli(['run', 'cpu-burst', '--junit', dir, '--out', join(dir, 'never')]);
    expect(intoDir.code).toBe(2);
    expect(intoDir.stderr).toContain(`Cannot write --junit ${dir}: EISDIR`);
    const runDir = join(dir, 'a-run');
    mkdirSync(runDir);
    writeFileSync(join(runDir, 'params.json'), '{"kept": true}');
    const overRun = await runCli(['run', 'cpu-burst', '--junit', join(runDir, 'params.json'), '--out', join(dir, 'never')]);
    expect(overRun.code).toBe(2);
    expect(overRun.stderr).toContain("would overwrite a saved run's own params.json");
    expect(readFileSync(join(runDir, 'params.json'), 'utf8')).toBe('{"kept": true}');
    expect(existsSync(join(dir, 'never'))).toBe(false);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('judges a rate expectation over repeated runs', async () => {
    const result = await runCli(['run', brokenScenario({ 'tick-count': { killRate: { max: 0.05 } } }), '--ci', '--repeat', '2', '--time-scale', '0.1', '--duration', '40', '--out', dir, '--quiet']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain('killed in           2/2 runs = 100%');
    expect(result.stdout).toContain('killed in at most 5% of runs ✗');
    // The series can be re-reported from its runs' traces alone.
    const seriesDir = /Series directory (.+)/.exec(result.stdout)?.[1] ?? '';
    const again = await runCli(['report', seriesDir]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('killed in           2/2 runs = 100%');
    expect(readFileSync(join(seriesDir, 'series.md'), 'utf8')).toContain('× 2 runs');
  }, 90_000);
});
