// Time series for the charts (pure): the heartbeat age as the master saw it, the kill markers, tick
// intervals and request outcomes, all on the run's time axis in scenario time.

import { eventsOfType, isRespawn, type RequestOutcome, type TraceEvent } from '../trace/events.js';
import { groupBy } from '../stats.js';
import { isDeath } from './exits.js';
import { finalStalls } from './ticks.js';
import type { Marker, Timeline } from './types.js';

export const MAX_TICK_POINTS = 1500;
/** Completed requests kept for the chart; every failed one is always kept. */
export const MAX_COMPLETED_POINTS = 1500;

/** One worker's sawtooth: its age grows from each heartbeat and drops to 0 at the next. */
function workerSawtooth(beats: number[], startT: number | null, endT: number): Array<[number, number | null]> {
  const points: Array<[number, number | null]> = [];
  let last = startT;
  // The age rises from the boot (when the boot counts as a beat), not from nowhere at the first beat.
  if (startT !== null) points.push([startT, 0]);
  for (const beat of beats) {
    if (last !== null) points.push([beat, beat - last]);
    points.push([beat, 0]);
    last = beat;
  }
  if (last !== null) points.push([endT, endT - last], [endT, null]);
  return points;
}

function heartbeatAge(events: readonly TraceEvent[], endT: number): Array<[number, number | null]> {
  const beats = groupBy(eventsOfType(events, 'heartbeat'), (beat) => beat.pid);
  const exits = new Map(eventsOfType(events, 'worker-exit').map((exit) => [exit.pid, exit.t]));
  return eventsOfType(events, 'worker-spawn').flatMap((spawn) =>
    workerSawtooth(
      (beats.get(spawn.pid) ?? []).map((beat) => beat.beatT).sort((a, b) => a - b),
      spawn.bootCountsAsBeat ? spawn.t : null,
      exits.get(spawn.pid) ?? endT,
    ),
  );
}

function markers(events: readonly TraceEvent[]): Marker[] {
  const found: Marker[] = [];
  /** Containers the kubelet sent SIGTERM: their exit ends the kill, even a graceful one. */
  const terminated = new Set<number>();
  const containerPids = new Set(eventsOfType(events, 'container-start').map((e) => e.pid));
  for (const event of events) {
    switch (event.type) {
      case 'worker-spawn':
        found.push(isRespawn(event) ? { t: event.t, kind: 'respawn', label: `respawn (pid ${event.pid})` } : { t: event.t, kind: 'spawn', label: `boot (pid ${event.pid})` });
        break;
      case 'worker-timeout':
        found.push({ t: event.t, kind: 'worker-timeout', label: `WORKER TIMEOUT (pid:${event.pid})` });
        break;
      // The kubelet's kill: drawn as a kill, as gunicorn's is.
      case 'liveness-failed':
        terminated.add(event.pid);
        found.push({ t: event.t, kind: 'worker-timeout', label: `liveness probe failed ${event.failures}× (${containerPids.has(event.pid) ? 'container, master ' : ''}pid ${event.pid}): SIGTERM` });
        break;
      // uvicorn's process manager: a ping unanswered for the healthcheck timeout, drawn as a kill.
      case 'ping':
        if (!event.answered) found.push({ t: event.t, kind: 'worker-timeout', label: `ping unanswered for ${(event.waitedMs / 1000).toFixed(1)} s (pid ${event.pid}): SIGKILL` });
        break;
      case 'signal':
        if (event.signal !== 'SIGTERM') found.push({ t: event.t, kind: event.signal === 'SIGABRT' ? 'sigabrt' : 'sigkill', label: event.signal });
        break;
      case 'worker-exit':
        if (isDeath(event)) found.push({ t: event.t, kind: 'exit', label: `pid ${event.pid} died (${event.signal})` });
        else if (terminated.has(event.pid)) found.push({ t: event.t, kind: 'exit', label: `pid ${event.pid} shut down after SIGTERM` });
        break;
      // A pod whose container is a gunicorn master: the container's own start and end.
      case 'container-start':
        found.push({ t: event.t, kind: event.respawn ? 'respawn' : 'spawn', label: `container ${event.respawn ? 'restarted' : 'started'} (master pid ${event.pid})` });
        break;
      case 'container-exit':
        found.push({ t: event.t, kind: 'exit', label: `container exited (master pid ${event.pid}${event.signal === null ? '' : `, ${event.signal}`})` });
        break;
      case 'clock-step':
        found.push({ t: event.t, kind: 'clock-step', label: `clock ${event.stepMs > 0 ? '+' : ''}${(event.stepMs / 1000).toFixed(0)} s` });
        break;
      default:
        break;
    }
  }
  return found;
}

/** Keeps at most `limit` points, the largest of each bucket, so stalls survive downsampling. */
export function downsampleByMax(points: Array<[number, number]>, limit: number): Array<[number, number]> {
  if (points.length <= limit) return points;
  const size = Math.ceil(points.length / limit);
  const kept: Array<[number, number]> = [];
  for (let i = 0; i < points.length; i += size) {
    const bucket = points.slice(i, i + size);
    kept.push(bucket.reduce((best, point) => (point[1] > best[1] ? point : best)));
  }
  return kept;
}

function tickIntervals(events: readonly TraceEvent[]): Array<[number, number]> {
  const points: Array<[number, number]> = [];
  for (const ticks of groupBy(eventsOfType(events, 'tick'), (tick) => tick.pid).values()) {
    for (let i = 1; i < ticks.length; i++) {
      const tick = ticks[i];
      const previous = ticks[i - 1];
      if (tick !== undefined && previous !== undefined) points.push([tick.t, tick.t - previous.t]);
    }
  }
  // The stall a worker died or was stopped in, drawn where it ended.
  points.push(...finalStalls(events).map((stall): [number, number] => [stall.endT, stall.stallMs]));
  return downsampleByMax(points.sort((a, b) => a[0] - b[0]), MAX_TICK_POINTS);
}

/** Every failed request, and completed ones thinned evenly to MAX_COMPLETED_POINTS, in time order. */
function requestPoints(events: readonly TraceEvent[]): Array<[number, RequestOutcome]> {
  const outcomes = eventsOfType(events, 'request-outcome');
  const completed = outcomes.filter((e) => e.outcome === 'completed');
  const step = Math.max(1, Math.ceil(completed.length / MAX_COMPLETED_POINTS));
  const kept = new Set(completed.filter((_, i) => i % step === 0));
  return outcomes.filter((e) => e.outcome !== 'completed' || kept.has(e)).map((e) => [e.t, e.outcome]);
}

export function buildTimeline(events: readonly TraceEvent[], endT: number): Timeline {
  // The kubelet's probes, or uvicorn's pings (each one's wait for the answer): the same chart.
  const probes = [
    ...eventsOfType(events, 'probe').map((p): [number, number, number] => [p.t, p.tookMs, p.result === 'success' ? 1 : 0]),
    ...eventsOfType(events, 'ping').map((p): [number, number, number] => [p.t, p.waitedMs, p.answered ? 1 : 0]),
  ];
  return {
    ...(probes.length === 0 ? {} : { probes }),
    heartbeatAge: heartbeatAge(events, endT),
    markers: markers(events),
    tickIntervals: tickIntervals(events),
    requests: requestPoints(events),
    loopDelay: eventsOfType(events, 'loop-delay').map((e) => [e.t, e.maxMs, e.utilisation]),
  };
}
