// A pod whose container is a gunicorn master (both killers nested), as the analysis reads it from a
// hand-made trace: kills by either killer, the first one named, and where the other stood.

import { describe, expect, it } from 'vitest';
import { analyseStrategy } from '../../src/analysis/analyse-run.js';
import { findKills } from '../../src/analysis/kills.js';
import { failuresInARowAt, loopsOf, oldestHeartbeatAgeAt } from '../../src/analysis/pod.js';
import { PROBE_SETTINGS_DEFAULTS } from '../../src/probes/types.js';
import { describeFinding } from '../../src/report/wording.js';
import { validateScenario } from '../../src/scenario/validate-scenario.js';
import type { Scenario } from '../../src/scenario/types.js';
import type { TraceEvent } from '../../src/trace/events.js';
import { params, ticks } from '../helpers/synthetic-run.js';

const MASTER = 100;
const pod: Scenario['supervisor'] = { kind: 'kubelet', probe: { ...PROBE_SETTINGS_DEFAULTS, timeoutMs: 1000, periodMs: 10_000, failureThreshold: 3 }, container: { kind: 'gunicorn', master: 'gunicorn-20', timeoutMs: 30_000, notifier: 'wall-clock' } };
const podParams = params({}, { supervisor: pod, workers: 2, strategies: ['health-on-loop'], expect: {}, durationMs: 60_000 });

const probed = (t: number, result: 'success' | 'failure'): TraceEvent => ({ type: 'probe', t, pid: MASTER, probe: 'httpGet', result, detail: result === 'success' ? 'HTTP 200' : 'timed out', tookMs: result === 'success' ? 5 : 1000, heartbeatAgeMs: null });
const worker = (t: number, pid: number, index: number): TraceEvent => ({ type: 'worker-spawn', t, pid, worker: index, bootCountsAsBeat: true, respawn: false });
const beat = (t: number, pid: number): TraceEvent => ({ type: 'heartbeat', t, pid, beatT: t });

/** The start every trace shares: the kubelet, the container's master, its two workers. */
function started(): TraceEvent[] {
  return [
    { type: 'master-start', t: 0, pid: 1, master: 'kubelet', timeoutMs: 1000, periodMs: 10_000, port: 8000 },
    { type: 'container-start', t: 10, pid: MASTER, container: 1, respawn: false },
    { type: 'master-start', t: 11, pid: MASTER, master: 'gunicorn-20', timeoutMs: 30_000, periodMs: 1000, port: 8000 },
    worker(12, 201, 1),
    worker(15, 202, 2),
    { type: 'listening', t: 20, pid: 201 },
    { type: 'listening', t: 20, pid: 202 },
    { type: 'load-start', t: 20, pid: 3, clients: 4, durationMs: 60_000 },
  ];
}

/** Both workers busy with 2 s handlers: the probe waits behind them and fails three times; heartbeats every 16 s keep the master content. */
function probeStrikesFirst(): TraceEvent[] {
  return [
    ...started(),
    ...ticks(201, 20, 2000, 35_000),
    ...ticks(202, 20, 2000, 35_000),
    probed(10, 'failure'),
    probed(10_010, 'failure'),
    beat(16_000, 201),
    beat(16_500, 202),
    probed(20_010, 'failure'),
    { type: 'liveness-failed', t: 20_010, pid: MASTER, probe: 'httpGet', failures: 3 },
    { type: 'signal', t: 20_010, pid: MASTER, signal: 'SIGTERM' },
    { type: 'worker-exit', t: 21_000, pid: 201, code: 0, signal: null },
    { type: 'worker-exit', t: 21_500, pid: 202, code: 0, signal: null },
    { type: 'master-stop', t: 21_600, pid: MASTER, reason: 'SIGTERM' },
    { type: 'container-exit', t: 21_700, pid: MASTER, code: 0, signal: null },
    { type: 'load-end', t: 60_020, pid: 3, sent: 40 },
    { type: 'master-stop', t: 60_100, pid: 1, reason: 'stopped by orchestrator' },
  ];
}

