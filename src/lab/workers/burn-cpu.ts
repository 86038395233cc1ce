// A handler that really blocks the loop: a busy loop against a clock, capped.

import { performance } from 'node:perf_hooks';

/** Spins for `ms` (at most `capMs`) and returns how long it actually spun. */
export function burnCpu(ms: number, capMs: number): number {
  const start = performance.now();
  const until = start + Math.min(Math.max(ms, 0), capMs);
  let now = start;
  while (now < until) now = performance.now();
  return now - start;
}
