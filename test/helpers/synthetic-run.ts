// Hand-made traces and parameters for the analysis tests: every number chosen so results are exact.

import type { Scenario } from '../../src/scenario/types.js';
import type { TraceEvent } from '../../src/trace/events.js';
import { encodeRunParams, type RunParams } from '../../src/trace/run-params.js';

/** gunicorn's arbiter as a scenario's supervisor: the given --timeout, the gunicorn-20 preset unless named. */
export function gunicorn(timeoutMs: number, master = 'gunicorn-20'): Scenario['supervisor'] {
  return { kind: 'gunicorn', master, timeoutMs };
}

export function scenario(overrides: Partial<Scenario> = {}): Scenario {
  return {
    name: 'synthetic',
    description: 'made by hand',
    supervisor: gunicorn(30_000),
    workers: 1,
    loop: 'uvloop',
    http: 'httptools',
    pythonStack: 'system',
    strategies: ['tick-count', 'wall-clock'],
    durationMs: 60_000,
    seed: 1,
    load: { clients: 1, thinkMs: 1000, routes: [{ kind: 'cpu', weight: 1, ms: { min: 1000, max: 2000 } }] },
    expect: { 'tick-count': 'killed', 'wall-clock': 'survives' },
    clockSteps: [],
    realStack: '',
    ...overrides,
  };
}

export function params(overrides: Partial<RunParams> = {}, scenarioOverrides: Partial<Scenario> = {}): RunParams {
  return {
    traceVersion: 2,
    stack: 'model',
    sequential: false,
    rerunAlone: [],
    scenario: scenario(scenarioOverrides),
    scenarioFile: '/synthetic.json',
    timeScale: 1,
    timing: { tickMs: 100, masterPeriodMs: 1000, timeoutMs: 30_000, keepAliveMs: 2000, spawnPauseMaxMs: 100, workerBootMs: 90, durationMs: 60_000, thinkMs: 1000, pollGranularityMs: 1, secondMs: 1000, plegRelistMs: 1000, backoffInitialMs: 10_000, backoffMaxMs: 300_000, arrivalGapMs: 0, httpParseMs: 0, httpWriteMs: 0 },
    startedAt: '2026-11-24T00:00:00.000Z',
    finishedAt: '2026-11-24T00:01:00.000Z',
    interrupted: false,
    versions: { node: 'v20.0.0', starveLab: '0.0.0' },
    ...overrides,
  };
}

/** params.json as `run` writes it (the scenario in its file's shape), parsed: for tests that edit the file. */
export function paramsFile(overrides: Partial<RunParams> = {}, scenarioOverrides: Partial<Scenario> = {}): Record<string, unknown> & { scenario: Record<string, unknown> } {
  return JSON.parse(encodeRunParams(params(overrides, scenarioOverrides))) as Record<string, unknown> & { scenario: Record<string, unknown> };
}

/** A worker whose ticks take `tickMs` each from `fromMs`, one handler per tick, until `untilMs`. */
export function ticks(pid: number, fromMs: number, tickMs: number, untilMs: number, handlers = 1): TraceEvent[] {
  const events: TraceEvent[] = [];
  for (let counter = 0, t = fromMs; t <= untilMs; counter++, t += tickMs) {
    events.push({ type: 'tick', t, pid, counter, handlers: counter === 0 ? 0 : handlers });
  }
  return events;
}

/** A master, its first worker listening at `listeningT`, and a 60 s load starting at 0. */
function boot(masterPid: number, workerPid: number, loadPid: number, listeningT: number): TraceEvent[] {
  return [
    { type: 'master-start', t: 0, pid: masterPid, master: 'gunicorn-20', timeoutMs: 30_000, periodMs: 1000, port: 1234 + masterPid },
    { type: 'worker-spawn', t: 0, pid: workerPid, worker: 1, bootCountsAsBeat: true },
    { type: 'listening', t: listeningT, pid: workerPid },
    { type: 'load-start', t: 0, pid: loadPid, clients: 1, durationMs: 60_000 },
  ];
}

