// The processes' shared notion of wall time when a scenario steps the clock (pure): the machine's
// clock is never touched; every process adds the same offset to what it reads.

import type { ClockStep } from './types.js';

/** The offset, in ms, the wall clock carries `runMs` into the run. */
export function wallOffsetAt(steps: readonly ClockStep[], runMs: number): number {
  let offset = 0;
  for (const step of steps) if (step.atMs <= runMs) offset += step.stepMs;
  return offset;
}
