// What the orchestrator tells its children (through one JSON environment variable each), and the
// messages they send back over IPC: discriminated unions, checked at the boundary.

import type { HeartbeatCarrier } from '../masters/types.js';
import type { ClockStep, LoopDiscipline, RouteSpec } from '../scenario/types.js';
import type { TraceEvent } from '../trace/events.js';

/** Children find the heartbeat file and the listening socket at these fds. */
export const HEARTBEAT_FD = 4;
export const LISTEN_FD = 5;
/** With stack capture on: the master's request channel to the worker's capture thread. */
export const STACK_CHANNEL_FD = 6;

export interface WorkerConfig {
  notifier: string;
  loop: LoopDiscipline;
  carrier: HeartbeatCarrier;
  tickMs: number;
  timeoutMs: number;
  keepAliveMs: number;
  /** The longest a CPU handler may spin, whatever a request asks. */
  maxBlockMs: number;
  /** Threads in the pool the `offload` route runs its CPU work on. */
  offloadThreads: number;
  /** A scenario script whose `handlers` serve `script` routes; null for JSON scenarios. */
  scenarioModule: string | null;
  /** Steps of the processes' wall clock, in real ms since the run's origin. */
  clockSteps: ClockStep[];
  /** Start the stack-capture thread (--stacks). */
  captureStacks: boolean;
  /** How often the worker records its loop delay and utilisation (the master's period). */
  loopWindowMs: number;
  tracePath: string;
  /** The run's origin on the monotonic clock, in ns, as a decimal string. */
  originNs: string;
}

export interface MasterConfig {
  master: string;
  carrier: HeartbeatCarrier;
  workers: number;
  timeoutMs: number;
  periodMs: number;
  port: number;
  /** The master stops by itself after this long, whatever happens to its parent. */
  deadlineMs: number;
  /** Extra environment for every worker (Clinic.js Doctor's preloads with --clinic doctor). */
  workerEnv: Record<string, string>;
  /** How workers are stopped at the end: SIGTERM, or SIGINT under Doctor, whose sampler flushes on it. */
  workerStopSignal: 'SIGTERM' | 'SIGINT';
  clockSteps: ClockStep[];
  tracePath: string;
  originNs: string;
  worker: WorkerConfig;
}

export interface LoadConfig {
  port: number;
  clients: number;
  thinkMs: number;
  durationMs: number;
  /** autocannon's per-request timeout, above the worst handler time. */
  requestTimeoutMs: number;
  routes: RouteSpec[];
  seed: number;
  tracePath: string;
  originNs: string;
}

export const WORKER_CONFIG_ENV = 'STARVE_LAB_WORKER';
export const MASTER_CONFIG_ENV = 'STARVE_LAB_MASTER';
export const LOAD_CONFIG_ENV = 'STARVE_LAB_LOAD';

/** Master -> orchestrator. */
export type MasterMessage =
  | { type: 'ready'; port: number }
  | { type: 'event'; event: TraceEvent }
  | { type: 'failed'; code: string; message: string; hint: string | null };

/** Worker -> master. */
export type WorkerMessage = { type: 'listening' };

/** Requests so far, by outcome, as the load sees them. */
export interface LoadCounts {
  sent: number;
  completed: number;
  reset: number;
  refused: number;
  timedOut: number;
}

/** Load -> orchestrator. */
export type LoadMessage = { type: 'progress'; counts: LoadCounts } | { type: 'done'; sent: number };

/** Orchestrator -> master or load. */
export type StopMessage = { type: 'stop' };

/** Reads a child's config from its environment; a missing one means it was started by hand. */
export function readChildConfig<T>(envName: string): T {
  const raw = process.env[envName];
  if (raw === undefined) {
    process.stderr.write(`starve-lab: this process is started by \`starve-lab run\`, not by hand (${envName} is not set).\n`);
    process.exit(2);
  }
  return JSON.parse(raw) as T;
}

export function isMessageOfType<T extends { type: string }>(value: unknown, type: T['type']): value is T {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === type;
}
