import { describe, expect, it } from 'vitest';
import { analyseRun } from '../../src/analysis/analyse-run.js';
import { CONTENDED_WORKER_WAIT_SHARE, findContention } from '../../src/analysis/contention.js';
import { buildReport } from '../../src/report/build-report.js';
import { parameterLine, summaryRows } from '../../src/report/summary-rows.js';
import { describeFinding, describeOutcome } from '../../src/report/wording.js';
import { renderJunit } from '../../src/report/render-junit.js';
import type { SchedRole, TraceEvent } from '../../src/trace/events.js';
import { killedTrace, params, survivingTrace } from '../helpers/synthetic-run.js';

/** Run-queue samples every 500 ms (real) from 0 to 60 s of scenario time, at `timeScale`, for one process. */
function samples(pid: number, role: SchedRole, cpuMs: number, waitMs: number, timeScale = 1): TraceEvent[] {
  const events: TraceEvent[] = [];
  for (let t = 500; t <= 60_000 * timeScale; t += 500) events.push({ type: 'sched', t: t / timeScale, pid, role, cpuMs, waitMs, slices: 10 });
  return events;
}

/** What one strategy at a time measured on 2 cores (quiet) and side by side (contended), cpu-burst at ×1, per 500 ms. */
const quiet = (): TraceEvent[] => [...samples(10, 'worker', 495, 1.5), ...samples(2, 'load', 2, 0.56), ...samples(1, 'supervisor', 1, 0.33)];
const contended = (): TraceEvent[] => [...samples(10, 'worker', 490, 4), ...samples(2, 'load', 2, 2.55), ...samples(1, 'supervisor', 1, 1.4)];

describe('contention from run-queue waits', () => {
  it('finds a quiet host quiet, with the shares it measured', () => {
    const found = findContention([...killedTrace(), ...quiet()], 1);
    expect(found.contended).toBe(false);
    expect(found.signals).toEqual([]);
    expect(found.workerWaitShare).toBeCloseTo(0.003, 4);
    expect(found.loadWaitShare).toBeCloseTo(0.219, 3);
  });

  it('finds a load generator that waited for a CPU most of the time it had work, though the burns got their core', () => {
    const found = findContention([...killedTrace(), ...contended()], 1);
    expect(found.signals).toEqual(['load-waited']);
    expect(found.contended).toBe(true);
  });

  it('finds a worker held off the CPU long enough to make its ticks and polls late, judged on its own span in real time', () => {
    const held = (timeScale: number): TraceEvent[] => samples(10, 'worker', 400, 500 * (CONTENDED_WORKER_WAIT_SHARE + 0.02), timeScale);
    expect(findContention([...killedTrace(), ...held(1)], 1).signals).toEqual(['worker-waited']);
    expect(findContention([...killedTrace(), ...held(0.1)], 0.1).workerWaitShare).toBeCloseTo(CONTENDED_WORKER_WAIT_SHARE + 0.02, 4);
  });

  it('does not count a worker\'s first sample (its boot) nor a worker seen for less than a second', () => {
    const boot: TraceEvent[] = [{ type: 'sched', t: 500, pid: 11, role: 'worker', cpuMs: 40, waitMs: 400, slices: 5 }, { type: 'sched', t: 1000, pid: 11, role: 'worker', cpuMs: 400, waitMs: 1, slices: 5 }];
    const found = findContention([...killedTrace(), ...quiet(), ...boot], 1);
    expect(found.contended).toBe(false);
  });

  it('judges an idle worker (I/O, work off the loop) on its time, not on its few runnable moments', () => {
    // io-wait measured: the worker ran 3 ms per 500 ms and waited 0.2 ms: 6% of its runnable time, 0.04% of its time.
    expect(findContention([...killedTrace(), ...samples(10, 'worker', 3, 0.2), ...samples(2, 'load', 2, 0.56)], 1).contended).toBe(false);
  });

  it('counts only what happened while the load ran, and the supervisor not at all', () => {
    const beforeLoad: TraceEvent[] = [{ type: 'sched', t: -1000, pid: 2, role: 'load', cpuMs: 10, waitMs: 1000, slices: 3 }];
    // The trace's load starts at 0; move it later so the early busy samples fall before it.
    const events = [...killedTrace().map((e) => (e.type === 'load-start' ? { ...e, t: 1 } : e)), ...beforeLoad, ...samples(1, 'supervisor', 1, 9), ...samples(2, 'load', 3, 1)];
    expect(findContention(events, 1).contended).toBe(false);
  });

  it('judges late idle ticks only in traces with neither samples nor burns', () => {
    const lateIdle: TraceEvent[] = [];
    for (let i = 0; i < 40; i++) lateIdle.push({ type: 'tick', t: i * 300, pid: 10, counter: i, handlers: 0 });
    expect(findContention(lateIdle, 1).signals).toEqual(['late-idle-ticks']);
    expect(findContention([...lateIdle, ...quiet()], 1).contended).toBe(false);
  });
});

describe('a contended strategy is untrusted, never a plain kill', () => {
  const traces = (tickCount: TraceEvent[]): Map<string, TraceEvent[]> => new Map([['tick-count', tickCount], ['wall-clock', [...survivingTrace(), ...quiet()]]]);

  it('keeps a quiet kill as a kill that meets its expectation', () => {
    const analysis = analyseRun(params(), traces([...killedTrace(), ...quiet()]));
    expect(analysis.strategies[0]?.outcome).toBe('killed');
    expect(analysis.verdict).toBe('as-expected');
  });

  it('makes a kill on a contended host inconclusive: the verdict is inconclusive, the kills are still shown', () => {
    const analysis = analyseRun(params(), traces([...killedTrace(), ...contended()]));
    const [tickCount] = analysis.strategies;
    expect(tickCount?.outcome).toBe('inconclusive');
    expect(tickCount?.met).toBeNull();
    expect(tickCount?.kills.length).toBe(1);
    expect(analysis.verdict).toBe('inconclusive');
    expect(tickCount?.findings[0]?.kind).toBe('host-contended');

    const report = buildReport(params({ rerunAlone: ['tick-count'] }), analysis);
    const outcome = summaryRows(report).find((row) => row.label === 'outcome');
    expect(outcome?.cells[0]?.text).toBe('UNTRUSTED, host busy (KILLED 1×)');
    expect(outcome?.cells[1]?.text).toBe('survived');
    expect(report.headline).toContain('tick-count is untrusted: the host was contended (killed 1 time meanwhile)');
    expect(parameterLine(report)).toContain('tick-count ran again alone (the host was contended)');
    const finding = report.strategies[0]?.findings[0];
    expect(describeOutcome('inconclusive', 1, true)).toBe('untrusted, the host was contended (killed 1× meanwhile)');
    expect(renderJunit(report)).toMatch(/<error message="inconclusive: UNTRUSTED, the host was contended/);
    expect(finding === undefined ? '' : describeFinding(finding)).toMatch(/^UNTRUSTED, the host was contended: its load waited for a CPU 56% of the time it had work\. /);
  });
});
