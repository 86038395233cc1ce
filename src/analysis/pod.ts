// A pod whose container is a master with its workers (both killers nested: gunicorn's master or uvicorn's
// process manager inside, the kubelet outside), as the trace shows it (pure): which workers ran inside
// which container, and, at the first kill, how far the other killer was from its own.

import { eventsOfType, type TraceEvent } from '../trace/events.js';
import type { Finding, Kill } from './types.js';

/** The pids whose loops answer for `pid` at a kill: the workers the container master had started by `untilMs` and that were still alive, or `pid` itself when it is a worker. */
export function loopsOf(events: readonly TraceEvent[], pid: number, untilMs: number): number[] {
  const start = eventsOfType(events, 'container-start').find((e) => e.pid === pid);
  if (start === undefined) return [pid];
  const exit = eventsOfType(events, 'container-exit').find((e) => e.pid === pid);
  const end = Math.min(untilMs, exit?.t ?? Infinity);
  // The master's workers are the spawns between its start and its end (one container at a time), less
  // those its master had already killed and replaced.
  const gone = new Set(eventsOfType(events, 'worker-exit').filter((e) => e.t <= untilMs).map((e) => e.pid));
  return eventsOfType(events, 'worker-spawn').filter((e) => e.t >= start.t && e.t <= end && !gone.has(e.pid)).map((e) => e.pid);
}

/** The oldest heartbeat among the workers alive at `atMs`, as the master would judge it (the last beat it saw, or answered ping, else the worker's boot). */
export function oldestHeartbeatAgeAt(events: readonly TraceEvent[], atMs: number): number | null {
  const exited = new Map(eventsOfType(events, 'worker-exit').map((e) => [e.pid, e.t]));
  const beats = eventsOfType(events, 'heartbeat');
  const ages = eventsOfType(events, 'worker-spawn')
    .filter((spawn) => spawn.t <= atMs && (exited.get(spawn.pid) ?? Infinity) > atMs)
    .map((spawn) => atMs - (beats.filter((b) => b.pid === spawn.pid && b.t <= atMs).at(-1)?.beatT ?? spawn.t));
  return ages.length === 0 ? null : Math.max(...ages);
}

/** Failed probes in a row just before `atMs`. */
export function failuresInARowAt(events: readonly TraceEvent[], atMs: number): number {
  let streak = 0;
  for (const probe of eventsOfType(events, 'probe')) {
    if (probe.t > atMs) break;
    streak = probe.result === 'failure' ? streak + 1 : 0;
  }
  return streak;
}

export interface PodKillers {
  /** The container's master: a gunicorn preset, or `uvicorn`. */
  master: string;
  timeoutMs: number;
  failureThreshold: number;
}

/** Which killer struck first, and where the other stood then: the heartbeat's age against the timeout, or the probe's failures against the threshold. */
export function findFirstKiller(events: readonly TraceEvent[], kills: readonly Kill[], bootMs: number, pod: PodKillers): Extract<Finding, { kind: 'first-killer' }> | null {
  const first = kills[0];
  if (first === undefined) return null;
  const others = kills.filter((kill) => kill.by !== first.by).length;
  const common = { killer: first.by, atMs: first.atMs - bootMs, master: pod.master, timeoutMs: pod.timeoutMs, failureThreshold: pod.failureThreshold, kills: kills.length - others, otherKills: others };
  return first.by === 'kubelet'
    ? { kind: 'first-killer', ...common, oldestHeartbeatMs: oldestHeartbeatAgeAt(events, first.atMs), failuresInARow: null }
    : { kind: 'first-killer', ...common, oldestHeartbeatMs: null, failuresInARow: failuresInARowAt(events, first.atMs) };
}
