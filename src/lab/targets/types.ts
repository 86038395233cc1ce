// The target seam: what kind of worker process a supervisor runs. A target says how one worker is
// started; its trace events come from the worker itself, through the trace file it is given. A
// `process` target is a command a supervisor of ours spawns per worker; an `asgi` target is an ASGI
// app that a real Python server (gunicorn + uvicorn) loads and forks workers for itself.

import type { LabPlan } from '../../scenario/scale-time.js';

import type { WorkerLaunch } from '../ipc/child-config.js';

/** One worker process, as a command: the supervisor adds the fds and the process group. */
export type { WorkerLaunch };

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

export interface ProcessTarget {
  readonly kind: 'process';
  /** `model`: starve-lab's Node re-creation of uvicorn's worker. */
  readonly name: string;
  launchWorker(context: TargetContext): WorkerLaunch;
}

/** The Python interpreter that has the real stack, and what it has. */
export interface PythonStack {
  python: string;
  /** The stack's name (`system`, or one `stacks install` fetched) and what goes first on PYTHONPATH. */
  name: string;
  sitePath: string[];
  versions: { python: string; gunicorn: string; uvicorn: string; uvloop: string | null; httptools: string | null; h11: string | null };
}

export interface AsgiTarget {
  readonly kind: 'asgi';
  /** `python-routes`: starve-lab's own routes app; `python-app`: the user's (--app). */
  readonly name: string;
  stack: PythonStack;
  /** `module:attribute`, as gunicorn takes it. */
  app: string;
  /** Directories added to the import path (starve-lab's worker classes, the user's --app-dir). */
  pythonPath: string[];
  /** The user's app: the worker traces its requests itself (ours trace their own). */
  userApp: boolean;
}

export type Target = ProcessTarget | AsgiTarget;
