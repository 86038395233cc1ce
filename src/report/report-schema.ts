// The schema of report.json (version 2): the report's types are inferred from it, and the JSON Schema
// published in the package (schema/report.schema.json) is generated from it, so the three cannot drift.

import { z } from 'zod';
import { contentionSignalSchema, findingSchema } from '../analysis/findings.js';
import { doctorResultSchema } from '../clinic/doctor-results.js';
import { requestOutcomeSchema, stackFrameSchema } from '../trace/events.js';

/**
 * 2: findings as data (`findings`) instead of sentences (`why`); `stack`; respawn markers; nominal tick.
 * 3: `params.supervisor` (gunicorn with its master and timeout, or the kubelet with its probe) instead of
 * `params.timeoutMs`, `params.master` and `params.probe`.
 */
export const REPORT_SCHEMA_VERSION = 3;

const ms = z.number();
const count = z.number().int().nonnegative();
const nullableMs = ms.nullable();

export const outcomeSchema = z.enum(['killed', 'missed-hang', 'at-risk', 'survived', 'inconclusive']);
export const verdictSchema = z.enum(['as-expected', 'unexpected', 'inconclusive']);
export const expectationSchema = z.union([
  z.enum(['killed', 'survives', 'at-risk', 'missed-hang']),
  z.object({ killRate: z.object({ min: z.number().min(0).max(1).optional(), max: z.number().min(0).max(1).optional() }) }),
]);

const durationSpec = z.union([ms, z.object({ min: ms, max: ms })]);
const httpRequestSchema = z.object({ method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']), path: z.string(), body: z.string().optional(), headers: z.record(z.string(), z.string()).optional() });
const routeSchema = z.object({ kind: z.enum(['cpu', 'gil', 'wait', 'offload', 'script', 'http']), weight: z.number(), ms: durationSpec, handler: z.string().optional(), request: httpRequestSchema.optional() });

const probeSettingsSchema = z.object({ path: z.string(), initialDelayMs: ms, periodMs: ms, timeoutMs: ms, failureThreshold: count, successThreshold: count, terminationGracePeriodMs: ms, probeTerminationGracePeriodMs: ms.nullable().default(null), kubeletStart: z.enum(['steady', 'restarted']).default('steady'), maxHeartbeatAgeMs: ms, loopStaleMs: ms });

/** What judged liveness: gunicorn's arbiter (its preset and --timeout) or the kubelet (its liveness probe). */
export const supervisorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('gunicorn'), master: z.string(), timeoutMs: ms }),
  // `container`: the pod's container is a master with its workers, gunicorn's or uvicorn's (both killers nested).
  z.object({
    kind: z.literal('kubelet'),
    probe: probeSettingsSchema,
    container: z.discriminatedUnion('kind', [z.object({ kind: z.literal('gunicorn'), master: z.string(), timeoutMs: ms, notifier: z.string() }), z.object({ kind: z.literal('uvicorn'), timeoutMs: ms, code: z.string() })]).optional(),
  }),
  z.object({ kind: z.literal('uvicorn'), healthcheckTimeoutMs: ms }),
]);

const timelineSchema = z.object({
  /** The heartbeat's age as the master saw it, [t, ageMs]; a null age breaks the line (no worker). */
  heartbeatAge: z.array(z.tuple([ms, nullableMs])),
  markers: z.array(z.object({ t: ms, kind: z.enum(['spawn', 'respawn', 'worker-timeout', 'sigabrt', 'sigkill', 'exit', 'clock-step']), label: z.string() })),
  /** [t, ms since the previous tick]. */
  tickIntervals: z.array(z.tuple([ms, ms])),
  requests: z.array(z.tuple([ms, requestOutcomeSchema])),
  /** [t, max loop delay in the window, utilisation 0..1]. */
  loopDelay: z.array(z.tuple([ms, ms, z.number()])),
  /** Under the kubelet: [t, how long the probe took, 1 passed / 0 failed]. */
  probes: z.array(z.tuple([ms, ms, z.number()])).optional(),
});

