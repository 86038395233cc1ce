// The report object (report.json, schema in report-schema.ts): the analysis plus the run's parameters,
// in scenario time, with findings as data. Renderers only read this.

import type { Finding } from '../analysis/findings.js';
import type { KillStacks, RunAnalysis } from '../analysis/types.js';
import type { DoctorResult } from '../clinic/doctor-results.js';
import type { RunParams } from '../trace/run-params.js';
import { REPORT_SCHEMA_VERSION, type Report } from './report-schema.js';
import { headline } from './wording.js';

export type { Report, StrategyReport } from './report-schema.js';

/** The stacks at the kills and Doctor's verdicts, as findings beside the analysis's own. */
function evidenceFindings(killStacks: KillStacks, doctor: readonly DoctorResult[]): Finding[] {
  return [
    ...killStacks.stacks.map((stack): Finding => ({
      kind: 'stack-at-kill',
      count: stack.count,
      pids: stack.pids,
      blocking: stack.blockingFrame,
      innermost: stack.frames[0] ?? null,
      callers: stack.frames.filter((frame) => frame !== stack.blockingFrame).slice(0, 3),
    })),
    ...killStacks.unavailable.map((miss): Finding => ({ kind: 'stack-unavailable', pid: miss.pid, reason: miss.reason })),
    ...doctor.map((result): Finding => ({ kind: 'doctor', ...result })),
  ];
}

export function buildReport(params: RunParams, analysis: RunAnalysis, traceProblems: readonly string[] = [], doctor: ReadonlyMap<string, DoctorResult[]> = new Map()): Report {
  const { scenario } = params;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    scenario: scenario.name,
    description: scenario.description,
    timeScale: params.timeScale,
    stack: params.stack,
    verdict: analysis.verdict,
    headline: headline(analysis, scenario.supervisor.kind),
    // A run whose CLI died never wrote finishedAt: what it traced is partial, like an interrupted run.
    interrupted: params.interrupted || params.finishedAt === null,
    params: {
      supervisor: scenario.supervisor,
      layout: params.sequential ? 'one-at-a-time' : 'side-by-side',
      rerunAlone: params.rerunAlone,
      workers: scenario.workers,
      loop: scenario.loop,
      http: scenario.http,
      seed: scenario.seed,
      durationMs: scenario.durationMs,
      observedMs: analysis.observedMs,
      nominalTickMs: params.timing.tickMs / params.timeScale,
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
      findings: [...s.findings, ...evidenceFindings(s.killStacks, doctor.get(s.name) ?? [])],
      doctor: doctor.get(s.name) ?? [],
      timeline: s.timeline,
      stacksAtKill: s.killStacks.stacks.map((k) => ({ count: k.count, pids: k.pids, blocking: k.blockingFrame, frames: k.frames })),
      stacksUnavailable: s.killStacks.unavailable,
      loopDelay: { maxMs: s.loopDelay.maxMs, p99Ms: s.loopDelay.p99Ms, meanUtilisation: s.loopDelay.meanUtilisation },
      contention: s.contention,
      ...(s.probes === null ? {} : { probes: s.probes }),
      ...(s.pings === null ? {} : { pings: s.pings }),
    })),
    traceProblems: [...traceProblems],
  };
}
