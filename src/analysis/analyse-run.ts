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
import { findKills, firstBootMs, firstKillSinceBoot } from './kills.js';
import { findFirstKiller } from './pod.js';
import { findLabProblems } from './lab-problems.js';
import { findLoopDelay } from './loop-delay.js';
import { longestCheckWindow, longestOpenStallAtEnd } from './loop-stalls.js';
import { classifyPingOutcome, explainPingStrategy, findPings } from './pings.js';
import { classifyProbeOutcome, explainProbeStrategy, findProbes } from './probes.js';
import { countRetriedRequests, findRequestOutcomes } from './requests.js';
import { findTickLag } from './ticks.js';
import { buildTimeline } from './timeline.js';
import type { Finding, LabProblem } from './findings.js';
import { observedSpan, runEnd } from './run-span.js';
import type { HeartbeatFindings, Kill, PingFindings, ProbeFindings, RunAnalysis, RunVerdict, StrategyAnalysis, StrategyOutcome } from './types.js';
import type { ProbeSettings } from '../probes/types.js';
import { heartbeatTimeoutMs, podContainerName, unknownKind, type PodContainer, type SupervisorSpec } from '../scenario/supervisor.js';
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

/** What every supervisor's judgement reads from one strategy's trace. */
interface StrategyEvidence {
  name: string;
  events: readonly TraceEvent[];
  kills: readonly Kill[];
  heartbeats: HeartbeatFindings;
  openStallAtEndMs: number | null;
  longestStallMs: number | null;
  labProblems: readonly LabProblem[];
}

interface Judgement {
  outcome: StrategyOutcome;
  findings: Finding[];
  longestCheckWindowMs: number | null;
  probes: ProbeFindings | null;
  pings: PingFindings | null;
}

/** gunicorn judges the heartbeat against its timeout; the heartbeat rule says how often it checks. */
function judgeUnderGunicorn(evidence: StrategyEvidence, timeoutMs: number): Judgement {
  const { name, events, kills, heartbeats, openStallAtEndMs, longestStallMs, labProblems } = evidence;
  const rule = findNotifier(name);
  const checkEvery = rule?.checkEveryTicks ?? null;
  const longestCheckWindowMs = checkEvery === null ? null : longestCheckWindow(events, checkEvery, kills);
  const notifyIntervalMs = rule?.notifyIntervalMs({ timeoutMs, tickMs: NOMINAL_TICK_MS }) ?? timeoutMs / 2;
  const worstCaseGapMs = longestCheckWindowMs === null ? null : notifyIntervalMs + longestCheckWindowMs;
  const { outcome, why } = classifyOutcome({ kills, heartbeats, observedMs: observedSpan(events), timeoutMs, worstCaseGapMs, openStallAtEndMs, labProblems });
  const findings = why.length > 0 ? why : explainStrategy({ notifier: name, timeoutMs, outcome, kills, heartbeats, longestCheckWindowMs, openStallAtEndMs, longestStallMs, events });
  return { outcome, findings, longestCheckWindowMs, probes: null, pings: null };
}

/** The kubelet judges by its liveness probe, in the probe's own terms. */
function judgeUnderKubelet(evidence: StrategyEvidence, probe: ProbeSettings): Judgement {
  const { name, events, kills, openStallAtEndMs, longestStallMs, labProblems } = evidence;
  const probes = findProbes(events);
  const { outcome, why } = classifyProbeOutcome({ kills, probes, probe, openStallAtEndMs, inconclusive: labProblems.map((detail) => ({ kind: 'lab-problem', detail })) });
  const findings = why.length > 0 ? why : explainProbeStrategy({ strategy: name, probe, outcome, kills, probes, openStallAtEndMs, longestStallMs, events });
  return { outcome, findings, longestCheckWindowMs: null, probes, pings: null };
}

/** uvicorn's process manager judges by its pings: answered within the healthcheck timeout, or SIGKILL. */
function judgeUnderUvicorn(evidence: StrategyEvidence, healthcheckTimeoutMs: number, workers: number): Judgement {
  const { name, events, kills, openStallAtEndMs, longestStallMs, labProblems } = evidence;
  const pings = findPings(events);
  const { outcome, why } = classifyPingOutcome({ kills, pings, healthcheckTimeoutMs, workers, openStallAtEndMs, inconclusive: labProblems.map((detail) => ({ kind: 'lab-problem', detail })) });
  const findings = why.length > 0 ? why : explainPingStrategy({ strategy: name, healthcheckTimeoutMs, outcome, kills, pings, openStallAtEndMs, longestStallMs, events });
  return { outcome, findings, longestCheckWindowMs: null, probes: null, pings };
}

