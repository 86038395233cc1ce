// The report object (report.json, schema v1): the analysis plus the run's parameters and the wording,
// in scenario time. Renderers only read this.

import type { Timeline } from '../analysis/timeline.js';
import type { DoctorResult } from '../clinic/doctor-results.js';
import type { RunAnalysis, RunVerdict, StrategyOutcome } from '../analysis/types.js';
import type { Expectation, LoadSpec } from '../scenario/types.js';
import type { StackFrame } from '../trace/events.js';
import type { RunParams } from '../trace/run-params.js';
import { describeDoctorResult, describeFinding, describeKillStacks, headline } from './wording.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface StrategyReport {
  name: string;
  outcome: StrategyOutcome;
  expected: Expectation | null;
  met: boolean | null;
  kills: number;
  /** WORKER TIMEOUT times since the run's start. */
  killTimesMs: number[];
  /** The first kill, measured from the first worker's boot. */
  firstKillMs: number | null;
  heartbeatAgesAtKillMs: number[];
  heartbeatsSeen: number;
  /** Wall-clock rules: the longest stretch between two clock checks. */
  longestCheckWindowMs: number | null;
  /** A worker never timed out that had gone this long without a tick when the run ended. */
  openStallAtEndMs: number | null;
  heartbeatGapsMs: number[];
  maxHeartbeatGapMs: number | null;
  marginMs: number | null;
  ticks: {
    count: number;
    meanIntervalMs: number | null;
    p99IntervalMs: number | null;
    maxIntervalMs: number | null;
    meanHandlersPerTick: number | null;
    handlersPerTick: Record<string, number>;
  };
  requests: {
    sent: number;
    completed: number;
    failedStatus: number;
    reset: number;
    refused: number;
    timedOut: number;
    cutAtEnd: number;
    vanished: number;
    latencyP50Ms: number | null;
    latencyP99Ms: number | null;
  };
  why: string[];
  /** Time series for the charts, in scenario time. */
  timeline: Timeline;
  /** The JavaScript stacks at the kills (--stacks), grouped; `blocking` is where the loop was stuck. */
  stacksAtKill: Array<{ count: number; pids: number[]; blocking: StackFrame | null; frames: StackFrame[] }>;
  stacksUnavailable: Array<{ pid: number; reason: string }>;
  /** Clinic.js Doctor's verdict and HTML per worker (--clinic doctor). */
  doctor: DoctorResult[];
  /** Node's view of the loop: the longest delay, the highest per-window p99, the mean utilisation. */
  loopDelay: { maxMs: number | null; p99Ms: number | null; meanUtilisation: number | null };
}

export interface Report {
  schemaVersion: number;
  scenario: string;
  description: string;
  timeScale: number;
  verdict: RunVerdict;
  headline: string;
  interrupted: boolean;
  /** All times and durations below are in scenario time (real time = these x timeScale). */
  params: {
    timeoutMs: number;
    workers: number;
    master: string;
    loop: string;
    seed: number;
    durationMs: number;
    observedMs: number;
    load: LoadSpec;
    strategies: string[];
    scenarioFile: string;
    startedAt: string;
    finishedAt: string | null;
    versions: { node: string; starveLab: string };
    realStack: string;
  };
  strategies: StrategyReport[];
  /** Trace lines that could not be read (file:line: what was wrong). */
  traceProblems: string[];
}

export function buildReport(params: RunParams, analysis: RunAnalysis, traceProblems: readonly string[] = [], doctor: ReadonlyMap<string, DoctorResult[]> = new Map()): Report {
  const { scenario } = params;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    scenario: scenario.name,
    description: scenario.description,
    timeScale: params.timeScale,
    verdict: analysis.verdict,
    headline: headline(analysis),
    interrupted: params.interrupted,
    params: {
      timeoutMs: scenario.timeoutMs,
      workers: scenario.workers,
      master: scenario.master,
      loop: scenario.loop,
      seed: scenario.seed,
      durationMs: scenario.durationMs,
      observedMs: analysis.observedMs,
      load: scenario.load,
      strategies: scenario.strategies,
      scenarioFile: params.scenarioFile,
      startedAt: params.startedAt,
      finishedAt: params.finishedAt,
      versions: params.versions,
      realStack: scenario.realStack,
    },
    strategies: analysis.strategies.map((s) => ({
      name: s.name,
      outcome: s.outcome,
      expected: s.expected,
      met: s.met,
      kills: s.kills.length,
      killTimesMs: s.kills.map((k) => k.atMs),
      firstKillMs: s.firstKillMs,
      heartbeatAgesAtKillMs: s.kills.map((k) => k.heartbeatAgeMs),
      heartbeatsSeen: s.heartbeats.count,
      longestCheckWindowMs: s.longestCheckWindowMs,
      openStallAtEndMs: s.openStallAtEndMs,
      heartbeatGapsMs: s.heartbeats.gapsMs,
      maxHeartbeatGapMs: s.heartbeats.maxGapMs,
      marginMs: s.heartbeats.marginMs,
      ticks: {
        count: s.ticks.count,
        meanIntervalMs: s.ticks.intervalMs?.mean ?? null,
        p99IntervalMs: s.ticks.intervalMs?.p99 ?? null,
        maxIntervalMs: s.ticks.intervalMs?.max ?? null,
        meanHandlersPerTick: s.ticks.meanHandlersPerTick,
        handlersPerTick: Object.fromEntries(Object.entries(s.ticks.handlersPerTick).map(([k, v]) => [String(k), v])),
      },
      requests: {
        sent: s.requests.sent,
        completed: s.requests.completed,
        failedStatus: s.requests.failedStatus,
        reset: s.requests.reset,
        refused: s.requests.refused,
        timedOut: s.requests.timedOut,
        cutAtEnd: s.requests.cutAtEnd,
        vanished: s.requests.vanished,
        latencyP50Ms: s.requests.latencyMs?.p50 ?? null,
        latencyP99Ms: s.requests.latencyMs?.p99 ?? null,
      },
      why: [...s.findings.map(describeFinding), ...describeKillStacks(s.killStacks), ...(doctor.get(s.name) ?? []).map(describeDoctorResult)],
      doctor: doctor.get(s.name) ?? [],
      timeline: s.timeline,
      stacksAtKill: s.killStacks.stacks.map((k) => ({ count: k.count, pids: k.pids, blocking: k.blockingFrame, frames: k.frames })),
      stacksUnavailable: s.killStacks.unavailable,
      loopDelay: { maxMs: s.loopDelay.maxMs, p99Ms: s.loopDelay.p99Ms, meanUtilisation: s.loopDelay.meanUtilisation },
    })),
    traceProblems: [...traceProblems],
  };
}
