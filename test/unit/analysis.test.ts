import { describe, expect, it } from 'vitest';
import { analyseRun, analyseStrategy, classifyOutcome, decideVerdict, meetsExpectation } from '../../src/analysis/analyse-run.js';
import { findRequestOutcomes } from '../../src/analysis/requests.js';
import { percentile, summarise } from '../../src/stats.js';
import { findTickLag } from '../../src/analysis/ticks.js';
import { unscaleEvents } from '../../src/analysis/unscale-events.js';
import type { TraceEvent } from '../../src/trace/events.js';
import { killedTrace, params, survivingTrace, ticks } from '../helpers/synthetic-run.js';

describe('a killed strategy', () => {
  const analysis = analyseStrategy('tick-count', killedTrace(), params());

  it('counts the kill, its time after boot and the heartbeat age the master saw', () => {
    expect(analysis.outcome).toBe('killed');
    expect(analysis.kills).toEqual([{ atMs: 30_650, by: 'master', pid: 10, workerAgeMs: 30_650, heartbeatAgeMs: 30_600, neededSigkill: false, exitSignal: 'SIGABRT' }]);
    expect(analysis.firstKillMs).toBe(30_650);
  });

  it('takes the open gap at the kill as the longest gap, with a negative margin', () => {
    expect(analysis.heartbeats.maxGapMs).toBe(30_600);
    expect(analysis.heartbeats.marginMs).toBe(-600);
    expect(analysis.heartbeats.gapsMs).toEqual([]);
  });

  it('explains it as ticks too slow for the 150-tick count', () => {
    // Ticks at 350, 650, ... 30 050 ms: 100 of them after the heartbeat at 50 ms.
    expect(analysis.findings).toEqual([
      { kind: 'tick-lag', ticksNeeded: 150, ticksRun: 100, elapsedMs: 30_600, meanTickMs: 306, nominalTickMs: 100, timeoutMs: 30_000 },
    ]);
    expect(analysis.met).toBe(true);
  });
});

describe('a kill caused by one long stall', () => {
  it('blames the stall, not slow ticks', () => {
    // 100 ms ticks until 10 s, then nothing until the kill at 30.65 s: one stall of 20.6 s.
    const events: TraceEvent[] = killedTrace().filter((e) => e.type !== 'tick');
    events.push(...ticks(10, 50, 100, 10_050));
    const analysis = analyseStrategy('wall-clock', events, params());
    expect(analysis.findings).toEqual([{ kind: 'single-stall', stallMs: 20_600, notifyIntervalMs: 15_000, timeoutMs: 30_000 }]);
    expect(analysis.ticks.longestStallMs).toBe(20_605);
  });
});

describe("a kill of gunicorn's ASGI worker, and of a heartbeat thread", () => {
  const stalled = (): TraceEvent[] => [...killedTrace().filter((e) => e.type !== 'tick'), ...ticks(10, 50, 100, 10_050)];

  it("blames the stall, and says the master's SIGABRT waited for the loop when its SIGKILL came", () => {
    const events = stalled();
    const exit = events.findIndex((e) => e.type === 'worker-exit');
    events.splice(exit, 1, { type: 'signal', t: 31_650, pid: 10, signal: 'SIGKILL' }, { type: 'worker-exit', t: 31_655, pid: 10, code: null, signal: 'SIGKILL' });
    expect(analyseStrategy('gunicorn-asgi', events, params()).findings).toEqual([
      { kind: 'single-stall', stallMs: 20_600, notifyIntervalMs: 1000, timeoutMs: 30_000 },
      { kind: 'abort-waits-for-loop', pid: 10 },
    ]);
    // Dead by its SIGABRT (uvicorn's worker): no such finding.
    expect(analyseStrategy('gunicorn-asgi', stalled(), params()).findings.map((f) => f.kind)).toEqual(['single-stall']);
  });

  it('says a killed heartbeat thread was held by the GIL for the stall', () => {
    expect(analyseStrategy('thread', stalled(), params()).findings).toEqual([{ kind: 'thread-held-by-gil', stallMs: 20_600, timeoutMs: 30_000 }]);
  });
});

