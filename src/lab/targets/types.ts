// The target seam: what kind of worker process a supervisor runs. A target says how one worker is
// started; its trace events come from the worker itself, through the trace file it is given.

import type { LabPlan } from '../../scenario/scale-time.js';

/** One worker process, as a command: the supervisor adds the fds and the process group. */
export interface WorkerLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

export interface TargetContext {
  plan: LabPlan;
  /** The heartbeat rule this worker runs (a notifier preset). */
  strategy: string;
  /** The heartbeat carrier the supervisor reads (master preset). */
  carrier: 'ctime-wall' | 'mtime-monotonic';
  captureStacks: boolean;
  /** Extra environment (Clinic.js Doctor's preloads with --clinic doctor). */
  extraEnv: Record<string, string>;
  tracePath: string;
  originNs: bigint;
}

export interface Target {
  /** `model`: starve-lab's Node re-creation of uvicorn's worker. */
  readonly name: string;
  launchWorker(context: TargetContext): WorkerLaunch;
}
