// The whole analysis of a run (pure): per strategy kills, gaps, tick lag and requests, an outcome
// checked against the scenario's expectation, and the run's verdict.

import { findNotifier } from '../notifiers/registry.js';
import { NOMINAL_TICK_MS } from '../notifiers/types.js';
import { isRateExpectation, type Expectation, type RateExpectation } from '../scenario/types.js';
import type { TraceEvent } from '../trace/events.js';
import type { RunParams } from '../trace/run-params.js';
import { atRiskGapMs } from './at-risk.js';
import { findContention } from './contention.js';
import { explainStrategy } from './explain.js';
import { findHeartbeatGaps } from './heartbeat-gaps.js';
import { findKillStacks } from './kill-stacks.js';
import { findKills, firstKillSinceBoot } from './kills.js';
import { findLabProblems } from './lab-problems.js';
import { findLoopDelay } from './loop-delay.js';
import { longestCheckWindow, longestOpenStallAtEnd } from './loop-stalls.js';
import { classifyProbeOutcome, explainProbeStrategy, findProbes } from './probes.js';
import { findRequestOutcomes } from './requests.js';
import { findTickLag } from './ticks.js';
import { buildTimeline } from './timeline.js';
import type { Finding, LabProblem } from './findings.js';
import { observedSpan, runEnd } from './run-span.js';
import type { HeartbeatFindings, Kill, RunAnalysis, RunVerdict, StrategyAnalysis, StrategyOutcome } from './types.js';
import { unscaleEvents } from './unscale-events.js';

/** A strategy needs this many observed heartbeats before its survival means anything. */
export const MIN_HEARTBEATS = 2;

export interface OutcomeEvidence {
  kills: readonly Kill[];
  heartbeats: HeartbeatFindings;
  observedMs: number;
  timeoutMs: number;
  /**
   * The gap an unlucky alignment could give: the notify interval plus the longest clock-check window
   * seen (a heartbeat waits for the first check after the interval). Null for rules without windows.
   */
  worstCaseGapMs: number | null;
  openStallAtEndMs: number | null;
  /** The lab failed (see lab-problems.ts): the strategy cannot be judged. */
  labProblems: readonly LabProblem[];
}

/** The outcome, and the findings that made it inconclusive when it is (empty otherwise). */
export function classifyOutcome(evidence: OutcomeEvidence): { outcome: StrategyOutcome; why: Finding[] } {
  const { kills, heartbeats, observedMs, timeoutMs } = evidence;
  const judged = (outcome: StrategyOutcome): { outcome: StrategyOutcome; why: Finding[] } => ({ outcome, why: [] });
  if (evidence.labProblems.length > 0) return { outcome: 'inconclusive', why: evidence.labProblems.map((detail) => ({ kind: 'lab-problem', detail })) };
  if (kills.length > 0) return judged('killed');
  if (timeoutMs > 0 && (evidence.openStallAtEndMs ?? 0) > timeoutMs) return judged('missed-hang');
  if (timeoutMs === 0) return judged('survived');
  if (observedMs < timeoutMs) return { outcome: 'inconclusive', why: [{ kind: 'short-run', observedMs, timeoutMs }] };
  if (heartbeats.count < MIN_HEARTBEATS) return { outcome: 'inconclusive', why: [{ kind: 'too-few-heartbeats', seen: heartbeats.count, needed: MIN_HEARTBEATS }] };
  const limit = atRiskGapMs(timeoutMs);
  if ((heartbeats.maxGapMs ?? 0) >= limit || (evidence.worstCaseGapMs ?? 0) >= limit) return judged('at-risk');
  return judged('survived');
}

export function meetsExpectation(outcome: StrategyOutcome, expected: Expectation | null): boolean | null {
  if (expected === null || outcome === 'inconclusive') return null;
  if (isRateExpectation(expected)) return rateWithin(outcome === 'killed' ? 1 : 0, expected);
  switch (expected) {
    case 'killed':
      return outcome === 'killed';
    case 'survives':
      return outcome === 'survived' || outcome === 'at-risk';
    case 'at-risk':
      return outcome === 'killed' || outcome === 'at-risk';
    case 'missed-hang':
      return outcome === 'missed-hang';
  }
}