export const strategyReportSchema = z.object({
  name: z.string(),
  outcome: outcomeSchema,
  expected: expectationSchema.nullable(),
  /** null when nothing was expected or the outcome is inconclusive. */
  met: z.boolean().nullable(),
  kills: count,
  /** WORKER TIMEOUT times since the run's start. */
  killTimesMs: z.array(ms),
  /** The first kill, measured from the first worker's boot. */
  firstKillMs: nullableMs,
  heartbeatAgesAtKillMs: z.array(ms),
  heartbeatsSeen: count,
  /** Wall-clock rules: the longest stretch between two clock checks. */
  longestCheckWindowMs: nullableMs,
  /** A worker never timed out that had gone this long without a tick when the run ended. */
  openStallAtEndMs: nullableMs,
  heartbeatGapsMs: z.array(ms),
  maxHeartbeatGapMs: nullableMs,
  /** timeout − max gap: negative when a worker was killed. */
  marginMs: nullableMs,
  ticks: z.object({
    count,
    meanIntervalMs: nullableMs,
    p99IntervalMs: nullableMs,
    maxIntervalMs: nullableMs,
    meanHandlersPerTick: z.number().nullable(),
    /** handlers between two ticks → how many tick intervals had that many. */
    handlersPerTick: z.record(z.string(), count),
  }),
  requests: z.object({
    sent: count,
    completed: count,
    failedStatus: count,
    reset: count,
    refused: count,
    timedOut: count,
    cutAtEnd: count,
    vanished: count,
    latencyP50Ms: nullableMs,
    latencyP99Ms: nullableMs,
  }),
  /** Why it fared as it did, as data; report/wording.ts says each in words. */
  findings: z.array(findingSchema),
  timeline: timelineSchema,
  /** The stacks at the kills (--stacks), grouped; `blocking` is where the loop was stuck. */
  stacksAtKill: z.array(z.object({ count, pids: z.array(z.number().int()), blocking: stackFrameSchema.nullable(), frames: z.array(stackFrameSchema) })),
  stacksUnavailable: z.array(z.object({ pid: z.number().int(), reason: z.string() })),
  /** Clinic.js Doctor's verdict and HTML per worker (--clinic doctor). */
  doctor: z.array(doctorResultSchema),
  /** Node's view of the loop: the longest delay, the highest per-window p99, the mean utilisation. */
  loopDelay: z.object({ maxMs: nullableMs, p99Ms: nullableMs, meanUtilisation: z.number().nullable() }),
  /** Whether the host starved the run itself: the CPU share its burns got (1 is a whole core), late idle ticks (absent in older reports). */
  contention: z
    .object({
      burns: count,
      cpuShare: z.number().nullable(),
      idleTicks: count,
      lateIdleTicks: count,
      /** Of the time the workers (the load) were runnable, the share they waited for a CPU (absent before run-queue samples). */
      workerWaitShare: z.number().nullable().optional(),
      loadWaitShare: z.number().nullable().optional(),
      signals: z.array(contentionSignalSchema).optional(),
      contended: z.boolean(),
    })
    .optional(),
  /** Under the kubelet: its liveness probes (absent under gunicorn). */
  probes: z.object({ probes: count, failures: count, longestStreak: count, slowestMs: nullableMs, backoffsMs: z.array(ms) }).optional(),
  /** Under uvicorn's process manager: its healthcheck pings (absent under the others). */
  pings: z.object({ pings: count, unanswered: count, longestWaitMs: nullableMs, longestBetweenChecksMs: nullableMs }).optional(),
});

export const reportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  scenario: z.string(),
  description: z.string(),
  timeScale: z.number().positive(),
  /** `model`: starve-lab's Node re-creation of the stack; `real`: real gunicorn + uvicorn. */
  stack: z.enum(['model', 'real']),
  verdict: verdictSchema,
  headline: z.string(),
  /** The run was stopped early (Ctrl-C, SIGTERM) or never finished (its CLI died): the figures are partial. */
  interrupted: z.boolean(),
  /** All times and durations below are in scenario time (real time = these × timeScale). */
  params: z.object({
    supervisor: supervisorSchema,
    /** How the strategies ran: side by side, or one at a time (each on its own time origin). */
    layout: z.enum(['side-by-side', 'one-at-a-time']),
    /** Strategies the host distorted, run again alone (absent in older reports). */
    rerunAlone: z.array(z.string()).optional(),
    workers: count,
    loop: z.string(),
    /** uvicorn's HTTP implementation (absent in older reports: httptools). */
    http: z.enum(['httptools', 'h11']).optional(),
    seed: z.number().int(),
    durationMs: ms,
    observedMs: ms,
    /** The worker loop's nominal tick (uvicorn: 100 ms). */
    nominalTickMs: ms,
    /** `arrivalsPerS`: an open load's mean arrival rate (absent: closed-loop clients); `client`: wrk (absent: autocannon). */
    load: z.object({ clients: count, thinkMs: ms, routes: z.array(routeSchema), arrivalsPerS: z.number().positive().optional(), client: z.enum(['autocannon', 'wrk']).optional(), proxy: z.enum(['nginx']).optional() }),
    strategies: z.array(z.string()),
    scenarioFile: z.string(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    /** For the real stack also python, gunicorn, uvicorn and uvloop (null when uvloop is missing). */
    versions: z.object({ node: z.string(), starveLab: z.string(), python: z.string().optional(), gunicorn: z.string().optional(), uvicorn: z.string().optional(), uvloop: z.string().nullable().optional(), httptools: z.string().nullable().optional(), h11: z.string().nullable().optional(), pythonStack: z.string().optional() }),
    realStack: z.string(),
  }),
  strategies: z.array(strategyReportSchema),
  /** Trace lines that could not be read (file:line: what was wrong). */
  traceProblems: z.array(z.string()),
});

export type Report = z.infer<typeof reportSchema>;
export type StrategyReport = z.infer<typeof strategyReportSchema>;

/** The JSON Schema of report.json, as published in the package. */
export function reportJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(reportSchema, { target: 'draft-2020-12' }),
    $id: `urn:starve-lab:report:${REPORT_SCHEMA_VERSION}`,
    title: 'starve-lab report.json',
  };
}
