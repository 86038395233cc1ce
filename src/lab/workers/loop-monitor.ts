// Records the worker loop's delay (max and p99 per window) and utilisation. Its own 10 ms sampler
// rather than monitorEventLoopDelay: resetting that histogram each window drops the sample of a stall
// that is still under way, which is exactly the sample that matters here.

import { performance } from 'node:perf_hooks';
import { percentile } from '../../stats.js';

/** Real ms between samples: fine enough to see stalls of a tick, cheap enough to leave on. */
export const SAMPLE_EVERY_MS = 10;

export interface LoopWindow {
  maxMs: number;
  p99Ms: number;
  utilisation: number;
}

export function startLoopMonitor(windowMs: number, report: (window: LoopWindow) => void): void {
  let delays: number[] = [];
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    delays.push(Math.max(0, now - last - SAMPLE_EVERY_MS));
    last = now;
  }, SAMPLE_EVERY_MS).unref();
  let since = performance.eventLoopUtilization();
  setInterval(() => {
    const current = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(current, since);
    since = current;
    // A stall that just ended may not be sampled yet; it lands in the next window, not lost.
    const sorted = delays.sort((a, b) => a - b);
    delays = [];
    report({ maxMs: sorted[sorted.length - 1] ?? 0, p99Ms: sorted.length === 0 ? 0 : percentile(sorted, 99), utilisation: utilization });
  }, windowMs).unref();
}
