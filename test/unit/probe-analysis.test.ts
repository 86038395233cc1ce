// The kubelet's probes as the analysis reads them from a trace (pure): kills, outcomes and the story
// of a kill, on hand-made traces.

import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../src/analysis/timeline.js';
import { classifyProbeOutcome, detectionWindowMs, explainProbeStrategy, findProbes } from '../../src/analysis/probes.js';
import { findKills } from '../../src/analysis/kills.js';
import { PROBE_SETTINGS_DEFAULTS } from '../../src/probes/types.js';
import type { TraceEvent } from '../../src/trace/events.js';
import { describeFinding } from '../../src/report/wording.js';

const probe = PROBE_SETTINGS_DEFAULTS;
const spawn = (t: number, pid: number, respawn = false): TraceEvent => ({ type: 'worker-spawn', t, pid, worker: respawn ? 2 : 1, bootCountsAsBeat: true, respawn });
const tick = (t: number, pid = 1): TraceEvent => ({ type: 'tick', t, pid, counter: 0, handlers: 1 });
const probed = (t: number, result: 'success' | 'failure', pid = 1): TraceEvent => ({ type: 'probe', t, pid, probe: 'httpGet', result, detail: result === 'success' ? 'HTTP 200' : 'timed out', tookMs: result === 'success' ? 5 : 1000, heartbeatAgeMs: null });

/** Busy: the loop comes back every 3 s, but each probe lands behind 1-2 s handlers queued ahead of it. */
function busyKilled(): TraceEvent[] {
  return [
    spawn(100, 1),
    ...Array.from({ length: 12 }, (_, i) => tick(100 + i * 3000)),
    probed(5_100, 'success'),
    probed(15_100, 'failure'),
    probed(25_100, 'failure'),
    probed(35_100, 'failure'),
    { type: 'liveness-failed', t: 35_100, pid: 1, probe: 'httpGet', failures: 3 },
    { type: 'signal', t: 35_100, pid: 1, signal: 'SIGTERM' },
    { type: 'worker-exit', t: 35_150, pid: 1, code: null, signal: 'SIGTERM' },
    { type: 'restart-backoff', t: 35_150, pid: 1, delayMs: 400, backoffMs: 0 },
    spawn(35_550, 2, true),
  ];
}

describe('the kubelet in the analysis', () => {
  it('counts a liveness failure as a kill, its age since the last probe that passed', () => {
    const [kill] = findKills(busyKilled());
    expect(kill).toMatchObject({ atMs: 35_100, pid: 1, heartbeatAgeMs: 30_000, exitSignal: 'SIGTERM', neededSigkill: false });
  });

  it('marks the exit of a container that shut down by itself after the kubelet\'s SIGTERM, not an end-of-run stop', () => {
    const graceful = busyKilled().map((e) => (e.type === 'worker-exit' ? { ...e, t: 42_000, code: 0, signal: null } : e));
    const stopped: TraceEvent = { type: 'worker-exit', t: 80_000, pid: 2, code: 0, signal: null };
    const exits = buildTimeline([...graceful, stopped], 80_000).markers.filter((m) => m.kind === 'exit');
    expect(exits).toEqual([{ t: 42_000, kind: 'exit', label: 'pid 1 shut down after SIGTERM' }]);
  });

  it('finds the probes, the longest failure streak and the back-offs', () => {
    expect(findProbes(busyKilled())).toEqual({ probes: 4, failures: 3, longestStreak: 3, slowestMs: 1000, backoffsMs: [0] });
  });

  it('tells a busy container killed from a hung one by whether the loop came back while the probes failed', () => {
    const events = busyKilled();
    const input = { strategy: 'health-on-loop', probe, outcome: 'killed' as const, kills: findKills(events), probes: findProbes(events), openStallAtEndMs: null, longestStallMs: 3000 };
    const [busy] = explainProbeStrategy({ ...input, events });
    expect(busy).toMatchObject({ kind: 'liveness-kill', loopTickedMeanwhile: true, atMs: 35_000, failureThreshold: 3 });
    expect(describeFinding(busy!)).toContain('busy, not hung');
    expect(describeFinding(busy!)).toContain('failed 3 times in a row');
    const hung = events.filter((e) => !(e.type === 'tick' && e.t > 6000));
    const [hungFinding] = explainProbeStrategy({ ...input, events: hung });
    expect(hungFinding).toMatchObject({ kind: 'liveness-kill', loopTickedMeanwhile: false });
    expect(describeFinding(hungFinding!)).toContain('it was hung, and the kill was right');
  });

  it('calls a loop hung past the probe\'s detection window with no kill a missed hang, and two failures of three at risk', () => {
    const evidence = { kills: [], probe, inconclusive: [] };
    const passing = { probes: 8, failures: 0, longestStreak: 0, slowestMs: 5, backoffsMs: [] };
    expect(classifyProbeOutcome({ ...evidence, probes: passing, openStallAtEndMs: detectionWindowMs(probe) + 1 }).outcome).toBe('missed-hang');
    expect(classifyProbeOutcome({ ...evidence, probes: passing, openStallAtEndMs: 5000 }).outcome).toBe('survived');
    expect(classifyProbeOutcome({ ...evidence, probes: { ...passing, failures: 2, longestStreak: 2 }, openStallAtEndMs: null }).outcome).toBe('at-risk');
    expect(classifyProbeOutcome({ ...evidence, probes: { ...passing, failures: 2, longestStreak: 1 }, openStallAtEndMs: null }).outcome).toBe('survived');
    const tooFew = classifyProbeOutcome({ ...evidence, probes: { ...passing, probes: 1 }, openStallAtEndMs: null });
    expect(tooFew).toEqual({ outcome: 'inconclusive', why: [{ kind: 'too-few-probes', seen: 1, needed: 2 }] });
  });
});

describe('the probe chart', () => {
  it('draws each probe where it ended at the time it took, failed ones red, against the timeout, with the kill as a line', async () => {
    const { buildTimeline } = await import('../../src/analysis/timeline.js');
    const { renderProbeChart } = await import('../../src/report/svg-charts.js');
    const timeline = buildTimeline(busyKilled(), 40_000);
    expect(timeline.probes).toEqual([[5_100, 5, 1], [15_100, 1000, 0], [25_100, 1000, 0], [35_100, 1000, 0]]);
    const svg = renderProbeChart(timeline, 1000, 40_000);
    expect(svg.match(/<circle [^>]*fill="#c62828"/g)?.length).toBe(3 + 1); // three failed probes and the legend's swatch
    expect(svg.match(/<circle [^>]*fill="#2e7d32"/g)?.length).toBe(1 + 1);
    expect(svg).toContain('timeout 1.0 s');
    expect(svg).toContain('1 kill (failures in a row, SIGTERM, restart)');
    expect(svg).toContain('kill 1');
  });
});
