// The supervisor seam: what judges a worker's liveness and kills and replaces it. A supervisor starts
// its workers through a target, records what it does in the strategy's trace, and stops on request.

import type { LabPlan } from '../../scenario/scale-time.js';
import type { TraceEvent } from '../../trace/events.js';
import type { Target } from '../targets/types.js';

export interface SupervisorContext {
  plan: LabPlan;
  strategy: string;
  /** The strategy's directory: its trace and the supervisor's log go here. */
  dir: string;
  tracePath: string;
  /** 0 for any free port on 127.0.0.1. */
  port: number;
  originNs: bigint;
  target: Target;
  captureStacks: boolean;
  /** Extra environment for the workers (Clinic.js Doctor's preloads). */
  workerEnv: Record<string, string>;
  /** Notable events (spawns, kills, exits) as they happen, for progress. */
  onEvent(event: TraceEvent): void;
}

export interface SupervisedStrategy {
  /** Resolves with the port the load should use once the first worker listens; rejects with a StarveError. */
  ready: Promise<number>;
  /** Stops the supervisor and every worker it started; resolves when they are gone. */
  stop(): Promise<void>;
  /** The process group its supervisor leads and its workers run in (whose CPU waits the orchestrator samples); null if it has none. */
  processGroup: number | null;
}

export interface Supervisor {
  /** `gunicorn-model`: starve-lab's re-creation of gunicorn's arbiter (lab/supervisors/gunicorn/master-main.ts). */
  readonly name: string;
  start(context: SupervisorContext): SupervisedStrategy;
}
