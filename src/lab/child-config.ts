// What the orchestrator tells its children, through one JSON environment variable each: schemas that
// each child decodes once as it starts (a child started by hand, or with a garbled config, says so).

import { z } from 'zod';
import { describeIssues } from '../decode/describe-issues.js';

/** Children find the heartbeat file and the listening socket at these fds. */
export const HEARTBEAT_FD = 4;
export const LISTEN_FD = 5;
/** With stack capture on: the master's request channel to the worker's capture thread. */
export const STACK_CHANNEL_FD = 6;

const ms = z.number().finite().nonnegative();
const clockStep = z.object({ atMs: ms, stepMs: z.number().finite() });
const carrier = z.enum(['ctime-wall', 'mtime-monotonic']);
const durationSpec = z.union([ms, z.object({ min: ms, max: ms })]);
const httpRequest = z.object({ method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']), path: z.string(), body: z.string().optional(), headers: z.record(z.string(), z.string()).optional() });
const route = z.object({ kind: z.enum(['cpu', 'wait', 'offload', 'script', 'http']), weight: z.number().positive(), ms: durationSpec, handler: z.string().optional(), request: httpRequest.optional() });

export const workerConfigSchema = z.object({
  notifier: z.string(),
  loop: z.enum(['uvloop', 'asyncio']),
  carrier,
  tickMs: ms,
  timeoutMs: ms,
  keepAliveMs: ms,
  /** The longest a CPU handler may spin, whatever a request asks. */
  maxBlockMs: ms,
  /** Threads in the pool the `offload` route runs its CPU work on. */
  offloadThreads: z.number().int().positive(),
  /** A scenario script whose `handlers` serve `script` routes; null for JSON scenarios. */
  scenarioModule: z.string().nullable(),
  /** Steps of the processes' wall clock, in real ms since the run's origin. */
  clockSteps: z.array(clockStep),
  /** Start the stack-capture thread (--stacks). */
  captureStacks: z.boolean(),
  /** How often the worker records its loop delay and utilisation (the master's period). */
  loopWindowMs: ms,
  tracePath: z.string(),
  /** The run's origin on the monotonic clock, in ns, as a decimal string. */
  originNs: z.string().regex(/^\d+$/),
});
export type WorkerConfig = z.infer<typeof workerConfigSchema>;

/** How the master starts one worker: the target's command (lab/targets/). */
export const workerLaunchSchema = z.object({ command: z.string(), args: z.array(z.string()), env: z.record(z.string(), z.string()) });

export const masterConfigSchema = z.object({
  master: z.string(),
  carrier,
  /** gunicorn <= 21 stamps the file at creation, so a worker's boot counts as its first heartbeat. */
  bootCountsAsBeat: z.boolean(),
  workers: z.number().int().positive(),
  timeoutMs: ms,
  periodMs: ms,
  port: z.number().int().min(0).max(65_535),
  /** The master stops by itself after this long, whatever happens to its parent. */
  deadlineMs: ms,
  /** How workers are stopped at the end: SIGTERM, or SIGINT under Doctor, whose sampler flushes on it. */
  workerStopSignal: z.enum(['SIGTERM', 'SIGINT']),
  /** How long stopping workers get before SIGKILL. */
  workerStopGraceMs: ms,
  captureStacks: z.boolean(),
  clockSteps: z.array(clockStep),
  tracePath: z.string(),
  originNs: z.string().regex(/^\d+$/),
  worker: workerLaunchSchema,
});
export type MasterConfig = z.infer<typeof masterConfigSchema>;

export const loadConfigSchema = z.object({
  port: z.number().int().min(1).max(65_535),
  clients: z.number().int().positive(),
  thinkMs: ms,
  durationMs: ms,
  /** autocannon's per-request timeout, above the worst handler time. */
  requestTimeoutMs: ms,
  routes: z.array(route),
  seed: z.number().int(),
  tracePath: z.string(),
  originNs: z.string().regex(/^\d+$/),
});
export type LoadConfig = z.infer<typeof loadConfigSchema>;

export const WORKER_CONFIG_ENV = 'STARVE_LAB_WORKER';
export const MASTER_CONFIG_ENV = 'STARVE_LAB_MASTER';
export const LOAD_CONFIG_ENV = 'STARVE_LAB_LOAD';

/** Reads and decodes a child's config from its environment; exits 2 if it is missing or garbled. */
export function readChildConfig<T>(envName: string, schema: z.ZodType<T>): T {
  const raw = process.env[envName];
  const fail = (why: string): never => {
    process.stderr.write(`starve-lab: ${why}\n`);
    process.exit(2);
  };
  if (raw === undefined) return fail(`this process is started by \`starve-lab run\`, not by hand (${envName} is not set).`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return fail(`${envName} is not valid JSON.`);
  }
  const decoded = schema.safeParse(value);
  return decoded.success ? decoded.data : fail(`${envName}: ${describeIssues(decoded.error, value)}.`);
}
