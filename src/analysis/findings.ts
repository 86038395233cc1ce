// Why a strategy fared as it did, as data: a union keyed on `kind` with the numbers behind it. The
// report carries these; report/wording.ts is the only place that turns them into sentences.

import { z } from 'zod';
import { probeKindSchema, stackFrameSchema } from '../trace/events.js';

const ms = z.number();

/** Signs that the lab, not the strategy, failed: such a strategy is inconclusive, never a pass. */
export const labProblemSchema = z.discriminatedUnion('problem', [
  z.object({ problem: z.literal('master-never-started') }),
  z.object({ problem: z.literal('no-worker-listened') }),
  z.object({ problem: z.literal('load-never-started') }),
  z.object({ problem: z.literal('load-unfinished') }),
  z.object({ problem: z.literal('load-sent-nothing') }),
  z.object({ problem: z.literal('load-short'), ranMs: ms, durationMs: ms }),
  /** The trace stops before the supervisor's stop (which every supervisor records last): it was cut. */
  z.object({ problem: z.literal('trace-cut'), lastMs: ms }),
]);
export type LabProblem = z.infer<typeof labProblemSchema>;

/** What said the host was contended (analysis/contention.ts). */
export const contentionSignalSchema = z.enum(['worker-waited', 'load-waited', 'burns-starved', 'late-idle-ticks']);
export type ContentionSignal = z.infer<typeof contentionSignalSchema>;

