// Brings a compressed run back to scenario time (pure): every duration and time divided by the scale,
// so figures compare directly with the real stack whatever --time-scale was.

import type { TraceEvent } from '../trace/events.js';

export function unscaleEvents(events: readonly TraceEvent[], timeScale: number): TraceEvent[] {
  if (timeScale === 1) return [...events];
  const s = (ms: number): number => ms / timeScale;
  return events.map((event): TraceEvent => {
    const t = s(event.t);
    switch (event.type) {
      case 'master-start':
        return { ...event, t, timeoutMs: s(event.timeoutMs), periodMs: s(event.periodMs) };
      case 'heartbeat':
        return { ...event, t, beatT: s(event.beatT) };
      case 'check':
        return { ...event, t, ageMs: event.ageMs === null ? null : s(event.ageMs) };
      case 'worker-timeout':
        return { ...event, t, ageMs: s(event.ageMs) };
      case 'request-start':
      case 'request-sent':
        return { ...event, t, ms: s(event.ms) };
      case 'request-end':
        return { ...event, t, ...(event.spunMs === undefined ? {} : { spunMs: s(event.spunMs) }), ...(event.cpuMs === undefined ? {} : { cpuMs: s(event.cpuMs) }) };
      case 'request-outcome':
        return { ...event, t, latencyMs: s(event.latencyMs) };
      case 'load-start':
        return { ...event, t, durationMs: s(event.durationMs) };
      case 'loop-delay':
        return { ...event, t, maxMs: s(event.maxMs), p99Ms: s(event.p99Ms) };
      case 'clock-step':
        return { ...event, t, stepMs: s(event.stepMs) };
      case 'probe':
        return { ...event, t, tookMs: s(event.tookMs), heartbeatAgeMs: event.heartbeatAgeMs === null ? null : s(event.heartbeatAgeMs) };
      case 'ping':
        return { ...event, t, waitedMs: s(event.waitedMs) };
      case 'restart-backoff':
        return { ...event, t, delayMs: s(event.delayMs), backoffMs: s(event.backoffMs) };
      case 'liveness-failed':
      case 'worker-spawn':
      case 'container-start':
      case 'container-exit':
      case 'signal':
      case 'worker-exit':
      case 'master-stop':
      case 'worker-start':
      case 'listening':
      case 'tick':
      case 'notify':
      case 'load-end':
      case 'stack':
      case 'stack-unavailable':
      // Host figures stay in real ms: how long a process waited for a CPU does not scale.
      case 'sched':
        return { ...event, t };
    }
  });
}
