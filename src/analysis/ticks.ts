// Tick lag (pure): how long each of the worker loop's ticks took and how many handlers ran in between.

import { eventsOfType, type TraceEvent, type TraceEventOf } from '../trace/events.js';
import { differences, groupBy, summarise } from '../stats.js';
import type { TickFindings } from './types.js';

export function ticksByWorker(events: readonly TraceEvent[]): Map<number, TraceEventOf<'tick'>[]> {
  return groupBy(eventsOfType(events, 'tick'), (tick) => tick.pid);
}

/**
 * Each worker's last stretch without a tick, from its last tick to its exit (death or stop), or to
 * `fallbackEndT` for a worker whose exit was never recorded.
 */
export function finalStalls(events: readonly TraceEvent[], fallbackEndT?: number): Array<{ pid: number; endT: number; stallMs: number }> {
  const exits = new Map(eventsOfType(events, 'worker-exit').map((exit) => [exit.pid, exit.t]));
  return [...ticksByWorker(events)].flatMap(([pid, ticks]) => {
    const exit = exits.get(pid) ?? fallbackEndT;
    const last = ticks[ticks.length - 1];
    return exit !== undefined && last !== undefined && exit > last.t ? [{ pid, endT: exit, stallMs: exit - last.t }] : [];
  });
}

/**
 * Tick lag under load: each worker's ticks from its first request on, so the idle ticks of boot
 * (and of every respawn) do not dilute the figures; a worker that never served keeps all its ticks.
 * The interval still open when a worker died or was stopped counts too, so a hang shows as a stall.
 */
export function findTickLag(events: readonly TraceEvent[]): TickFindings {
  const intervals: number[] = [];
  const handlersPerTick: Record<number, number> = {};
  let handlerTotal = 0;
  let measured = 0;
  const firstRequest = new Map<number, number>();
  for (const start of eventsOfType(events, 'request-start')) if (!firstRequest.has(start.pid)) firstRequest.set(start.pid, start.t);
  for (const [pid, all] of ticksByWorker(events)) {
    const from = firstRequest.get(pid) ?? Number.NEGATIVE_INFINITY;
    const lastBefore = all.filter((tick) => tick.t < from).length - 1;
    const ticks = all.slice(Math.max(0, lastBefore));
    intervals.push(...differences(ticks.map((tick) => tick.t)));
    // The first tick kept has no interval before it.
    for (const tick of ticks.slice(1)) {
      handlersPerTick[tick.handlers] = (handlersPerTick[tick.handlers] ?? 0) + 1;
      handlerTotal += tick.handlers;
      measured++;
    }
  }
  // The stretch from the last tick to the worker's death or stop: a hang or a kill mid-block.
  intervals.push(...finalStalls(events).map((stall) => stall.stallMs));
  const intervalMs = summarise(intervals);
  return {
    count: eventsOfType(events, 'tick').length,
    intervalMs,
    handlersPerTick,
    meanHandlersPerTick: measured === 0 ? null : handlerTotal / measured,
    longestStallMs: intervalMs?.max ?? null,
  };
}
