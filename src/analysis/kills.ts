// Worker kills as the master carried them out (pure).

import { eventsOfType, type TraceEvent } from '../trace/events.js';
import { processExits } from './exits.js';
import type { Kill } from './types.js';

export function findKills(events: readonly TraceEvent[]): Kill[] {
  // A pod's container that is a master (both killers nested) starts and exits as a container; its workers as workers.
  const spawns = new Map([...eventsOfType(events, 'worker-spawn'), ...eventsOfType(events, 'container-start')].map((e) => [e.pid, e.t]));
  const exits = new Map(processExits(events).map((e) => [e.pid, e.signal]));
  const sigkilled = new Set(eventsOfType(events, 'signal').filter((e) => e.signal === 'SIGKILL').map((e) => e.pid));
  const timeouts = eventsOfType(events, 'worker-timeout').map((timeout): Kill => ({
    atMs: timeout.t,
    by: 'master',
    pid: timeout.pid,
    workerAgeMs: timeout.t - (spawns.get(timeout.pid) ?? 0),
    heartbeatAgeMs: timeout.ageMs,
    neededSigkill: sigkilled.has(timeout.pid),
    exitSignal: exits.get(timeout.pid) ?? null,
  }));
  // The kubelet's kill: its "heartbeat" is the last probe that passed (or the container's start).
  const passed = eventsOfType(events, 'probe').filter((p) => p.result === 'success');
  const liveness = eventsOfType(events, 'liveness-failed').map((failed) => {
    const started = spawns.get(failed.pid) ?? 0;
    const lastPass = passed.filter((p) => p.pid === failed.pid && p.t <= failed.t).at(-1)?.t ?? started;
    return {
      atMs: failed.t,
      by: 'kubelet' as const,
      pid: failed.pid,
      workerAgeMs: failed.t - started,
      heartbeatAgeMs: failed.t - lastPass,
      neededSigkill: sigkilled.has(failed.pid),
      exitSignal: exits.get(failed.pid) ?? null,
    };
  });
  // uvicorn's process manager: an unanswered ping; its "heartbeat" is the last answered one (or the start).
  const pings = eventsOfType(events, 'ping');
  const unanswered = pings.filter((p) => !p.answered).map((ping) => {
    const started = spawns.get(ping.pid) ?? 0;
    const lastAnswer = pings.filter((p) => p.pid === ping.pid && p.answered && p.t <= ping.t).at(-1)?.t ?? started;
    return {
      atMs: ping.t,
      by: 'uvicorn' as const,
      pid: ping.pid,
      workerAgeMs: ping.t - started,
      heartbeatAgeMs: ping.t - lastAnswer,
      neededSigkill: false,
      exitSignal: exits.get(ping.pid) ?? null,
    };
  });
  return [...timeouts, ...liveness, ...unanswered].sort((a, b) => a.atMs - b.atMs);
}

/** When the first worker booted (a pod's first container, when it is a gunicorn master); null if none did. */
export function firstBootMs(events: readonly TraceEvent[]): number | null {
  const boot = events.find((e) => e.type === 'worker-spawn' || e.type === 'container-start');
  return boot === undefined ? null : boot.t;
}

/** The first kill, measured from the first worker's boot. */
export function firstKillSinceBoot(events: readonly TraceEvent[], kills: readonly Kill[]): number | null {
  const first = kills[0];
  const boot = firstBootMs(events);
  if (first === undefined || boot === null) return null;
  return first.atMs - boot;
}