const SEVERITY: readonly StrategyOutcome[] = ['survived', 'at-risk', 'missed-hang', 'killed'];

/**
 * A pod whose container is a master with its workers (gunicorn's, or uvicorn's process manager): both
 * killers judge, each on its own kills. A kill by either is a kill; otherwise either's doubt is the
 * run's; otherwise the worse of the two. The findings start with which killer struck first, then that
 * killer's story (or both, with no kill).
 */
function judgeInPod(evidence: StrategyEvidence, probe: ProbeSettings, container: PodContainer, workers: number): Judgement {
  const by = (killer: Kill['by']): StrategyEvidence => ({ ...evidence, kills: evidence.kills.filter((kill) => kill.by === killer) });
  const kubelet = judgeUnderKubelet(by('kubelet'), probe);
  const master = container.kind === 'gunicorn' ? judgeUnderGunicorn({ ...by('master'), name: container.notifier }, container.timeoutMs) : judgeUnderUvicorn({ ...by('uvicorn'), name: container.code }, container.timeoutMs, workers);
  const rest = { longestCheckWindowMs: master.longestCheckWindowMs, probes: kubelet.probes, pings: master.pings };
  const first = findFirstKiller(evidence.events, evidence.kills, firstBootMs(evidence.events) ?? 0, { master: podContainerName(container), timeoutMs: container.timeoutMs, failureThreshold: probe.failureThreshold });
  if (first !== null) return { outcome: 'killed', findings: [first, ...(first.killer === 'kubelet' ? kubelet.findings : master.findings)], ...rest };
  const doubtful = [kubelet, master].find((j) => j.outcome === 'inconclusive');
  if (doubtful !== undefined) return { outcome: 'inconclusive', findings: doubtful.findings, ...rest };
  const outcome = SEVERITY[Math.max(SEVERITY.indexOf(kubelet.outcome), SEVERITY.indexOf(master.outcome))] ?? 'survived';
  return { outcome, findings: [...kubelet.findings, ...master.findings], ...rest };
}

function judgeStrategy(evidence: StrategyEvidence, supervisor: SupervisorSpec, workers: number): Judgement {
  switch (supervisor.kind) {
    case 'gunicorn':
      return judgeUnderGunicorn(evidence, supervisor.timeoutMs);
    case 'kubelet':
      return supervisor.container === undefined ? judgeUnderKubelet(evidence, supervisor.probe) : judgeInPod(evidence, supervisor.probe, supervisor.container, workers);
    case 'uvicorn':
      return judgeUnderUvicorn(evidence, supervisor.healthcheckTimeoutMs, workers);
    default:
      return unknownKind(supervisor);
  }
}

/** Requests a proxy in front re-sent after a kill: each ran twice, and no client saw the kill. */
function proxyRetries(events: readonly TraceEvent[], params: RunParams, kills: number): Finding[] {
  const { proxy } = params.scenario.load;
  const requests = proxy === undefined ? 0 : countRetriedRequests(events);
  return proxy === undefined || requests === 0 ? [] : [{ kind: 'proxy-retried', proxy, requests, kills }];
}

export function analyseStrategy(name: string, scaledEvents: readonly TraceEvent[], params: RunParams): StrategyAnalysis {
  const events = unscaleEvents(scaledEvents, params.timeScale);
  const { supervisor } = params.scenario;
  const kills = findKills(events);
  const heartbeats = findHeartbeatGaps(events, kills, heartbeatTimeoutMs(supervisor));
  const ticks = findTickLag(events);
  const openStallAtEndMs = longestOpenStallAtEnd(events, kills);
  const labProblems = findLabProblems(events, params.scenario);
  const judged = judgeStrategy({ name, events, kills, heartbeats, openStallAtEndMs, longestStallMs: ticks.longestStallMs, labProblems }, supervisor, params.scenario.workers);
  const { findings, longestCheckWindowMs, probes, pings } = judged;
  const expected = params.scenario.expect[name] ?? null;
  const contention = findContention(events, params.timeScale);
  const hostBusy: Finding[] = contention.contended
    ? [{ kind: 'host-contended', cpuShare: contention.cpuShare, lateIdleTicks: contention.lateIdleTicks, idleTicks: contention.idleTicks, workerWaitShare: contention.workerWaitShare, loadWaitShare: contention.loadWaitShare, signals: contention.signals }]
    : [];
  // A contended host distorted the very timing that decides a kill: what was seen is kept (kills, gaps),
  // but it is never the outcome. Untrusted, it is inconclusive, and re-run or reported as such.
  const outcome = contention.contended ? 'inconclusive' : judged.outcome;
  return {
    probes,
    pings,
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
    findings: [...hostBusy, ...findings, ...proxyRetries(events, params, kills.length)],
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
