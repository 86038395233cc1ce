// Whether the host distorted the run itself (pure). A loop's tick or poll is late when its process was
// runnable but waited for a CPU; a client's next request is late the same way. The orchestrator reads
// both waits from Linux (`sched` events, lab/orchestrator/sched-sampler.ts) for every process of every
// target, the real Python stack and the user's app included. Two older signals stay for traces without
// samples: CPU-bound handlers burn by the clock, so on a busy host a burn still ends on time while its
// process got less than a core; and the loop's idle ticks come late.
//
// Measured on a 2-core machine, model and real stack (docs/commands.md has the table): alone, no worker
// waited more than 2.1% of its time and the load 13–30% of its runnable time; side by side 0.5–3.8% and
// 48–62%, while the burns' CPU share stayed at 96% at ×1 and handlers per tick changed; with every core
// burnt by other processes, a worker waited 22%.

import { NOMINAL_TICK_MS } from '../notifiers/types.js';
import { eventsOfType, type TraceEvent } from '../trace/events.js';
import { ticksByWorker } from './ticks.js';
import type { ContentionSignal } from './findings.js';
import type { ContentionFindings } from './types.js';

/** Below this share of a core during its burns, a worker was competing for the CPU. */
export const CONTENDED_CPU_SHARE = 0.9;
/** An idle tick (no handler ran before it) this much later than the nominal 100 ms is late. */
export const LATE_IDLE_TICK_FACTOR = 1.5;
/** Without burns or samples to measure, this share of late idle ticks, of at least this many, is contention. */
export const CONTENDED_LATE_TICK_SHARE = 0.25;
export const MIN_IDLE_TICKS = 20;
/** A worker held off the CPU this share of its time had its ticks and polls delayed that much. */
export const CONTENDED_WORKER_WAIT_SHARE = 0.05;
/** A load generator that waited this share of the time it was runnable sent requests late (a production client does not share the server's cores). */
export const CONTENDED_LOAD_WAIT_SHARE = 0.4;
/** The sampler's period (lab/orchestrator/sched-sampler.ts), real ms. */
const SAMPLE_MS = 500;
/** Fewer runnable milliseconds than this say nothing about the load; a worker seen for less than this (real ms) says nothing either. */
const MIN_RUNNABLE_MS = 50;
const MIN_WORKER_SPAN_MS = 1000;

interface PidWaits {
  firstT: number;
  lastT: number;
  waitMs: number;
}

/**
 * While the load ran (the whole run without load): the longest share of its own time any worker
 * waited for a CPU, and the share of the load generator's runnable time it waited. A worker is judged
 * against its time (how late its loop was); the load, mostly idle, against the time it wanted a CPU.
 * `timeScale` turns the trace's scenario times back into the real ms the waits are in.
 */
function schedWaits(events: readonly TraceEvent[], timeScale: number): { workerWaitShare: number | null; loadWaitShare: number | null; samples: number } {
  const from = eventsOfType(events, 'load-start')[0]?.t ?? -Infinity;
  const workers = new Map<number, PidWaits>();
  let loadCpuMs = 0;
  let loadWaitMs = 0;
  let samples = 0;
  for (const sample of eventsOfType(events, 'sched')) {
    if (sample.t <= from) continue;
    samples++;
    if (sample.role === 'load') {
      loadCpuMs += sample.cpuMs;
      loadWaitMs += sample.waitMs;
    } else if (sample.role === 'worker') {
      const seen = workers.get(sample.pid);
      // A worker's first sample holds its whole life before it (its boot): it only starts the count.
      if (seen === undefined) workers.set(sample.pid, { firstT: sample.t, lastT: sample.t, waitMs: 0 });
      else {
        seen.lastT = sample.t;
        seen.waitMs += sample.waitMs;
      }
    }
  }
  let workerWaitShare: number | null = null;
  for (const worker of workers.values()) {
    const spanMs = (worker.lastT - worker.firstT) * timeScale;
    if (spanMs < MIN_WORKER_SPAN_MS - SAMPLE_MS) continue;
    workerWaitShare = Math.max(workerWaitShare ?? 0, worker.waitMs / Math.max(spanMs, SAMPLE_MS));
  }
  const loadRunnable = loadCpuMs + loadWaitMs;
  return { workerWaitShare, loadWaitShare: loadRunnable < MIN_RUNNABLE_MS ? null : loadWaitMs / loadRunnable, samples };
}

function burnShare(events: readonly TraceEvent[]): { burns: number; cpuShare: number | null } {
  let spun = 0;
  let cpu = 0;
  let burns = 0;
  for (const end of eventsOfType(events, 'request-end')) {
    if (end.spunMs === undefined || end.cpuMs === undefined || end.spunMs <= 0) continue;
    spun += end.spunMs;
    cpu += end.cpuMs;
    burns++;
  }
  return { burns, cpuShare: burns === 0 ? null : cpu / spun };
}

function lateIdleTicks(events: readonly TraceEvent[]): { idleTicks: number; lateIdleTicks: number } {
  let idle = 0;
  let late = 0;
  for (const ticks of ticksByWorker(events).values()) {
    for (let i = 1; i < ticks.length; i++) {
      const tick = ticks[i];
      const previous = ticks[i - 1];
      if (tick === undefined || previous === undefined || tick.handlers > 0) continue;
      idle++;
      if (tick.t - previous.t > LATE_IDLE_TICK_FACTOR * NOMINAL_TICK_MS) late++;
    }
  }
  return { idleTicks: idle, lateIdleTicks: late };
}

/** `events` in scenario time (unscaled), `timeScale` the run's. */
export function findContention(events: readonly TraceEvent[], timeScale: number): ContentionFindings {
  const { burns, cpuShare } = burnShare(events);
  const { idleTicks, lateIdleTicks: late } = lateIdleTicks(events);
  const sched = schedWaits(events, timeScale);
  const { workerWaitShare, loadWaitShare } = sched;
  const signals: ContentionSignal[] = [];
  if (workerWaitShare !== null && workerWaitShare > CONTENDED_WORKER_WAIT_SHARE) signals.push('worker-waited');
  if (loadWaitShare !== null && loadWaitShare > CONTENDED_LOAD_WAIT_SHARE) signals.push('load-waited');
  if (cpuShare !== null && cpuShare < CONTENDED_CPU_SHARE) signals.push('burns-starved');
  // Late idle ticks speak only where nothing better was measured (traces before run-queue samples).
  if (sched.samples === 0 && cpuShare === null && idleTicks >= MIN_IDLE_TICKS && late / idleTicks > CONTENDED_LATE_TICK_SHARE) signals.push('late-idle-ticks');
  return { burns, cpuShare, idleTicks, lateIdleTicks: late, workerWaitShare, loadWaitShare, signals, contended: signals.length > 0 };
}
