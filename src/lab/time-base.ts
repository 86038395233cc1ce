// One time base for every process of a run: milliseconds since the run's start on CLOCK_MONOTONIC,
// which Linux shares across processes (process.hrtime reads it), so master, worker and load agree.

export function readMonotonicNs(): bigint {
  return process.hrtime.bigint();
}

/** Milliseconds elapsed since `originNs` (a reading of readMonotonicNs taken by the orchestrator). */
export function msSince(originNs: bigint): number {
  return Number(process.hrtime.bigint() - originNs) / 1e6;
}

/** The monotonic clock in milliseconds (since an arbitrary boot-time origin). */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
