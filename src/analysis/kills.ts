// Worker kills as the master carried them out (pure).

import { eventsOfType, type TraceEvent } from '../trace/events.js';
import type { Kill } from './types.js';

export function findKills(events: readonly TraceEvent[]): Kill[] {
  const spawns = new Map(eventsOfType(events, 'worker-spawn').map((e) => [e.pid, e.t]));
  const exits = new Map(eventsOfType(events, 'worker-exit').map((e) => [e.pid, e.signal]));
  const sigkilled = new Set(eventsOfType(events, 'signal').filter((e) => e.signal === 'SIGKILL').map((e) => e.pid));
  return eventsOfType(events, 'worker-timeout').map((timeout) => ({
    atMs: timeout.t,
    pid: timeout.pid,
    workerAgeMs: timeout.t - (spawns.get(timeout.pid) ?? 0),
    heartbeatAgeMs: timeout.ageMs,
    neededSigkill: sigkilled.has(timeout.pid),
    exitSignal: exits.get(timeout.pid) ?? null,
  }));
}

/** The first kill, measured from the first worker's boot. */
export function firstKillSinceBoot(events: readonly TraceEvent[], kills: readonly Kill[]): number | null {
  const first = kills[0];
  const boot = eventsOfType(events, 'worker-spawn')[0];
  if (first === undefined || boot === undefined) return null;
  return first.atMs - boot.t;
}