export const findingSchema = z.discriminatedUnion('kind', [
  /** tick-count: too few ticks ran in the timeout to reach the counted heartbeat. */
  z.object({ kind: z.literal('tick-lag'), ticksNeeded: z.number().int(), ticksRun: z.number().int(), elapsedMs: ms, meanTickMs: ms, nominalTickMs: ms, timeoutMs: ms }),
  z.object({ kind: z.literal('ticks-kept-up'), ticksNeeded: z.number().int(), slowestCountMs: ms, timeoutMs: ms }),
  /** One stall of the loop outlasted the heartbeat interval (or the whole timeout). */
  z.object({ kind: z.literal('single-stall'), stallMs: ms, notifyIntervalMs: ms, timeoutMs: ms }),
  /** A clock-check window pushed the heartbeat past the timeout. */
  z.object({ kind: z.literal('window-over-timeout'), windowMs: ms, checkEveryTicks: z.number().int(), notifyIntervalMs: ms, timeoutMs: ms }),
  z.object({ kind: z.literal('interval-not-below-timeout'), notifyIntervalMs: ms, timeoutMs: ms }),
  z.object({ kind: z.literal('checks-in-time'), maxGapMs: ms, maxWindowMs: ms, checkEveryTicks: z.number().int(), notifyIntervalMs: ms, timeoutMs: ms }),
  z.object({ kind: z.literal('thin-margin'), maxGapMs: ms, timeoutMs: ms, atRiskShare: z.number() }),
  z.object({ kind: z.literal('window-near-limit'), windowMs: ms, notifyIntervalMs: ms, timeoutMs: ms }),
  z.object({ kind: z.literal('thread-beats'), maxGapMs: ms, longestStallMs: ms, timeoutMs: ms }),
  /** A heartbeat thread killed all the same: a call on the loop kept the GIL, so the thread could not run. */
  z.object({ kind: z.literal('thread-held-by-gil'), stallMs: ms, timeoutMs: ms }),
  /** gunicorn's ASGI worker: its heartbeat task on the loop kept beating, no stall outlasting the timeout. */
  z.object({ kind: z.literal('task-beats'), maxGapMs: ms, longestStallMs: ms.nullable(), notifyIntervalMs: ms, timeoutMs: ms }),
  /** gunicorn's ASGI worker: the master's SIGABRT waited for the blocked loop, and its SIGKILL came first. */
  z.object({ kind: z.literal('abort-waits-for-loop'), pid: z.number().int() }),
  z.object({ kind: z.literal('missed-hang'), stallMs: ms, timeoutMs: ms }),
  z.object({ kind: z.literal('clock-step'), stepMs: ms, atMs: ms }),
  /**
   * The host distorted the run itself: the signals that said so, the workers' and the load's run-queue
   * wait shares, the burns' share of a core (absent fields: a report from before run-queue samples).
   */
  z.object({
    kind: z.literal('host-contended'),
    cpuShare: z.number().nullable(),
    lateIdleTicks: z.number().int(),
    idleTicks: z.number().int(),
    workerWaitShare: z.number().nullable().optional(),
    loadWaitShare: z.number().nullable().optional(),
    signals: z.array(contentionSignalSchema).optional(),
  }),
  z.object({ kind: z.literal('lab-problem'), detail: labProblemSchema }),
  z.object({ kind: z.literal('short-run'), observedMs: ms, timeoutMs: ms }),
  z.object({ kind: z.literal('too-few-heartbeats'), seen: z.number().int(), needed: z.number().int() }),
  /** The stack the loop was in at one or more kills (--stacks); `blocking` is null when no script frame was. */
  z.object({ kind: z.literal('stack-at-kill'), count: z.number().int(), pids: z.array(z.number().int()), blocking: stackFrameSchema.nullable(), innermost: stackFrameSchema.nullable(), callers: z.array(stackFrameSchema) }),
  z.object({ kind: z.literal('stack-unavailable'), pid: z.number().int(), reason: z.string() }),
  /**
   * The reverse proxy sent requests a second time, to another worker, after the worker handling them
   * died (nginx's proxy_next_upstream): the clients saw no error, and each of their handlers ran twice.
   */
  z.object({ kind: z.literal('proxy-retried'), proxy: z.string(), requests: z.number().int(), kills: z.number().int() }),
  /**
   * A pod whose container is a gunicorn master: which killer struck first (`master`: WORKER TIMEOUT on a
   * worker; `kubelet`: the liveness probe on the whole container), when, and where the other stood then:
   * the oldest heartbeat against the master's timeout, or the probe's failures in a row against its threshold.
   */
  z.object({
    kind: z.literal('first-killer'),
    killer: z.enum(['master', 'kubelet', 'uvicorn']),
    atMs: z.number(),
    master: z.string(),
    timeoutMs: z.number(),
    failureThreshold: z.number().int(),
    kills: z.number().int(),
    otherKills: z.number().int(),
    oldestHeartbeatMs: z.number().nullable(),
    failuresInARow: z.number().int().nullable(),
  }),
  /**
   * The kubelet's liveness probe killed the container (one per kill, the first few): the probes that failed in
   * a row, how long each took and what it saw, how the container went and when it came back. Times count
   * from the first boot, as the table's first kill does.
   */
  z.object({
    kind: z.literal('liveness-kill'),
    probe: probeKindSchema,
    answeredBy: z.string(),
    /** Which kill this is (1-based), of `kills`. */
    killNumber: z.number().int(),
    kills: z.number().int(),
    atMs: ms,
    failureThreshold: z.number().int(),
    periodMs: ms,
    probeTimeoutMs: ms,
    failed: z.array(z.object({ atMs: ms, tookMs: ms, detail: z.string(), heartbeatAgeMs: ms.nullable() })),
    /** The loop's longest stall up to the kill: what the probes waited behind. */
    stallMs: ms,
    /** The loop ticked while the probes failed: it was busy, not hung. */
    loopTickedMeanwhile: z.boolean(),
    exitSignal: z.string().nullable(),
    /** From SIGTERM to the exit (a server that shuts down gracefully finishes its requests first); null if it never exited. */
    exitedAfterMs: ms.nullable(),
    graceMs: ms,
    neededSigkill: z.boolean(),
    /** The crash-loop back-off the restart after this kill waited; null when the run ended first. */
    restartBackoffMs: ms.nullable(),
  }),
  /** The probes kept passing (or failed too few times in a row). */
  z.object({ kind: z.literal('probes-passed'), probe: probeKindSchema, answeredBy: z.string(), probes: z.number().int(), failures: z.number().int(), longestStreak: z.number().int(), failureThreshold: z.number().int(), slowestMs: ms.nullable(), probeTimeoutMs: ms, longestStallMs: ms }),
  /** The loop hung, yet every probe passed: the probe cannot see the loop (tcpSocket). */
  z.object({ kind: z.literal('probe-missed-hang'), probe: probeKindSchema, answeredBy: z.string(), stallMs: ms, passedDuringStall: z.number().int() }),
  z.object({ kind: z.literal('too-few-probes'), seen: z.number().int(), needed: z.number().int() }),
  /**
   * uvicorn's process manager SIGKILLed a child whose answering thread did not answer a ping within the
   * healthcheck timeout. `gilHeldMs`: the longest GIL-holding handler that ran into the ping's wait (null:
   * none did); `stallMs`: the loop's longest stall up to the kill. Times count from the first boot.
   */
  z.object({ kind: z.literal('ping-unanswered'), pid: z.number().int(), killNumber: z.number().int(), kills: z.number().int(), atMs: ms, waitedMs: ms, healthcheckTimeoutMs: ms, gilHeldMs: ms.nullable(), stallMs: ms, pongGilTakings: z.number().int() }),
  /** Every ping was answered: `cpuHoldsGil` says whether the handlers kept the GIL (short enough) or handed it over. */
  z.object({ kind: z.literal('pings-answered'), pings: z.number().int(), longestWaitMs: ms.nullable(), longestStallMs: ms, healthcheckTimeoutMs: ms, cpuHoldsGil: z.boolean() }),
  /** A child's check came late because the parent was still waiting on another child (checks are serial). */
  z.object({ kind: z.literal('check-delayed'), pid: z.number().int(), betweenChecksMs: ms, intervalMs: ms, waitingOnPid: z.number().int().nullable(), waitedOnMs: ms }),
  /** The loop was stuck at the end longer than the timeout, and every ping was answered: the healthcheck cannot see it. */
  z.object({ kind: z.literal('ping-missed-hang'), stallMs: ms, answeredDuringStall: z.number().int(), healthcheckTimeoutMs: ms }),
  z.object({ kind: z.literal('too-few-pings'), seen: z.number().int(), needed: z.number().int() }),
  /** Clinic.js Doctor's verdict on one worker: issueCategory 'data' means not enough data. */
  z.object({ kind: z.literal('doctor'), pid: z.number().int(), issueCategory: z.string().nullable(), html: z.string().nullable(), error: z.string().nullable() }),
]);
export type Finding = z.infer<typeof findingSchema>;
export type FindingKind = Finding['kind'];

/** Findings that make a strategy impossible to judge. */
export function isInconclusiveFinding(finding: Finding): boolean {
  return finding.kind === 'lab-problem' || finding.kind === 'short-run' || finding.kind === 'too-few-heartbeats' || finding.kind === 'too-few-probes' || finding.kind === 'too-few-pings';
}
