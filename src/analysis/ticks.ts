// Tick lag (pure): how long each of the worker loop's ticks took and how many handlers ran in between.

import { eventsOfType, type TraceEvent, type TraceEventOf } from '../trace/events.js';
import { differences, groupBy, summarise } from './stats.js';
import type { TickFindings } from './types.js';

export function ticksByWorker(events: readonly TraceEvent[]): Map<number, TraceEventOf<'tick'>[]> {
  return groupBy(eventsOfType(events, 'tick'), (tick) => tick.pid);
}

export function findTickLag(events: readonly TraceEvent[]): TickFindings {
  const intervals: number[] = [];
  const handlersPerTick: Record<number, number> = {};
  let handlerTotal = 0;
  let measured = 0;
  for (const ticks of ticksByWorker(events).values()) {
    intervals.push(...differences(ticks.map((tick) => tick.t)));
    // Tick 0 of each worker has no interval before it.
    for (const tick of ticks.slice(1)) {
      handlersPerTick[tick.handlers] = (handlersPerTick[tick.handlers] ?? 0) + 1;
      handlerTotal += tick.handlers;
      measured++;
    }
  }
  const intervalMs = summarise(intervals);
  return {
    count: eventsOfType(events, 'tick').length,
    intervalMs,
    handlersPerTick,
    meanHandlersPerTick: measured === 0 ? null : handlerTotal / measured,
    longestStallMs: intervalMs?.max ?? null,
  };
}
