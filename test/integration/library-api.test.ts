// The programmatic API end to end, as a user's script meets it: the built package imported by name,
// runScenario at compressed time, reportRun from the run directory alone, the same files and verdicts
// as the CLI, and every report valid against the published schema.

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/build-report.js';
import { reportSchemaErrors } from '../helpers/report-schema-validator.js';
import { runCli } from '../helpers/run-cli.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/library-run.mjs', import.meta.url));
let out: string;
let scriptOutput: string;
let scriptCode: number | null;

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path).map((file) => join(name, file)) : [name];
  });
}

/** The run directory a script or the CLI made under `base` (one scenario, one timestamp). */
function onlyRunDir(base: string): string {
  const scenarioDir = join(base, 'cpu-burst');
  const [stamp] = readdirSync(scenarioDir);
  return join(scenarioDir, stamp ?? 'missing');
}

const readReport = (runDir: string): Report => JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'starve-lab-api-'));
  // A user's script, run by node from the package directory: `import ... from 'starve-lab'` resolves
  // to the built package through its own "exports".
  ({ code: scriptCode, output: scriptOutput } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [EXAMPLE, join(out, 'api')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  }));
}, 120_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the library: runScenario and reportRun', () => {
  it('reproduces run cpu-burst --time-scale 0.1 from a ten-line script', () => {
    expect(scriptCode, scriptOutput).toBe(0);
    expect(scriptOutput).toMatch(/tick-count: killed, [1-9]\d* kill\(s\)/);
    expect(scriptOutput).toMatch(/wall-clock: survived, 0 kill\(s\)/);
    const summary = JSON.parse(scriptOutput.trim().split('\n').pop() ?? '{}') as { verdict: string; rebuilt: string };
    expect(summary).toMatchObject({ verdict: 'as-expected', rebuilt: 'as-expected' });
  });

  it('writes the same files and verdicts as the CLI', async () => {
    const cli = await runCli(['run', 'cpu-burst', '--time-scale', '0.1', '--out', join(out, 'cli'), '--quiet']);
    expect(cli.code, cli.stderr).toBe(0);
    const apiDir = onlyRunDir(join(out, 'api'));
    const cliDir = onlyRunDir(join(out, 'cli'));
    // A strategy the host contended is run again alone and its first attempt kept under contended/:
    // that depends on the host at that moment, not on API or CLI (a fresh-clone CI saw it on one side).
    const runFiles = (dir: string): string[] => listFiles(dir).filter((file) => !file.startsWith('contended/')).sort();
    expect(runFiles(apiDir)).toEqual(runFiles(cliDir));
    const outcomes = (report: Report): string[] => report.strategies.map((s) => `${s.name}:${s.outcome === 'killed' ? 'killed' : 'not killed'}`);
    expect(outcomes(readReport(apiDir))).toEqual(outcomes(readReport(cliDir)));
    expect(readReport(apiDir).verdict).toBe(readReport(cliDir).verdict);
    for (const dir of [apiDir, cliDir]) expect(reportSchemaErrors(readReport(dir)), relative(out, dir)).toEqual([]);
  }, 120_000);

  it('rebuilds a report identical to the one the run wrote, findings as data', async () => {
    const { reportRun } = (await import('../../dist/index.js')) as typeof import('../../src/index.js');
    const runDir = onlyRunDir(join(out, 'api'));
    const written = readReport(runDir);
    const rebuilt = reportRun(runDir);
    expect(rebuilt.kind).toBe('run');
    if (rebuilt.kind !== 'run') return;
    expect(JSON.parse(JSON.stringify(rebuilt.report))).toEqual(written);
    expect(readReport(runDir)).toEqual(written);
    const kinds = written.strategies.flatMap((s) => s.findings.map((f) => f.kind));
    expect(kinds).toContain('tick-lag');
    expect(kinds).toContain('checks-in-time');
  });

  it('refuses a runDir that already holds a run, leaving that run as it was', async () => {
    const { runScenario } = (await import('../../dist/index.js')) as typeof import('../../src/index.js');
    const runDir = onlyRunDir(join(out, 'api'));
    const before = readReport(runDir);
    await expect(runScenario('cpu-burst', { timeScale: 0.1, runDir })).rejects.toThrow(/already exists and is not an empty directory/);
    expect(readReport(runDir)).toEqual(before);
  });
});
