// The real stack: real gunicorn 20.x + uvicorn workers (Debian's packages), at real timing, observed
// from outside. Skipped loudly where Python lacks them, unless STARVE_LAB_REQUIRE_REAL_STACK=1 (CI).

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findPythonStack, INSTALL_HINT } from '../../src/lab/targets/python-target.js';
import { eventsOfType } from '../../src/trace/events.js';
import { stackSitePath } from '../../src/io/installed-stacks.js';
import { decodeTrace } from '../../src/trace/decode-trace.js';
import { reportSchemaErrors } from '../helpers/report-schema-validator.js';
import { CLI, runCli } from '../helpers/run-cli.js';
import { labProcesses, latestRunDir, readReport } from '../helpers/lab-processes.js';

const EXAMPLE_APP_DIR = fileURLToPath(new URL('../../examples/python-app/', import.meta.url));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const scenario = (name: string): string => fileURLToPath(new URL(`../fixtures/scenarios/${name}.json`, import.meta.url));

function realStackMissing(): string | null {
  try {
    findPythonStack(true);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

const missing = realStackMissing();
if (missing !== null) {
  if (process.env['STARVE_LAB_REQUIRE_REAL_STACK'] === '1') throw new Error(`The real stack is required here but missing: ${missing}`);
  process.stderr.write(`\n*** SKIPPING the real-stack tests: ${missing}\n*** ${INSTALL_HINT}\n\n`);
}

/** Whether `stacks install NAME` has fetched that stack; where CI requires it (STARVE_LAB_REQUIRE_STACKS), its absence fails. */
function stackInstalled(name: string): boolean {
  try {
    stackSitePath(name);
    return true;
  } catch (error) {
    if ((process.env['STARVE_LAB_REQUIRE_STACKS'] ?? '').split(',').includes(name)) throw error;
    return false;
  }
}

const out = mkdtempSync(join(tmpdir(), 'starve-lab-real-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe.skipIf(missing !== null)('--stack real: real gunicorn + uvicorn', () => {
  it('kills the old rule (WORKER TIMEOUT from the real master) and spares the fixed one', async () => {
    // One strategy at a time: two real workers side by side on 2 cores batch their handlers (README,
    // "Why one at a time"), and wall-clock's 6-7 s gaps at this 10 s timeout are close enough to tip.
    const result = await runCli(['run', scenario('real-short'), '--stack', 'real', '--sequential', '--out', out, '--ci']);
    expect(result.code, result.stderr).toBe(0);
    const runDir = latestRunDir(out, 'real-short');
    const report = readReport(runDir);
    expect(report.stack).toBe('real');
    expect(report.params.versions.gunicorn).toMatch(/^\d+\.\d+/);
    expect(report.params.versions.uvicorn).toMatch(/^\d+\.\d+/);
    expect(report.strategies.map((s) => [s.name, s.outcome === 'killed'])).toEqual([['tick-count', true], ['wall-clock', false]]);
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(readFileSync(join(runDir, 'tick-count', 'master.log'), 'utf8')).toMatch(/\[CRITICAL\] WORKER TIMEOUT \(pid:\d+\)/);
    // The heartbeats the master saw (ctime of the unlinked file), and the workers' own ticks.
    const events = decodeTrace(readFileSync(join(runDir, 'wall-clock', 'trace.jsonl'), 'utf8')).events;
    expect(eventsOfType(events, 'heartbeat').length).toBeGreaterThanOrEqual(3);
    expect(eventsOfType(events, 'tick').length).toBeGreaterThan(20);
    expect(eventsOfType(events, 'worker-start')[0]?.heartbeatFile).toMatch(/wgunicorn-/);
  }, 120_000);

  // Each newer stack `stacks install` fetched: its gunicorn's own master, with the rule its version has.
  for (const name of ['trixie', 'newest']) {
    const required = (process.env['STARVE_LAB_REQUIRE_STACKS'] ?? '').split(',').includes(name);
    const installed = ((): boolean => {
      try {
        stackSitePath(name);
        return true;
      } catch (error) {
        if (required) throw error;
        return false;
      }
    })();
    it.skipIf(!installed)(`on the ${name} stack (starve-lab stacks install ${name}): kills the old rule and spares the fixed one, judged by its gunicorn's monotonic mtime`, async () => {
      const result = await runCli(['run', scenario('real-short'), '--stack', 'real', '--python-stack', name, '--sequential', '--out', join(out, name), '--ci']);
      expect(result.code, result.stderr).toBe(0);
      const runDir = latestRunDir(join(out, name), 'real-short');
      const report = readReport(runDir);
      expect(report.params.versions.pythonStack).toBe(name);
      expect(Number(report.params.versions.gunicorn?.split('.')[0])).toBeGreaterThanOrEqual(22);
      // The scenario names gunicorn-20; the master that ran is gunicorn >= 22, and the report says so.
      expect(report.params.supervisor).toMatchObject({ kind: 'gunicorn', master: 'gunicorn-22' });
      expect(report.strategies.map((s) => [s.name, s.outcome === 'killed'])).toEqual([['tick-count', true], ['wall-clock', false]]);
      expect(readFileSync(join(runDir, 'tick-count', 'master.log'), 'utf8')).toMatch(/\[CRITICAL\] WORKER TIMEOUT \(pid:\d+\)/);
      // gunicorn >= 22 waits for the first notify: the boot is not a heartbeat.
      const events = decodeTrace(readFileSync(join(runDir, 'wall-clock', 'trace.jsonl'), 'utf8')).events;
      expect(eventsOfType(events, 'worker-spawn')[0]?.bootCountsAsBeat).toBe(false);
      expect(eventsOfType(events, 'heartbeat').length).toBeGreaterThanOrEqual(3);
      // Nothing outside the run: gunicorn 26's control socket is off.
      expect(readFileSync(join(runDir, 'wall-clock', 'master.log'), 'utf8')).not.toMatch(/Control socket listening/);
    }, 120_000);
  }

  it("times out the heartbeat thread through a call that keeps the GIL (the /gil route), where pure-Python work lets it run", async () => {
    const result = await runCli(['run', scenario('real-gil-block'), '--stack', 'real', '--out', out, '--ci']);
    expect(result.code, result.stderr).toBe(0);
    const runDir = latestRunDir(out, 'real-gil-block');
    expect(readReport(runDir).strategies.map((s) => [s.name, s.outcome])).toEqual([['thread', 'killed']]);
    expect(readFileSync(join(runDir, 'thread', 'master.log'), 'utf8')).toMatch(/\[CRITICAL\] WORKER TIMEOUT \(pid:\d+\)/);
    // The thread notified before the block, then not until the master's timeout.
    const events = decodeTrace(readFileSync(join(runDir, 'thread', 'trace.jsonl'), 'utf8')).events;
    expect(eventsOfType(events, 'notify').length).toBeGreaterThanOrEqual(1);
    expect(eventsOfType(events, 'request-start').map((e) => e.route)).toContain('gil');
  }, 90_000);

  const newest = stackInstalled('newest');
  it.skipIf(!newest)("runs gunicorn's own ASGI worker (-k asgi, newest stack): a block past the timeout, SIGABRT unanswered, SIGKILL", async () => {
    const result = await runCli(['run', scenario('real-asgi-block'), '--stack', 'real', '--out', out, '--ci']);
    expect(result.code, result.stderr).toBe(0);
    const runDir = latestRunDir(out, 'real-asgi-block');
    const report = readReport(runDir);
    expect(report.strategies.map((s) => [s.name, s.outcome])).toEqual([['gunicorn-asgi', 'killed']]);
    const log = readFileSync(join(runDir, 'gunicorn-asgi', 'master.log'), 'utf8');
    expect(log).toMatch(/\[CRITICAL\] WORKER TIMEOUT \(pid:\d+\)/);
    expect(log).toMatch(/was sent SIGKILL! Perhaps out of memory\?/);
    expect(report.strategies[0]?.findings.map((f) => f.kind)).toContain('abort-waits-for-loop');
    // Its heartbeats are the task's notifies, about a second apart before the block.
    const events = decodeTrace(readFileSync(join(runDir, 'gunicorn-asgi', 'trace.jsonl'), 'utf8')).events;
    expect(eventsOfType(events, 'notify').length).toBeGreaterThanOrEqual(1);
  }, 90_000);

  const trixie = stackInstalled('trixie');
  it.skipIf(!trixie)("runs uvicorn's own process manager (uvicorn --workers 2, trixie's 0.32): a pure-Python burn answers every ping, a GIL hold is SIGKILLed", async () => {
    const result = await runCli(['run', scenario('real-uvicorn-gil'), '--stack', 'real', '--out', out, '--ci']);
    expect(result.code, result.stderr).toBe(0);
    const runDir = latestRunDir(out, 'real-uvicorn-gil');
    const report = readReport(runDir);
    expect(report.strategies.map((s) => [s.name, s.outcome])).toEqual([['pure-python', 'survived'], ['holds-gil', 'killed']]);
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(readFileSync(join(runDir, 'holds-gil', 'master.log'), 'utf8')).toMatch(/Child process \[\d+\] died/);
    expect(report.strategies[1]?.findings.map((f) => f.kind)).toContain('ping-unanswered');
    // The pure-Python burn stalled the loop for seconds, yet its pings were answered at once.
    const pure = decodeTrace(readFileSync(join(runDir, 'pure-python', 'trace.jsonl'), 'utf8')).events;
    expect(eventsOfType(pure, 'ping').every((p) => p.answered)).toBe(true);
    expect(eventsOfType(pure, 'request-start').map((e) => e.route)).toContain('cpu');
  }, 120_000);

  it("refuses uvicorn's process manager on a uvicorn without it, and a healthcheck timeout uvicorn cannot set", async () => {
    const old = await runCli(['run', 'uvicorn-gil', '--stack', 'real', '--python-stack', 'system', '--out', out]);
    expect(old.code).toBe(2);
    expect(old.stderr).toContain("uvicorn's process manager pings its children since uvicorn 0.30");
    expect(old.stderr).toContain('npx starve-lab stacks install trixie');
    if (!trixie) return;
    const fixed = await runCli(['run', 'uvicorn-gil', '--stack', 'real', '--python-stack', 'trixie', '--timeout', '8s', '--out', out]);
    expect(fixed.code).toBe(2);
    expect(fixed.stderr).toContain('uvicorn has --timeout-worker-healthcheck since 0.37');
  });

  it('refuses gunicorn-asgi on a gunicorn older than 24, with the stack that has it', async () => {
    const result = await runCli(['run', 'asgi-worker', '--stack', 'real', '--python-stack', 'system', '--master', 'gunicorn-20', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("gunicorn-asgi is gunicorn's own ASGI worker (-k asgi), which gunicorn has since 24");
    expect(result.stderr).toContain('npx starve-lab stacks install newest');
  });

  it('serves with the HTTP implementation asked (--http h11: plain uvicorn), as uvicorn itself resolved it', async () => {
    const result = await runCli(['run', scenario('real-short'), '--stack', 'real', '--http', 'h11', '--strategies', 'tick-count', '--out', out, '--ci']);
    expect(result.code, result.stderr).toBe(0);
    const runDir = latestRunDir(out, 'real-short');
    const report = readReport(runDir);
    expect(report.params.http).toBe('h11');
    expect(report.params.versions.h11).toMatch(/^\d+\.\d+/);
    expect(report.strategies[0]?.outcome).toBe('killed');
    const listening = eventsOfType(decodeTrace(readFileSync(join(runDir, 'tick-count', 'trace.jsonl'), 'utf8')).events, 'listening');
    expect(listening.length).toBeGreaterThanOrEqual(1);
    expect(listening.every((event) => event.http === 'h11')).toBe(true);
  }, 90_000);

  it("runs the user's own ASGI app (--app) and, with --stacks, shows its burning function at each kill", async () => {
    const result = await runCli(['run', scenario('python-app-block'), '--stack', 'real', '--app', 'app:app', '--app-dir', EXAMPLE_APP_DIR, '--stacks', '--out', out, '--ci']);
    expect(result.code, result.stderr).toBe(0);
    const report = readReport(latestRunDir(out, 'python-app-block'));
    for (const strategy of report.strategies) {
      expect(strategy.outcome).toBe('killed');
      const stacks = strategy.findings.filter((f) => f.kind === 'stack-at-kill');
      expect(stacks.length).toBeGreaterThanOrEqual(1);
      for (const stack of stacks) expect(stack.kind === 'stack-at-kill' ? stack.blocking?.functionName : null).toBe('score_portfolio');
    }
    expect(result.stdout).toMatch(/the loop was running score_portfolio \(examples\/python-app\/app\.py:\d+\)/);
  }, 60_000);

  it('refuses an --app that does not import, naming it, before anything starts', async () => {
    const result = await runCli(['run', scenario('python-app-block'), '--stack', 'real', '--app', 'no_such_module:app', '--app-dir', EXAMPLE_APP_DIR, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--app no_such_module:app cannot be loaded');
    expect(result.stderr).toContain("No module named 'no_such_module'");
    // It imports, but what it names is no app: gunicorn would start and every worker would fail.
    const notAnApp = await runCli(['run', scenario('python-app-block'), '--stack', 'real', '--app', 'os:sep', '--out', out]);
    expect(notAnApp.code).toBe(2);
    expect(notAnApp.stderr).toContain('--app os:sep cannot be loaded');
    expect(notAnApp.stderr).toContain('os:sep is a str, not an ASGI app');
    expect(labProcesses()).toEqual([]);
  });

  it('leaves no gunicorn master or uvicorn worker behind when the CLI is SIGKILLed', async () => {
    const child = spawn(process.execPath, [CLI, 'run', scenario('real-short'), '--stack', 'real', '--side-by-side', '--out', out, '--quiet'], { stdio: 'ignore' });
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && labProcesses().length < 4) await sleep(200);
    expect(labProcesses().length).toBeGreaterThanOrEqual(4);
    child.kill('SIGKILL');
    const gone = Date.now() + 10_000;
    while (Date.now() < gone && labProcesses().length > 0) await sleep(200);
    expect(labProcesses()).toEqual([]);
  }, 40_000);

  it('runs plain uvicorn (no gunicorn) under the kubelet: the probe on its loop kills the busy worker, the thread off it does not', async () => {
    const result = await runCli(['run', scenario('real-liveness'), '--stack', 'real', '--sequential', '--out', out, '--ci']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = readReport(latestRunDir(out, 'real-liveness'));
    expect(report.stack).toBe('real');
    const onLoop = report.strategies.find((s) => s.name === 'health-on-loop')!;
    expect(onLoop.outcome).toBe('killed');
    // uvicorn takes the SIGTERM on its loop and shuts down by itself at the next tick: no signal death, no SIGKILL.
    expect(onLoop.findings.find((f) => f.kind === 'liveness-kill')).toMatchObject({ answeredBy: 'loop', loopTickedMeanwhile: true, exitSignal: null, neededSigkill: false });
    // The real uvicorn's own ticks and the routes app's requests were traced.
    expect(onLoop.ticks.count).toBeGreaterThan(5);
    expect(report.strategies.find((s) => s.name === 'health-off-loop')?.requests.completed).toBeGreaterThan(5);
    expect(labProcesses()).toEqual([]);
  }, 120_000);

  it('refuses compressed time, saying why, before anything starts', async () => {
    const result = await runCli(['run', scenario('real-short'), '--stack', 'real', '--time-scale', '0.1', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("uvicorn's 100 ms tick and gunicorn's 1 s check cannot be compressed");
  });
});
