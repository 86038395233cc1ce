// One plain line per notable event while a run goes on (kills, deaths, respawns), in scenario time.

import type { TraceEvent } from '../trace/events.js';
import { formatDuration } from '../report/format.js';

export function describeProgressEvent(strategy: string, event: TraceEvent, timeScale: number): string | null {
  const at = formatDuration(event.t / timeScale).padStart(8);
  const who = strategy.padEnd(12);
  switch (event.type) {
    case 'worker-timeout':
      return `${at}  ${who} WORKER TIMEOUT (pid:${event.pid}): heartbeat ${formatDuration(event.ageMs / timeScale)} old, SIGABRT`;
    case 'signal':
      return event.signal === 'SIGKILL' ? `${at}  ${who} worker ${event.pid} still alive: SIGKILL` : null;
    case 'worker-exit':
      return event.signal === 'SIGTERM' || event.signal === null ? null : `${at}  ${who} worker ${event.pid} died by ${event.signal}`;
    case 'worker-spawn':
      return event.worker > 1 ? `${at}  ${who} booted replacement worker ${event.pid}` : null;
    default:
      return null;
  }
}
