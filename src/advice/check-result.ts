// What `check` found (pure): the deployment's verdict at the stated load, what its killer tolerates
// against the stalls measured, and each candidate change with the outcome the lab gave it. The
// recommendation is the cheapest candidate that survived; none is recommended that was not run.

import type { StrategyReport } from '../report/report-schema.js';
import type { CandidateKind } from './candidates.js';
import type { Tolerance } from './tolerance.js';

export type CheckVerdict = 'safe' | 'at-risk' | 'killed' | 'inconclusive';

export interface MeasuredStalls {
  /** The longest interval between two ticks of the loop (one stall, or one batch of handlers). */
  longestStallMs: number | null;
  p99StallMs: number | null;
  /** gunicorn: the longest heartbeat gap the master saw. */
  longestHeartbeatGapMs: number | null;
  /** kubelet: the slowest probe answer, and the most failures in a row. */
  slowestProbeMs: number | null;
  longestFailureStreak: number | null;
  kills: number;
  firstKillMs: number | null;
}

export interface CandidateOutcome {
  kind: CandidateKind;
  change: string;
  /** What the lab gave the changed deployment. */
  outcome: StrategyReport['outcome'];
  survived: boolean;
  hangNoticedAfterMs: number | null;
  runDir: string;
  /** The changed scenario, as a file (for --write). */
  scenarioFile: Record<string, unknown>;
}

/** The deployment run again at a larger load (--headroom), while it survives: how far its load can grow. */
export interface HeadroomStep {
  /** The stated load times this. */
  factor: number;
  clients: number;
  /** An open load's rate at this step (null for closed-loop clients). */
  arrivalsPerS: number | null;
  outcome: StrategyReport['outcome'];
  survived: boolean;
  runDir: string;
}

/** The factors --headroom tries past a safe load, in order, stopping at the first kill. */
export const HEADROOM_FACTORS: readonly number[] = [2, 4];

export interface CheckResult {
  scenario: string;
  strategy: string;
  killer: Tolerance['killer'];
  clients: number;
  timeScale: number;
  stack: 'model' | 'real';
  tolerance: Tolerance;
  measured: MeasuredStalls;
  verdict: CheckVerdict;
  runDir: string;
  candidates: CandidateOutcome[];
  /** The cheapest candidate that survived (by how soon a hung worker is still noticed), or null. */
  recommendation: CandidateKind | null;
  /** With --headroom and a safe verdict: the larger loads run, up to the first killed; null when not asked. */
  headroom: HeadroomStep[] | null;
  interrupted: boolean;
}

export function measuredStalls(report: StrategyReport): MeasuredStalls {
  return {
    longestStallMs: report.ticks.maxIntervalMs,
    p99StallMs: report.ticks.p99IntervalMs,
    longestHeartbeatGapMs: report.maxHeartbeatGapMs,
    slowestProbeMs: report.probes?.slowestMs ?? null,
    longestFailureStreak: report.probes?.longestStreak ?? null,
    kills: report.kills,
    firstKillMs: report.firstKillMs,
  };
}

/** killed when the lab killed it; at risk when it survived but a stall passed what is safe whatever the phase (or the analysis said so); else safe. */
export function decideCheckVerdict(report: StrategyReport, tolerance: Tolerance): CheckVerdict {
  if (report.outcome === 'inconclusive' || report.contention?.contended === true) return 'inconclusive';
  if (report.outcome === 'killed' || report.kills > 0) return 'killed';
  if (report.outcome === 'at-risk' || report.outcome === 'missed-hang') return 'at-risk';
  const stall = tolerance.stallKind === 'mean tick' ? report.ticks.meanIntervalMs : report.ticks.maxIntervalMs;
  if (tolerance.stallKind !== 'GIL hold' && tolerance.safeUpToMs !== null && stall !== null && stall > tolerance.safeUpToMs) return 'at-risk';
  return 'safe';
}

/** The stall the candidates must tolerate: what was measured, and for a killed worker at least what killed it plus one more stall. */
export function stallToCover(measured: MeasuredStalls, tolerance: Tolerance): number {
  const stall = measured.longestStallMs ?? 0;
  const gapBeyondNotify = measured.longestHeartbeatGapMs !== null && tolerance.killsFromMs !== null && tolerance.safeUpToMs !== null ? measured.longestHeartbeatGapMs - (tolerance.killsFromMs - tolerance.safeUpToMs) : 0;
  const killedAt = measured.kills > 0 && tolerance.safeUpToMs !== null ? tolerance.safeUpToMs + stall : 0;
  return Math.max(stall, gapBeyondNotify, killedAt);
}

/** The cheapest survivor: a hung worker still noticed soonest (never noticed last); clear of the limits before at risk. */
export function recommend(candidates: readonly CandidateOutcome[]): CandidateKind | null {
  // A survivor left at risk is a weaker fix than one clear of the limits: those first.
  const clear = candidates.filter((c) => c.survived && c.outcome === 'survived');
  const survivors = clear.length > 0 ? clear : candidates.filter((c) => c.survived);
  if (survivors.length === 0) return null;
  const cost = (c: CandidateOutcome): number => c.hangNoticedAfterMs ?? Number.POSITIVE_INFINITY;
  // Offloading keeps every limit as it was: preferred among equals.
  const sorted = [...survivors].sort((a, b) => cost(a) - cost(b) || (a.kind === 'offload' ? -1 : b.kind === 'offload' ? 1 : 0));
  return sorted[0]?.kind ?? null;
}