/** The old rule's classic death: boot at 0, one heartbeat at 50 ms, 300 ms ticks, killed at 30.65 s. */
export function killedTrace(): TraceEvent[] {
  return [
    ...boot(1, 10, 2, 40),
    { type: 'heartbeat', t: 1000, pid: 10, beatT: 50 },
    { type: 'request-start', t: 60, pid: 10, id: 1, route: 'cpu', ms: 1500 },
    ...ticks(10, 50, 300, 30_100),
    { type: 'worker-timeout', t: 30_650, pid: 10, ageMs: 30_600 },
    { type: 'signal', t: 30_650, pid: 10, signal: 'SIGABRT' },
    { type: 'worker-exit', t: 30_655, pid: 10, code: null, signal: 'SIGABRT' },
    { type: 'worker-spawn', t: 30_660, pid: 11, worker: 2, bootCountsAsBeat: true },
    { type: 'heartbeat', t: 31_000, pid: 11, beatT: 30_700 },
    { type: 'load-end', t: 60_000, pid: 2, sent: 25 },
    { type: 'master-stop', t: 60_100, pid: 1, reason: 'stopped by orchestrator' },
  ];
}

/** A survivor with 100 ms ticks: heartbeats 15.1 s and `secondGapMs` apart over a 60 s run. */
export function survivingTrace(secondGapMs = 15_200): TraceEvent[] {
  return [
    ...boot(3, 20, 4, 90),
    { type: 'heartbeat', t: 1000, pid: 20, beatT: 100 },
    { type: 'heartbeat', t: 16_000, pid: 20, beatT: 15_200 },
    { type: 'heartbeat', t: 31_000, pid: 20, beatT: 15_200 + secondGapMs },
    ...ticks(20, 100, 100, 59_100),
    { type: 'load-end', t: 60_000, pid: 4, sent: 30 },
    { type: 'master-stop', t: 60_100, pid: 3, reason: 'stopped by orchestrator' },
  ];
}

/** A worker killed `kills` times, every `everyMs`, each kill followed by its respawn; requests between. */
export function manyKillsTrace(kills: number, everyMs: number): TraceEvent[] {
  const endMs = (kills + 1) * everyMs;
  const events: TraceEvent[] = [
    { type: 'master-start', t: 0, pid: 1, master: 'gunicorn-20', timeoutMs: 2000, periodMs: 1000, port: 1235 },
    { type: 'load-start', t: 0, pid: 2, clients: 2, durationMs: endMs },
    { type: 'worker-spawn', t: 0, pid: 100, worker: 1, bootCountsAsBeat: true },
  ];
  for (let k = 0; k < kills; k++) {
    const pid = 100 + k;
    const bootT = k === 0 ? 0 : k * everyMs + 70;
    const killT = (k + 1) * everyMs;
    events.push(
      { type: 'listening', t: bootT + 40, pid },
      { type: 'heartbeat', t: bootT + 400, pid, beatT: bootT + 300 },
      ...ticks(pid, bootT + 50, 400, killT - 300),
      { type: 'request-outcome', t: bootT + 500, id: k * 2, outcome: 'completed', latencyMs: 400, status: 200, error: null },
      { type: 'worker-timeout', t: killT, pid, ageMs: killT - bootT - 300 },
      { type: 'signal', t: killT, pid, signal: 'SIGABRT' },
      { type: 'worker-exit', t: killT + 4, pid, code: null, signal: 'SIGABRT' },
      { type: 'request-outcome', t: killT + 5, id: k * 2 + 1, outcome: 'reset', latencyMs: 900, status: null, error: 'ECONNRESET' },
      { type: 'worker-spawn', t: killT + 70, pid: pid + 1, worker: k + 2, bootCountsAsBeat: true },
    );
  }
  events.push({ type: 'load-end', t: endMs, pid: 2, sent: kills * 2 }, { type: 'master-stop', t: endMs + 50, pid: 1, reason: 'stopped by orchestrator' });
  return events;
}
