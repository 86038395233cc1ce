// How long the loop went without checking the clock or without ticking at all (pure).

import type { TraceEvent, TraceEventOf } from '../trace/events.js';
import { runEnd } from './run-span.js';
import { differences } from '../stats.js';
import { finalStalls, ticksByWorker } from './ticks.js';
import type { Kill } from './types.js';

/** The longest stretch between two clock checks of one worker, counting one still open at `endMs`. */
export function longestWindowOf(ticks: readonly TraceEventOf<'tick'>[], checkEveryTicks: number, endMs: number | null): number {
  const checks = ticks.filter((tick) => tick.counter % checkEveryTicks === 0).map((tick) => tick.t);
  const last = checks[checks.length - 1];
  const open = endMs !== null && last !== undefined ? [endMs - last] : [];
  return Math.max(0, ...differences(checks), ...open);
}

/** The longest check window of any worker (up to its kill, for a killed one). */
export function longestCheckWindow(events: readonly TraceEvent[], checkEveryTicks: number, kills: readonly Kill[]): number {
  const killedAt = new Map(kills.map((kill) => [kill.pid, kill.atMs]));
  return Math.max(0, ...[...ticksByWorker(events)].map(([pid, ticks]) => longestWindowOf(ticks, checkEveryTicks, killedAt.get(pid) ?? null)));
}

/**
 * For workers never timed out: how long each had gone without a tick when it was stopped at the end.
 * Longer than the timeout means a hung loop that its supervisor never caught.
 */
export function longestOpenStallAtEnd(events: readonly TraceEvent[], kills: readonly Kill[]): number | null {
  const killed = new Set(kills.map((kill) => kill.pid));
  const end = runEnd(events);
  const stalls = finalStalls(events, end).filter((stall) => !killed.has(stall.pid));
  return stalls.length === 0 ? null : Math.max(...stalls.map((stall) => stall.stallMs));
}
