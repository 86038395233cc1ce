// The charts count from the strategy's first worker boot, as the table's "first kill" does (pure): the
// lab's own start-up before it (Node processes starting, which at --time-scale 0.1 looks like 10 s of
// scenario time) is not part of the scenario, and one time base reads the same everywhere.

import type { Timeline } from '../analysis/types.js';

/** Where a strategy's scenario clock starts on the trace's time axis: its first boot (0 if none). */
export function firstBootMs(timeline: Timeline): number {
  return timeline.markers.find((marker) => marker.kind === 'spawn')?.t ?? 0;
}

/** The timeline with every time counted from `originMs`; what came before it is left out. */
export function shiftTimeline(timeline: Timeline, originMs: number): Timeline {
  const after = <T extends readonly [number, ...unknown[]]>(points: readonly T[]): T[] => points.filter(([t]) => t >= originMs).map((point) => [point[0] - originMs, ...point.slice(1)] as unknown as T);
  return {
    heartbeatAge: after(timeline.heartbeatAge),
    markers: timeline.markers.filter((m) => m.t >= originMs).map((m) => ({ ...m, t: m.t - originMs })),
    tickIntervals: after(timeline.tickIntervals),
    requests: after(timeline.requests),
    loopDelay: after(timeline.loopDelay),
    ...(timeline.probes === undefined ? {} : { probes: after(timeline.probes) }),
  };
}