describe('a surviving strategy', () => {
  it('reports the gaps, the margin and meets "survives"', () => {
    const analysis = analyseStrategy('wall-clock', survivingTrace(), params());
    expect(analysis.outcome).toBe('survived');
    expect(analysis.heartbeats.gapsMs).toEqual([15_100, 15_200]);
    expect(analysis.heartbeats.maxGapMs).toBe(15_200);
    expect(analysis.heartbeats.marginMs).toBe(14_800);
    expect(analysis.met).toBe(true);
    expect(analysis.findings[0]).toMatchObject({ kind: 'checks-in-time', maxGapMs: 15_200, checkEveryTicks: 10, notifyIntervalMs: 15_000 });
  });

  it('is at risk when a gap comes within a quarter of the timeout, which still meets "survives"', () => {
    const analysis = analyseStrategy('wall-clock', survivingTrace(27_000), params());
    expect(analysis.outcome).toBe('at-risk');
    expect(analysis.met).toBe(true);
    expect(analysis.findings.map((f) => f.kind)).toEqual(['checks-in-time', 'thin-margin']);
  });

  it('is at risk when one clock-check window could push a heartbeat near the timeout', () => {
    // 1.6 s ticks: a 10-tick window of 16 s; 15 s + 16 s could reach the timeout with unlucky alignment.
    const events: TraceEvent[] = survivingTrace().filter((e) => e.type !== 'tick');
    events.push(...ticks(20, 100, 1600, 59_100));
    const analysis = analyseStrategy('wall-clock', events, params());
    expect(analysis.longestCheckWindowMs).toBe(16_000);
    expect(analysis.outcome).toBe('at-risk');
    expect(analysis.findings.map((f) => f.kind)).toEqual(['checks-in-time', 'window-near-limit']);
  });

  it('flags a worker kept alive while its loop never came back as a missed hang', () => {
    const events: TraceEvent[] = survivingTrace().filter((e) => e.type !== 'tick');
    events.push(...ticks(20, 100, 100, 5_000), { type: 'worker-exit', t: 60_500, pid: 20, code: null, signal: 'SIGTERM' });
    const analysis = analyseStrategy('thread', events, params({}, { strategies: ['thread', 'wall-clock'], expect: { thread: 'missed-hang' } }));
    expect(analysis.openStallAtEndMs).toBe(55_500);
    expect(analysis.outcome).toBe('missed-hang');
    expect(analysis.met).toBe(true);
    expect(analysis.findings[0]).toEqual({ kind: 'missed-hang', stallMs: 55_500, timeoutMs: 30_000 });
  });
});

describe('outcomes and verdicts', () => {
  const heartbeats = { count: 3, gapsMs: [15_000, 15_000], maxGapMs: 15_000, marginMs: 15_000 };
  const evidence = { kills: [], heartbeats, observedMs: 60_000, timeoutMs: 30_000, worstCaseGapMs: 16_000, openStallAtEndMs: 100, labProblems: [] };

  it('never passes a weak measurement', () => {
    expect(classifyOutcome({ ...evidence, observedMs: 20_000 }).outcome).toBe('inconclusive');
    expect(classifyOutcome({ ...evidence, heartbeats: { ...heartbeats, count: 1 } }).outcome).toBe('inconclusive');
    expect(classifyOutcome(evidence).outcome).toBe('survived');
    expect(classifyOutcome({ ...evidence, worstCaseGapMs: 22_500 }).outcome).toBe('at-risk');
    expect(meetsExpectation('inconclusive', 'survives')).toBeNull();
  });

  it('accepts a kill or a thin margin for "at-risk" but not a clean survival', () => {
    expect(meetsExpectation('killed', 'at-risk')).toBe(true);
    expect(meetsExpectation('at-risk', 'at-risk')).toBe(true);
    expect(meetsExpectation('survived', 'at-risk')).toBe(false);
  });

  it('puts a failed expectation before an inconclusive strategy', () => {
    const killed = analyseStrategy('tick-count', killedTrace(), params());
    const wrong = { ...killed, met: false };
    const unsure = { ...killed, outcome: 'inconclusive' as const, met: null };
    expect(decideVerdict([killed, killed])).toBe('as-expected');
    expect(decideVerdict([unsure, killed])).toBe('inconclusive');
    expect(decideVerdict([unsure, wrong])).toBe('unexpected');
  });

  it('analyses a whole run into one verdict', () => {
    const run = analyseRun(params(), new Map([['tick-count', killedTrace()], ['wall-clock', survivingTrace()]]));
    expect(run.verdict).toBe('as-expected');
    expect(run.strategies.map((s) => s.outcome)).toEqual(['killed', 'survived']);
    expect(run.observedMs).toBe(60_000);
  });
});

