// What the analysis finds, per strategy and for the run: plain data in scenario time (ms).

import type { Expectation } from '../scenario/types.js';
import type { Summary } from './stats.js';
import type { KillStacks } from './kill-stacks.js';
import type { LoopDelayFindings } from './loop-delay.js';
import type { Timeline } from './timeline.js';

export interface Kill {
  /** When the master logged WORKER TIMEOUT, since the run's start. */
  atMs: number;
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

/** Why a strategy fared as it did, as data; report/wording.ts turns each into a sentence. */
export type Finding =
  | { kind: 'ticks-too-slow'; ticksNeeded: number; ticksRun: number; elapsedMs: number; meanTickMs: number; nominalTickMs: number; timeoutMs: number }
  | { kind: 'ticks-kept-up'; ticksNeeded: number; slowestCountMs: number; timeoutMs: number }
  | { kind: 'stall-over-timeout'; stallMs: number; timeoutMs: number }
  | { kind: 'long-stall'; stallMs: number; notifyIntervalMs: number; timeoutMs: number }
  | { kind: 'window-too-slow'; windowMs: number; checkEveryTicks: number; notifyIntervalMs: number; timeoutMs: number }
  | { kind: 'interval-not-below-timeout'; notifyIntervalMs: number; timeoutMs: number }
  | { kind: 'checks-in-time'; maxGapMs: number; maxWindowMs: number; checkEveryTicks: number; notifyIntervalMs: number; timeoutMs: number }
  | { kind: 'thin-margin'; maxGapMs: number; timeoutMs: number }
  | { kind: 'window-near-limit'; windowMs: number; notifyIntervalMs: number; timeoutMs: number }
  | { kind: 'thread-beats'; maxGapMs: number; longestStallMs: number; timeoutMs: number }
  | { kind: 'missed-hang'; stallMs: number; timeoutMs: number }
  | { kind: 'clock-step'; stepMs: number; atMs: number }
  | { kind: 'not-enough-data'; reason: string };

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
}

export type RunVerdict = 'as-expected' | 'unexpected' | 'inconclusive';

export interface RunAnalysis {
  verdict: RunVerdict;
  strategies: StrategyAnalysis[];
  /** How long the load ran, in scenario time. */
  observedMs: number;
}
