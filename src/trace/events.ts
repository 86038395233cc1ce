// The trace contract: every event any process of a run records, one JSON object per line. The schemas
// are the one decoder of trace lines (decode-trace.ts); the types are inferred from them.
// `t` is milliseconds since the run's start on the shared monotonic clock (lab/time-base.ts).

import { z } from 'zod';

/**
 * 3: `sched` samples of every process's CPU and run-queue wait (older traces have none).
 * 2: `worker-spawn` says whether it replaced a dead worker (`respawn`), so a second initial worker is
 * not drawn as a respawn. Version 1 traces are still read (respawn then means worker > 1).
 */
export const TRACE_VERSION = 3;

const time = z.number().finite();
const pid = z.number().int();

export const requestOutcomeSchema = z.enum(['completed', 'reset', 'refused', 'timed-out', 'cut-at-end']);
export type RequestOutcome = z.infer<typeof requestOutcomeSchema>;

export const exitSignalSchema = z.enum(['SIGABRT', 'SIGKILL', 'SIGTERM']);
export type ExitSignal = z.infer<typeof exitSignalSchema>;

/** One frame of a stack captured at a kill; `url` is a file URL (or a path) or empty for a builtin. */
export const stackFrameSchema = z.object({
  functionName: z.string(),
  url: z.string(),
  line: z.number().int(),
  column: z.number().int(),
});
export type StackFrame = z.infer<typeof stackFrameSchema>;

/** Which of a strategy's processes a `sched` sample is of. */
export const schedRoleSchema = z.enum(['worker', 'supervisor', 'load']);
export type SchedRole = z.infer<typeof schedRoleSchema>;

export const probeKindSchema = z.enum(['httpGet', 'tcpSocket', 'exec']);

const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.object({ type: z.literal(type), t: time, ...shape });

export const traceEventSchema = z.discriminatedUnion('type', [
  // supervisor (gunicorn's arbiter, or the real one observed from outside)
  event('master-start', { pid, master: z.string(), timeoutMs: time, periodMs: time, port: z.number().int() }),
  event('worker-spawn', { pid, worker: z.number().int(), bootCountsAsBeat: z.boolean(), respawn: z.boolean().optional() }),
  event('heartbeat', { pid, beatT: time }),
  event('check', { pid, ageMs: time.nullable() }),
  event('worker-timeout', { pid, ageMs: time }),
  event('signal', { pid, signal: exitSignalSchema }),
  event('worker-exit', { pid, code: z.number().int().nullable(), signal: z.string().nullable() }),
  event('master-stop', { pid, reason: z.string() }),
  event('clock-step', { pid, stepMs: time }),
  event('stack', { pid, frames: z.array(stackFrameSchema) }),
  event('stack-unavailable', { pid, reason: z.string() }),
  // supervisor: the kubelet's liveness probe (lab/supervisors/kubelet/kubelet-main.ts). `detail`: what was seen, without
  // scaled numbers (`HTTP 503`, `timed out`, `connection refused`); exec: the heartbeat file's age.
  event('probe', { pid, probe: probeKindSchema, result: z.enum(['success', 'failure']), detail: z.string(), tookMs: time, heartbeatAgeMs: time.nullable() }),
  /** failureThreshold failures in a row: the kubelet kills the container (then SIGTERM, SIGKILL after the grace). */
  event('liveness-failed', { pid, probe: probeKindSchema, failures: z.number().int() }),
  /** A pod's container that is itself a master with its workers, gunicorn's or uvicorn's (both killers nested): the kubelet started it, or saw it exit. Its workers are the master's `worker-spawn`s. */
  event('container-start', { pid, container: z.number().int(), respawn: z.boolean() }),
  event('container-exit', { pid, code: z.number().int().nullable(), signal: z.string().nullable() }),
  /** The container exited and will start again after this long (crash-loop back-off and PLEG's relist). */
  event('restart-backoff', { pid, delayMs: time, backoffMs: time }),
  // supervisor: uvicorn's process manager (lab/supervisors/uvicorn/). One healthcheck of one child: the
  // parent sent `ping` and waited `waitedMs` for the answer (`answered`: it came within the timeout; if
  // not, the parent SIGKILLs the child). An answered ping is also recorded as a `heartbeat`.
  event('ping', { pid, answered: z.boolean(), waitedMs: time }),
  // worker (uvicorn's server loop)
  // heartbeatFile: the real stack's worker names its unlinked heartbeat file, so the observer can find it.
  event('worker-start', { pid, notifier: z.string(), loop: z.string(), heartbeatFile: z.string().optional() }),
  /** `http`: the HTTP implementation that served (the real stack says which class uvicorn resolved). */
  event('listening', { pid, http: z.string().optional() }),
  event('tick', { pid, counter: z.number().int(), handlers: z.number().int().nonnegative() }),
  event('notify', { pid, counter: z.number().int() }),
  /** Per window: the loop's delay (max, p99) and the share of time it was busy (0..1). */
  event('loop-delay', { pid, maxMs: time, p99Ms: time, utilisation: z.number().min(0).max(1) }),
  event('request-start', { pid, id: z.number().int(), route: z.string(), ms: time }),
  /** A CPU-bound handler also says how long it spun and the CPU its process got meanwhile (less on a busy host). */
  event('request-end', { pid, id: z.number().int(), status: z.number().int(), spunMs: time.optional(), cpuMs: time.optional() }),
  // load generator (autocannon)
  event('load-start', { pid, clients: z.number().int(), durationMs: time }),
  event('request-sent', { id: z.number().int(), client: z.number().int(), route: z.string(), ms: time }),
  event('request-outcome', { id: z.number().int(), outcome: requestOutcomeSchema, status: z.number().int().nullable(), latencyMs: time, error: z.string().nullable() }),
  event('load-end', { pid, sent: z.number().int() }),
  // the host, read by the orchestrator from /proc/<pid>/schedstat since the previous sample: time on a
  // CPU, time runnable but waiting for one, times it ran. Real milliseconds whatever the time scale.
  event('sched', { pid, role: schedRoleSchema, cpuMs: time, waitMs: time, slices: z.number().int().positive() }),
]);

export type TraceEvent = z.infer<typeof traceEventSchema>;
export type TraceEventType = TraceEvent['type'];
export type TraceEventOf<K extends TraceEventType> = Extract<TraceEvent, { type: K }>;

/** Narrows a list of events to one type, keeping their order. */
export function eventsOfType<K extends TraceEventType>(events: readonly TraceEvent[], type: K): TraceEventOf<K>[] {
  return events.filter((e): e is TraceEventOf<K> => e.type === type);
}

/** Whether a spawn replaced a worker that died (version 1 traces: any worker after the first). */
export function isRespawn(spawn: TraceEventOf<'worker-spawn'>): boolean {
  return spawn.respawn ?? spawn.worker > 1;
}