describe('lab failures', () => {
  it('makes a strategy inconclusive when the load generator stopped early', () => {
    const events = killedTrace().map((e) => (e.type === 'load-end' ? { ...e, t: 20_000 } : e));
    const analysis = analyseStrategy('tick-count', events, params());
    expect(analysis.outcome).toBe('inconclusive');
    expect(analysis.met).toBeNull();
    expect(analysis.findings).toEqual([{ kind: 'lab-problem', detail: { problem: 'load-short', ranMs: 20_000, durationMs: 60_000 } }]);
  });

  it('blames a cut trace on the file, not on the load generator whose end it lost', () => {
    const events = killedTrace().filter((e) => e.t <= 31_000);
    const analysis = analyseStrategy('tick-count', events, params());
    expect(analysis.outcome).toBe('inconclusive');
    expect(analysis.findings).toContainEqual({ kind: 'lab-problem', detail: { problem: 'trace-cut', lastMs: 31_000 } });
    expect(analysis.findings).not.toContainEqual({ kind: 'lab-problem', detail: { problem: 'load-unfinished' } });
  });
});

describe('compressed time', () => {
  it('gives the same figures in scenario time at any scale', () => {
    const scaled = killedTrace().map((event) => unscaleEvents([event], 1 / 0.1)[0] as TraceEvent);
    const analysis = analyseStrategy('tick-count', scaled, params({ timeScale: 0.1 }));
    expect(analysis.firstKillMs).toBeCloseTo(30_650, 6);
    expect(analysis.heartbeats.maxGapMs).toBeCloseTo(30_600, 6);
    expect(analysis.outcome).toBe('killed');
  });
});

describe('tick lag', () => {
  it('counts handlers per tick from the first request on', () => {
    const events: TraceEvent[] = [
      { type: 'tick', t: 0, pid: 1, counter: 0, handlers: 0 },
      { type: 'tick', t: 100, pid: 1, counter: 1, handlers: 0 },
      { type: 'request-start', t: 150, pid: 1, id: 1, route: 'cpu', ms: 1000 },
      { type: 'tick', t: 1200, pid: 1, counter: 2, handlers: 1 },
      { type: 'tick', t: 3300, pid: 1, counter: 3, handlers: 2 },
      { type: 'tick', t: 3400, pid: 1, counter: 4, handlers: 0 },
    ];
    const lag = findTickLag(events);
    expect(lag.handlersPerTick).toEqual({ 0: 1, 1: 1, 2: 1 });
    expect(lag.meanHandlersPerTick).toBe(1);
    expect(lag.intervalMs?.max).toBe(2100);
    expect(lag.intervalMs?.mean).toBeCloseTo((1100 + 2100 + 100) / 3, 9);
  });
});

describe('request outcomes', () => {
  it('settles each request once and counts the unsettled as vanished', () => {
    const sent = (id: number): TraceEvent => ({ type: 'request-sent', t: id, id, client: 0, route: 'cpu', ms: 1000 });
    const events: TraceEvent[] = [1, 2, 3, 4, 5].map(sent);
    events.push(
      { type: 'request-outcome', t: 10, id: 1, outcome: 'completed', status: 200, latencyMs: 1000, error: null },
      { type: 'request-outcome', t: 11, id: 2, outcome: 'completed', status: 200, latencyMs: 3000, error: null },
      { type: 'request-outcome', t: 12, id: 3, outcome: 'completed', status: 500, latencyMs: 2000, error: null },
      { type: 'request-outcome', t: 13, id: 4, outcome: 'reset', status: null, latencyMs: 900, error: 'EOF' },
    );
    const outcomes = findRequestOutcomes(events);
    expect(outcomes).toMatchObject({ sent: 5, completed: 3, failedStatus: 1, reset: 1, refused: 0, timedOut: 0, vanished: 1 });
    expect(outcomes.latencyMs).toEqual({ count: 3, mean: 2000, p50: 2000, p99: 3000, max: 3000 });
  });
});

describe('statistics', () => {
  it('uses nearest-rank percentiles', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 99)).toBe(4);
    expect(summarise([])).toBeNull();
  });
});

describe('spawns: a second initial worker is not a respawn', () => {
  it('marks boots and respawns from the spawn event, reading version-1 traces by worker number', async () => {
    const { buildTimeline } = await import('../../src/analysis/timeline.js');
    const events: TraceEvent[] = [
      { type: 'worker-spawn', t: 0, pid: 1, worker: 1, bootCountsAsBeat: true, respawn: false },
      { type: 'worker-spawn', t: 1, pid: 2, worker: 2, bootCountsAsBeat: true, respawn: false },
      { type: 'worker-spawn', t: 40_000, pid: 3, worker: 3, bootCountsAsBeat: true, respawn: true },
      { type: 'worker-spawn', t: 50_000, pid: 4, worker: 4, bootCountsAsBeat: true },
    ];
    expect(buildTimeline(events, 60_000).markers.map((m) => m.kind)).toEqual(['spawn', 'spawn', 'respawn', 'respawn']);
  });
});
