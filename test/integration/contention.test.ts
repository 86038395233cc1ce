// A host busy with something else: every core burnt by a hog process of the test's own. The run must
// notice from how long its processes waited for a CPU (Linux's run-queue figures, the same on every
// target), run the contended strategy again alone, and, still contended, report it untrusted and
// inconclusive (exit 3 with --ci), never as a plain kill.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { findPythonStack } from '../../src/lab/targets/python-target.js';
import { latestRunDir, readReport } from '../helpers/lab-processes.js';
import { runCli } from '../helpers/run-cli.js';

const out = mkdtempSync(join(tmpdir(), 'starve-lab-contention-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

let hogs: ChildProcess[] = [];
afterEach(() => {
  for (const hog of hogs) if (hog.pid !== undefined) process.kill(-hog.pid, 'SIGKILL');
  hogs = [];
});

/**
 * Two busy loops per core, each ending by itself after `ms` whatever happens to the test. Each in a
 * session of its own, as the lab's processes are: with Linux's autogroup scheduling a session shares
 * the CPU as one, so hogs in the test's own session would barely compete.
 */
function burnEveryCore(ms: number): void {
  hogs = Array.from({ length: 2 * availableParallelism() }, () => spawn(process.execPath, ['-e', `const end = Date.now() + ${ms}; while (Date.now() < end) {}`], { stdio: 'ignore', detached: true }));
}

const linux = existsSync('/proc/self/schedstat');
const realStack = ((): boolean => {
  try {
    findPythonStack(true);
    return true;
  } catch {
    return false;
  }
})();

function expectUntrusted(runDir: string, strategy: string): void {
  const report = readReport(runDir);
  const params = JSON.parse(readFileSync(join(runDir, 'params.json'), 'utf8')) as { rerunAlone: string[] };
  expect(params.rerunAlone).toEqual([strategy]);
  expect(existsSync(join(runDir, 'contended', `${strategy}-1`))).toBe(true);
  expect(report.verdict).toBe('inconclusive');
  const [only] = report.strategies;
  expect(only?.outcome).toBe('inconclusive');
  expect(only?.contention?.contended).toBe(true);
  expect(only?.findings[0]?.kind).toBe('host-contended');
}

describe.skipIf(!linux)('a run on a host whose every core is busy', () => {
  it('on the model: runs the strategy again alone, then reports it untrusted and exits 3', async () => {
    burnEveryCore(60_000);
    const result = await runCli(['run', 'cpu-burst', '--time-scale', '0.05', '--strategies', 'tick-count', '--out', out, '--ci']);
    expect(result.stderr).toMatch(/tick-count: the host was contended \(.*waited for a CPU \d+% of the time .*\); running it again alone/);
    expect(result.stdout).toContain('UNTRUSTED, host busy');
    expect(result.code).toBe(3);
    expectUntrusted(latestRunDir(out, 'cpu-burst'), 'tick-count');
  }, 90_000);

  it.skipIf(!realStack)('on the real gunicorn + uvicorn too', async () => {
    burnEveryCore(90_000);
    const result = await runCli(['run', 'cpu-burst', '--stack', 'real', '--duration', '8', '--timeout', '5', '--strategies', 'wall-clock', '--out', out, '--ci']);
    expect(result.code).toBe(3);
    expectUntrusted(latestRunDir(out, 'cpu-burst'), 'wall-clock');
  }, 120_000);
});
