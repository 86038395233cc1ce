// What the analysis finds, per strategy and for the run: plain data in scenario time (ms).

import type { Expectation } from '../scenario/types.js';
import type { RequestOutcome, StackFrame } from '../trace/events.js';
import type { Summary } from '../stats.js';
import type { ContentionSignal, Finding } from './findings.js';

export type { Finding } from './findings.js';

/** Who killed: gunicorn's master (WORKER TIMEOUT), the kubelet (liveness probe), uvicorn's process manager (unanswered ping). */
export type Killer = 'master' | 'kubelet' | 'uvicorn';

export interface Kill {
  /** When the master logged WORKER TIMEOUT, since the run's start. */
  atMs: number;
  /** Which supervisor killed (in a pod whose container is a gunicorn master, either). */
  by: Killer;
  pid: number;
  /** How long the killed worker had lived (since it was spawned). */
  workerAgeMs: number;
  /** The heartbeat's age the master saw (just above the timeout). */
  heartbeatAgeMs: number;
  /** SIGABRT was not enough and a later pass sent SIGKILL. */
  neededSigkill: boolean;
  /** How the worker died, as the master reaped it. */
  exitSignal: string | null;
}

export interface HeartbeatFindings {
  /** Notifies the master observed. */
  count: number;
  /** Gaps between consecutive observed heartbeats of one worker. */
  gapsMs: number[];
  /** The longest gap, including each killed worker's last, open gap (its age at the kill). */
  maxGapMs: number | null;
  /** timeout - max gap: negative when a worker was killed. */
  marginMs: number | null;
}

export interface TickFindings {
  count: number;
  intervalMs: Summary | null;
  /** How many CPU-bound handlers ran between two ticks: handlers -> number of tick intervals. */
  handlersPerTick: Record<number, number>;
  meanHandlersPerTick: number | null;
  /** The longest stretch between two ticks. */
  longestStallMs: number | null;
}

export interface RequestFindings {
  sent: number;
  completed: number;
  /** Completed with a status other than 2xx. */
  failedStatus: number;
  /** The connection dropped mid-request (its worker was killed, or the keep-alive timer closed it). */
  reset: number;
  refused: number;
  timedOut: number;
  /** Still in flight when the load stopped. */
  cutAtEnd: number;
  /** Sent but never settled: neither answered nor failed in a way the load could see. */
  vanished: number;
  latencyMs: Summary | null;
}

/** `missed-hang`: alive at the end although its loop had not come back for longer than the timeout. */
export type StrategyOutcome = 'killed' | 'missed-hang' | 'at-risk' | 'survived' | 'inconclusive';

export interface StrategyAnalysis {
  name: string;
  outcome: StrategyOutcome;
  expected: Expectation | null;
  /** null when nothing was expected or the outcome is inconclusive. */
  met: boolean | null;
  kills: Kill[];
  /** First WORKER TIMEOUT, measured from the first worker's boot. */
  firstKillMs: number | null;
  heartbeats: HeartbeatFindings;
  ticks: TickFindings;
  requests: RequestFindings;
  /** The longest stretch between two clock checks (wall-clock rules only). */
  longestCheckWindowMs: number | null;
  /** The longest time a worker that was never killed had gone without a tick when the run ended. */
  openStallAtEndMs: number | null;
  findings: Finding[];
  timeline: Timeline;
  /** The JavaScript stacks captured at the kills (--stacks); empty when none were asked for. */
  killStacks: KillStacks;
  loopDelay: LoopDelayFindings;
  /** Whether the host starved the run itself (burns that got less than a core, late idle ticks). */
  contention: ContentionFindings;
  /** Under the kubelet: its liveness probes; null under gunicorn. */
  probes: ProbeFindings | null;
  /** Under uvicorn's process manager: its pings; null under the others. */
  pings: PingFindings | null;
}

export type RunVerdict = 'as-expected' | 'unexpected' | 'inconclusive';

export interface RunAnalysis {
  verdict: RunVerdict;
  strategies: StrategyAnalysis[];
  /** How long the load ran, in scenario time. */
  observedMs: number;
}

export interface KillStack {
  /** How many kills showed this stack, and which workers. */
  count: number;
  pids: number[];
  frames: StackFrame[];
  /** The innermost frame of script code (a file), where the loop was stuck. */
  blockingFrame: StackFrame | null;
}

export interface StackUnavailable {
  pid: number;
  reason: string;
}

export interface KillStacks {
  stacks: KillStack[];
  unavailable: StackUnavailable[];
}

/** Under uvicorn's process manager: what its healthchecks saw (analysis/pings.ts). */
export interface PingFindings {
  pings: number;
  /** Pings the parent gave up on (each one a SIGKILL). */
  unanswered: number;
  /** The longest an answered ping waited for its answer. */
  longestWaitMs: number | null;
  /** The longest stretch between two checks of one child (0.5 s plus the waits on the others, normally). */
  longestBetweenChecksMs: number | null;
}

/** Under the kubelet: what its liveness probes saw (analysis/probes.ts). */
export interface ProbeFindings {
  probes: number;
  failures: number;
  /** The most failures in a row of one container. */
  longestStreak: number;
  /** The longest any probe took (a timed-out one: its timeout). */
  slowestMs: number | null;
  /** The back-off each restart waited, in order. */
  backoffsMs: number[];
}

/** Node's own view of each worker's loop: delay per window and how busy the loop was. */
export interface LoopDelayFindings {
  windows: number;
  /** The longest delay any window saw: multi-second stalls show here. */
  maxMs: number | null;
  /** The highest per-window p99. */
  p99Ms: number | null;
  /** The mean share of time the loop was busy. */
  meanUtilisation: number | null;
}

export type MarkerKind = 'spawn' | 'respawn' | 'worker-timeout' | 'sigabrt' | 'sigkill' | 'exit' | 'clock-step';

export interface Marker {
  t: number;
  kind: MarkerKind;
  label: string;
}

export interface Timeline {
  /** The heartbeat's age, as [t, ageMs] points of a sawtooth; null ages break the line (no worker). */
  heartbeatAge: Array<[number, number | null]>;
  markers: Marker[];
  /** [t, ms since the previous tick], at most MAX_TICK_POINTS (the longest kept per bucket). */
  tickIntervals: Array<[number, number]>;
  requests: Array<[number, RequestOutcome]>;
  /** [t, max loop delay in the window, utilisation 0..1], one point per window. */
  loopDelay: Array<[number, number, number]>;
  /** Under the kubelet: [t, how long the probe took, 1 passed / 0 failed], one point per probe. */
  probes?: Array<[number, number, number]> | undefined;
}

/** Whether the host starved the run itself (analysis/contention.ts). */
export interface ContentionFindings {
  /** Of the time the workers (the load) were runnable while the load ran, the share they waited for a CPU; null without samples. */
  workerWaitShare: number | null;
  loadWaitShare: number | null;
  signals: ContentionSignal[];
  /** CPU-bound handlers whose burn was measured. */
  burns: number;
  /** CPU the worker got over the burns' clock time (1: a whole core); null without burns. */
  cpuShare: number | null;
  idleTicks: number;
  lateIdleTicks: number;
  contended: boolean;
}
