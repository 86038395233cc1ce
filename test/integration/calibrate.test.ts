// `starve-lab calibrate` end to end: the model, then the real stack, on a case where they must agree
// (a single block longer than the timeout), and the calibration report. Skipped loudly without the
// real stack, unless STARVE_LAB_REQUIRE_REAL_STACK=1 (CI).

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalibrationSummary } from '../../src/calibration/render-calibration.js';
import { findPythonStack } from '../../src/lab/targets/python-target.js';
import { spawn, type SpawnOptionsWithStdioTuple } from 'node:child_process';
import { CLI, runCli, waitUntil, warmNpx } from '../helpers/run-cli.js';
import { labProcesses, processesWith } from '../helpers/lab-processes.js';

const CASE = fileURLToPath(new URL('../../scenarios/calibration/case.json', import.meta.url));
let missing: string | null = null;
try {
  findPythonStack(true);
} catch (error) {
  missing = (error as Error).message;
  if (process.env['STARVE_LAB_REQUIRE_REAL_STACK'] === '1') throw error;
}

const out = mkdtempSync(join(tmpdir(), 'starve-lab-calibrate-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe.skipIf(missing !== null)('starve-lab calibrate', () => {
  // npx's first use of the package, whole, before any test signals it.
  beforeAll(warmNpx);

  it('runs the model then the real stack and finds them agreeing on a single long block', async () => {
    const grid = join(out, 'grid.json');
    // At a 10 s timeout the 10% tolerance on the first kill (1 s) covers gunicorn's 1 s check period,
    // whose phase against the first heartbeat differs between the two sides (see README, Calibration).
    writeFileSync(grid, JSON.stringify({ name: 'block', cases: [{ name: 't10-single-block', scenario: CASE, changes: { timeoutMs: 10_000, durationMs: 13_000, load: { clients: 1, thinkMs: 30_000, routes: [{ kind: 'cpu', ms: 15_000 }] } } }] }));
    const result = await runCli(['calibrate', grid, '--out', out, '--quiet']);
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(result.stdout).toContain('AGREES');
    const [dir] = readdirSync(join(out, 'calibrate-block'));
    const summary = JSON.parse(readFileSync(join(out, 'calibrate-block', dir ?? '', 'calibration.json'), 'utf8')) as CalibrationSummary;
    expect(summary.verdict).toBe('agrees');
    for (const strategy of summary.cases[0]?.strategies ?? []) {
      expect(strategy.figures.find((f) => f.figure === 'outcome')).toMatchObject({ model: 'killed', real: 'killed', agrees: true });
      expect(strategy.figures.find((f) => f.figure === 'first kill')?.agrees).toBe(true);
    }
    expect(readFileSync(join(out, 'calibrate-block', dir ?? '', 'calibration.md'), 'utf8')).toContain('| t10-single-block | tick-count | first kill |');
  }, 90_000);

  it.each([
    ['Ctrl-C', 'SIGINT', false, false, 130],
    ['SIGTERM (a CI runner cancelling)', 'SIGTERM', false, false, 143],
    ["SIGTERM to the npx wrapper's group", 'SIGTERM', true, true, 'any'],
    ['SIGKILL to its whole process group (a runner ending the job)', 'SIGKILL', true, false, null],
  ] as const)('on %s while the real stack runs: stops it, leaves no process and no half-written file', async (_what, signal, group, npx, code) => {
    const dir = join(out, `interrupted-${signal}-${npx ? 'npx' : group ? 'group' : 'cli'}`);
    const args = ['calibrate', CASE, '--time-scale', '0.1', '--out', dir];
    const options: SpawnOptionsWithStdioTuple<'ignore', 'ignore', 'pipe'> = { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' }, detached: group };
    const child = npx ? spawn('npx', ['--no-install', 'starve-lab', ...args], { ...options, cwd: dirname(dirname(CLI)) }) : spawn(process.execPath, [CLI, ...args], options);
    let stderr = '';
    const realLoad = new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const real = stderr.indexOf('the real stack');
        if (real >= 0 && stderr.indexOf('load running', real) >= 0) resolve();
      });
    });
    // 'close': once every process holding its stderr has gone (through npx, the CLI as well as npm).
    const exited = new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)));
    await Promise.race([realLoad, exited]);
    if (group) process.kill(-(child.pid ?? -1), signal);
    else child.kill(signal);
    const exitCode = await exited;
    // Through npx the exit status is npm's.
    if (code !== 'any') expect(exitCode, stderr).toBe(code);
    // Even SIGKILLed, the real gunicorn (PR_SET_PDEATHSIG) and the lab's processes leave. Through npx
    // the wrapper may exit before the CLI it started has written its interrupted calibration (on a
    // busy runner that takes a while): wait for the CLI itself too, the one process with this --out.
    expect(await waitUntil(() => labProcesses().length === 0 && processesWith(dir).length === 0, 15_000), [...labProcesses(), ...processesWith(dir)].join('\n')).toBe(true);
    expect(readdirSync(dir, { recursive: true }).map(String).filter((file) => file.endsWith('.tmp'))).toEqual([]);
    const [calibration] = readdirSync(join(dir, 'calibrate-case'));
    const summaryFile = join(dir, 'calibrate-case', calibration ?? '', 'calibration.json');
    if (signal === 'SIGKILL') {
      // Killed outright, it wrote no calibration: none is claimed.
      expect(existsSync(summaryFile)).toBe(false);
      return;
    }
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as CalibrationSummary;
    expect(summary.interrupted).toBe(true);
    expect(summary.verdict).toBe('inconclusive');
  }, 120_000);

  it('refuses a case the real stack cannot run, before anything starts', async () => {
    const result = await runCli(['calibrate', 'clock-step-forward', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('clock steps');
  });
});
