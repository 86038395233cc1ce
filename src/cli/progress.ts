// One plain line per notable event while a run goes on (kills, deaths, respawns), in scenario time.

import { isDeath } from '../analysis/exits.js';
import { formatDuration } from '../report/format.js';
import { isRespawn, type TraceEvent } from '../trace/events.js';

export function describeProgressEvent(strategy: string, event: TraceEvent, timeScale: number): string | null {
  const at = formatDuration(event.t / timeScale).padStart(8);
  const who = strategy.padEnd(12);
  switch (event.type) {
    case 'worker-timeout':
      return `${at}  ${who} WORKER TIMEOUT (pid:${event.pid}): heartbeat ${formatDuration(event.ageMs / timeScale)} old, SIGABRT`;
    case 'signal':
      return event.signal === 'SIGKILL' ? `${at}  ${who} worker ${event.pid} still alive: SIGKILL` : null;
    case 'worker-exit':
      return isDeath(event) ? `${at}  ${who} worker ${event.pid} died by ${event.signal ?? 'a signal'}` : null;
    case 'worker-spawn':
      return isRespawn(event) ? `${at}  ${who} booted replacement worker ${event.pid}` : null;
    default:
      return null;
  }
}