/** One worker hung on a 40 s handler while the other answers the probe: the master's timeout strikes, the probe never fails. */
function masterStrikesFirst(): TraceEvent[] {
  return [
    ...started(),
    ...ticks(201, 20, 100, 60_000),
    { type: 'tick', t: 20, pid: 202, counter: 0, handlers: 0 },
    probed(10, 'success'),
    probed(10_010, 'success'),
    probed(20_010, 'success'),
    beat(15_000, 201),
    beat(30_000, 201),
    { type: 'worker-timeout', t: 30_100, pid: 202, ageMs: 30_085 },
    { type: 'signal', t: 30_100, pid: 202, signal: 'SIGABRT' },
    { type: 'worker-exit', t: 30_200, pid: 202, code: null, signal: 'SIGABRT' },
    probed(30_010, 'success'),
    probed(40_010, 'success'),
    probed(50_010, 'success'),
    beat(45_000, 201),
    { type: 'load-end', t: 60_020, pid: 3, sent: 40 },
    { type: 'master-stop', t: 60_100, pid: 1, reason: 'stopped by orchestrator' },
  ];
}

describe('a pod whose container is a gunicorn master', () => {
  it('names each kill by its killer', () => {
    expect(findKills(probeStrikesFirst()).map((k) => [k.by, k.pid, k.exitSignal])).toEqual([['kubelet', MASTER, null]]);
    expect(findKills(masterStrikesFirst()).map((k) => [k.by, k.pid, k.exitSignal])).toEqual([['master', 202, 'SIGABRT']]);
  });

  it("finds a container's workers, the oldest heartbeat and the failures in a row at a moment", () => {
    const events = probeStrikesFirst();
    expect(loopsOf(events, MASTER, 20_010)).toEqual([201, 202]);
    expect(loopsOf(events, 201, 20_010)).toEqual([201]);
    // A worker its master killed and replaced before the kubelet's kill no longer answers for the container.
    expect(loopsOf(masterStrikesFirst(), MASTER, 40_000)).toEqual([201]);
    // Worker 202's last beat at 16.5 s, worker 201's at 16 s: 4.01 s old at the kill.
    expect(oldestHeartbeatAgeAt(events, 20_010)).toBe(4010);
    expect(failuresInARowAt(events, 20_010)).toBe(3);
    expect(failuresInARowAt(masterStrikesFirst(), 30_100)).toBe(0);
  });

  it('says the kubelet struck first, and how far the master was from its own timeout', () => {
    const analysis = analyseStrategy('health-on-loop', probeStrikesFirst(), podParams);
    expect(analysis.outcome).toBe('killed');
    const [first, story] = analysis.findings;
    expect(first).toMatchObject({ kind: 'first-killer', killer: 'kubelet', master: 'gunicorn-20', timeoutMs: 30_000, oldestHeartbeatMs: 4010, otherKills: 0 });
    expect(describeFinding(first!)).toMatch(/^FIRST KILLER: the kubelet\..*4\.0 s old, 26\.0 s short of its timeout/);
    // The kubelet's own story follows, read through the container's workers' loops.
    expect(story).toMatchObject({ kind: 'liveness-kill', loopTickedMeanwhile: true });
    expect(analysis.firstKillMs).toBe(20_000);
  });

  it('says the master struck first while the probe kept passing on the free worker', () => {
    const analysis = analyseStrategy('health-on-loop', masterStrikesFirst(), podParams);
    expect(analysis.outcome).toBe('killed');
    expect(analysis.findings[0]).toMatchObject({ kind: 'first-killer', killer: 'master', failuresInARow: 0 });
    expect(describeFinding(analysis.findings[0]!)).toMatch(/FIRST KILLER: gunicorn's master .*the probe reached a worker that was free/);
    expect(analysis.findings[1]?.kind).not.toBe('liveness-kill');
  });

  it("says uvicorn's process manager struck first when a child held the GIL past its healthcheck while the other answered the probe", () => {
    const managed: Scenario['supervisor'] = { kind: 'kubelet', probe: pod.kind === 'kubelet' ? pod.probe : PROBE_SETTINGS_DEFAULTS, container: { kind: 'uvicorn', timeoutMs: 5000, code: 'holds-gil' } };
    const ping = (t: number, pid: number, answered: boolean): TraceEvent[] => [{ type: 'ping', t, pid, answered, waitedMs: answered ? 1 : 5000 }, ...(answered ? [beat(t, pid)] : [])];
    const events: TraceEvent[] = [
      ...started().map((e) => (e.type === 'master-start' && e.pid === MASTER ? { ...e, master: 'uvicorn', timeoutMs: 5000, periodMs: 500 } : e)),
      ...ticks(201, 20, 100, 60_000),
      ...ping(520, 201, true),
      ...ping(520, 202, true),
      probed(10, 'success'),
      ...ping(7020, 202, false),
      { type: 'signal', t: 7020, pid: 202, signal: 'SIGKILL' },
      { type: 'worker-exit', t: 7030, pid: 202, code: null, signal: 'SIGKILL' },
      probed(10_010, 'success'),
      { type: 'load-end', t: 60_020, pid: 3, sent: 40 },
      { type: 'master-stop', t: 60_100, pid: 1, reason: 'stopped by orchestrator' },
    ];
    const analysis = analyseStrategy('health-on-loop', events, params({}, { supervisor: managed, workers: 2, strategies: ['health-on-loop'], expect: {}, durationMs: 60_000 }));
    expect(analysis.outcome).toBe('killed');
    expect(analysis.findings[0]).toMatchObject({ kind: 'first-killer', killer: 'uvicorn', master: 'uvicorn', timeoutMs: 5000, failuresInARow: 0 });
    expect(describeFinding(analysis.findings[0]!)).toMatch(/^FIRST KILLER: uvicorn's process manager\. A ping went unanswered for 5\.0 s/);
    expect(analysis.pings?.pings).toBe(3);
  });

  it('judges a pod with no kill by both: heartbeat gaps and probes', () => {
    const events = masterStrikesFirst().filter((e) => e.type !== 'worker-timeout' && !(e.type === 'signal' && e.pid === 202) && !(e.type === 'worker-exit' && e.pid === 202));
    const calm = [...events, ...ticks(202, 20, 100, 60_000), beat(15_000, 202), beat(30_000, 202), beat(45_000, 202)];
    const analysis = analyseStrategy('health-on-loop', calm, podParams);
    expect(analysis.outcome).toBe('survived');
    expect(analysis.findings.some((f) => f.kind === 'first-killer')).toBe(false);
    expect(analysis.findings.some((f) => f.kind === 'probes-passed')).toBe(true);
    expect(analysis.heartbeats.maxGapMs).toBe(15_000);
  });
});

describe('a pod scenario file', () => {
  const file = {
    name: 'pod',
    master: 'kubelet',
    container: { master: 'gunicorn-20', timeoutMs: 30000 },
    workers: 2,
    strategies: ['health-on-loop', 'tcp-socket'],
    durationMs: 60000,
    probe: { periodMs: 10000, timeoutMs: 1000 },
    load: { clients: 4, thinkMs: 0, routes: [{ kind: 'cpu', ms: 1000 }] },
  };

  it('reads the container master, its timeout and its heartbeat rule (wall-clock by default)', () => {
    const check = validateScenario(file);
    expect(check.ok && check.scenario.supervisor).toMatchObject({ kind: 'kubelet', container: { kind: 'gunicorn', master: 'gunicorn-20', timeoutMs: 30_000, notifier: 'wall-clock' } });
    const uvicorn = validateScenario({ ...file, container: { master: 'uvicorn' } });
    expect(uvicorn.ok && uvicorn.scenario.supervisor).toMatchObject({ kind: 'kubelet', container: { kind: 'uvicorn', timeoutMs: 5000, code: 'pure-python' } });
  });

  it('refuses a container without the kubelet, a probe the nested pod cannot answer, and a bad container', () => {
    const problems = (value: object): string => {
      const check = validateScenario(value);
      return check.ok ? '' : check.problems.map((p) => `${p.path}: ${p.expected}`).join('\n');
    };
    expect(problems({ ...file, master: 'gunicorn-20', timeoutMs: 30000, probe: undefined, strategies: ['wall-clock'] })).toMatch(/\$\.container: no container: only "master": "kubelet"/);
    expect(problems({ ...file, strategies: ['health-off-loop'] })).toMatch(/a port per worker/);
    expect(problems({ ...file, strategies: ['health-exec-file'] })).toMatch(/one heartbeat file/);
    expect(problems({ ...file, container: { master: 'gunicorn-99' } })).toMatch(/\$\.container\.master/);
    expect(problems({ ...file, container: { master: 'uvicorn', notifier: 'wall-clock' } })).toMatch(/no heartbeat rule under uvicorn's process manager/);
    expect(problems({ ...file, container: { master: 'gunicorn-20', code: 'holds-gil' } })).toMatch(/no code kind under gunicorn's master/);
    expect(problems({ ...file, container: { timeoutMs: 30000, notifer: 'wall-clock' } })).toMatch(/container\.notifer: no such field \(known: master, timeoutMs, notifier, code\)/);
  });
});