/** A kill rate inside the expectation's bounds (one run is a rate of 0 or 1). */
export function rateWithin(rate: number, expected: RateExpectation): boolean {
  return rate >= (expected.killRate.min ?? 0) && rate <= (expected.killRate.max ?? 1);
}

export function analyseStrategy(name: string, scaledEvents: readonly TraceEvent[], params: RunParams): StrategyAnalysis {
  const events = unscaleEvents(scaledEvents, params.timeScale);
  const { timeoutMs } = params.scenario;
  const rule = findNotifier(name);
  const kills = findKills(events);
  const heartbeats = findHeartbeatGaps(events, kills, timeoutMs);
  const ticks = findTickLag(events);
  const checkEvery = rule?.checkEveryTicks ?? null;
  const longestCheckWindowMs = checkEvery === null ? null : longestCheckWindow(events, checkEvery, kills);
  const openStallAtEndMs = longestOpenStallAtEnd(events, kills);
  const notifyIntervalMs = rule?.notifyIntervalMs({ timeoutMs, tickMs: NOMINAL_TICK_MS }) ?? timeoutMs / 2;
  const labProblems = findLabProblems(events, params.scenario);
  const probe = params.scenario.probe;
  // Under the kubelet the liveness probe judges, in its own terms; under gunicorn the heartbeat.
  const probes = probe === undefined ? null : findProbes(events);
  const { outcome, why } =
    probe === undefined || probes === null
      ? classifyOutcome({
          kills,
          heartbeats,
          observedMs: observedSpan(events),
          timeoutMs,
          worstCaseGapMs: longestCheckWindowMs === null ? null : notifyIntervalMs + longestCheckWindowMs,
          openStallAtEndMs,
          labProblems,
        })
      : classifyProbeOutcome({ kills, probes, probe, openStallAtEndMs, inconclusive: labProblems.map((detail) => ({ kind: 'lab-problem', detail })) });
  const expected = params.scenario.expect[name] ?? null;
  const explained =
    probe === undefined || probes === null
      ? explainStrategy({ notifier: name, timeoutMs, outcome, kills, heartbeats, longestCheckWindowMs, openStallAtEndMs, longestStallMs: ticks.longestStallMs, events })
      : explainProbeStrategy({ strategy: name, probe, outcome, kills, probes, openStallAtEndMs, longestStallMs: ticks.longestStallMs, events });
  const contention = findContention(events);
  const hostBusy: Finding[] = contention.contended ? [{ kind: 'host-contended', cpuShare: contention.cpuShare, lateIdleTicks: contention.lateIdleTicks, idleTicks: contention.idleTicks }] : [];
  const findings: Finding[] = [...(why.length > 0 ? why : explained), ...hostBusy];
  return {
    probes,
    name,
    outcome,
    expected,
    met: meetsExpectation(outcome, expected),
    kills,
    firstKillMs: firstKillSinceBoot(events, kills),
    heartbeats,
    ticks,
    requests: findRequestOutcomes(events),
    longestCheckWindowMs,
    openStallAtEndMs,
    findings,
    killStacks: findKillStacks(events, kills),
    loopDelay: findLoopDelay(events),
    contention,
    timeline: buildTimeline(events, runEnd(events) ?? 0),
  };
}

export function decideVerdict(strategies: readonly StrategyAnalysis[]): RunVerdict {
  if (strategies.some((s) => s.met === false)) return 'unexpected';
  if (strategies.some((s) => s.outcome === 'inconclusive')) return 'inconclusive';
  return 'as-expected';
}

export function analyseRun(params: RunParams, traces: ReadonlyMap<string, readonly TraceEvent[]>): RunAnalysis {
  const strategies = params.scenario.strategies.map((name) => analyseStrategy(name, traces.get(name) ?? [], params));
  const spans = [...traces.values()].map((events) => observedSpan(events) / params.timeScale);
  return { verdict: decideVerdict(strategies), strategies, observedMs: Math.max(0, ...spans) };
}
