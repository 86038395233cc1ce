// One plain line per notable event while a run goes on (kills, deaths, respawns), in scenario time
// since the strategy's first worker booted (TIME_BASE_NOTE says so once, at the top of the run).

import { isDeath } from '../analysis/exits.js';
import { formatDuration } from '../report/format.js';
import { isRespawn, type TraceEvent } from '../trace/events.js';

/** Said once when a run starts, so each time on the lines below has one meaning. */
export const TIME_BASE_NOTE =
  "times count from each strategy's first worker boot, in scenario time, here and in the report; master.log has the machine's clock";

/** `bootT`: the strategy's first worker-spawn on the trace's (scaled) clock. */
export function describeProgressEvent(strategy: string, event: TraceEvent, timeScale: number, bootT: number): string | null {
  const at = `t+${formatDuration((event.t - bootT) / timeScale)}`.padStart(9);
  const who = strategy.padEnd(12);
  switch (event.type) {
    case 'worker-timeout':
      return `${at}  ${who} WORKER TIMEOUT (pid:${event.pid}): heartbeat ${formatDuration(event.ageMs / timeScale)} old, SIGABRT`;
    case 'signal':
      return event.signal === 'SIGKILL' ? `${at}  ${who} worker ${event.pid} still alive: SIGKILL` : null;
    case 'ping':
      return event.answered ? null : `${at}  ${who} child ${event.pid} did not answer uvicorn's ping within ${formatDuration(event.waitedMs / timeScale)}: SIGKILL, "Child process [${event.pid}] died"`;
    case 'liveness-failed':
      return `${at}  ${who} liveness probe failed ${event.failures} times in a row (pid ${event.pid}): killing the container, SIGTERM`;
    case 'restart-backoff':
      return `${at}  ${who} container ${event.pid} exited: ${event.backoffMs > 0 ? `restart after a ${formatDuration(event.backoffMs / timeScale)} back-off` : 'restarting'}`;
    case 'worker-exit':
      return isDeath(event) ? `${at}  ${who} worker ${event.pid} died by ${event.signal ?? 'a signal'}` : null;
    case 'worker-spawn':
      return isRespawn(event) ? `${at}  ${who} booted replacement worker ${event.pid}` : null;
    default:
      return null;
  }
}
