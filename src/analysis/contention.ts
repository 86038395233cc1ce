// Whether the host starved the run itself (pure): CPU-bound handlers burn by the clock, so on a busy
// host a burn still ends on time but its process got less than a core meanwhile; the same competition
// makes the loop's idle ticks late. A contended run's tick timing is distorted, whatever its outcome.

import { NOMINAL_TICK_MS } from '../notifiers/types.js';
import { eventsOfType, type TraceEvent } from '../trace/events.js';
import { ticksByWorker } from './ticks.js';
import type { ContentionFindings } from './types.js';

/** Below this share of a core during its burns, a worker was competing for the CPU. */
export const CONTENDED_CPU_SHARE = 0.9;
/** An idle tick (no handler ran before it) this much later than the nominal 100 ms is late. */
export const LATE_IDLE_TICK_FACTOR = 1.5;
/** Without burns to measure (the real stack), this share of late idle ticks, of at least this many, is contention. */
export const CONTENDED_LATE_TICK_SHARE = 0.25;
export const MIN_IDLE_TICKS = 20;


export function findContention(events: readonly TraceEvent[]): ContentionFindings {
  let spun = 0;
  let cpu = 0;
  let burns = 0;
  for (const end of eventsOfType(events, 'request-end')) {
    if (end.spunMs === undefined || end.cpuMs === undefined || end.spunMs <= 0) continue;
    spun += end.spunMs;
    cpu += end.cpuMs;
    burns++;
  }
  let idleTicks = 0;
  let lateIdleTicks = 0;
  for (const ticks of ticksByWorker(events).values()) {
    for (let i = 1; i < ticks.length; i++) {
      const tick = ticks[i];
      const previous = ticks[i - 1];
      if (tick === undefined || previous === undefined || tick.handlers > 0) continue;
      idleTicks++;
      if (tick.t - previous.t > LATE_IDLE_TICK_FACTOR * NOMINAL_TICK_MS) lateIdleTicks++;
    }
  }
  const cpuShare = burns === 0 ? null : cpu / spun;
  const contended = cpuShare !== null ? cpuShare < CONTENDED_CPU_SHARE : idleTicks >= MIN_IDLE_TICKS && lateIdleTicks / idleTicks > CONTENDED_LATE_TICK_SHARE;
  return { burns, cpuShare, idleTicks, lateIdleTicks, contended };
}
