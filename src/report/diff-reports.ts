// Compares two reports of the same scenario, strategy by strategy (pure): before and after a change.

import type { StrategyOutcome } from '../analysis/types.js';
import type { Report, StrategyReport } from './report-schema.js';

/** Better to worse (a higher rank is worse); a missed hang is as bad as a kill. */
const OUTCOME_RANK: Record<StrategyOutcome, number> = { survived: 0, 'at-risk': 1, inconclusive: 1, 'missed-hang': 2, killed: 2 };
/** A margin that shrinks by less than this share of the timeout is noise, not a regression. */
export const MARGIN_NOISE_SHARE = 0.05;

export interface StrategyDelta {
  name: string;
  before: StrategyReport;
  after: StrategyReport;
  killsDelta: number;
  maxGapDeltaMs: number | null;
  marginDeltaMs: number | null;
  failedDelta: number;
  /** What got worse, in words; empty when nothing did. */
  worse: string[];
}

export interface ReportDiff {
  scenario: string;
  timeoutMs: number;
  before: Report;
  after: Report;
  strategies: StrategyDelta[];
  onlyBefore: string[];
  onlyAfter: string[];
  worse: boolean;
}

export function failedCount(strategy: StrategyReport): number {
  const r = strategy.requests;
  return r.reset + r.refused + r.timedOut + r.vanished + r.failedStatus;
}

const delta = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : b - a);

function compareStrategy(before: StrategyReport, after: StrategyReport, timeoutMs: number): StrategyDelta {
  const worse: string[] = [];
  if (OUTCOME_RANK[after.outcome] > OUTCOME_RANK[before.outcome]) worse.push(`${before.outcome} → ${after.outcome}`);
  if (after.kills > before.kills) worse.push(`kills ${before.kills} → ${after.kills}`);
  const marginDeltaMs = delta(before.marginMs, after.marginMs);
  if (marginDeltaMs !== null && marginDeltaMs < -MARGIN_NOISE_SHARE * timeoutMs) worse.push('margin shrank');
  const failedDelta = failedCount(after) - failedCount(before);
  if (failedDelta > 0) worse.push(`failed requests +${failedDelta}`);
  return {
    name: before.name,
    before,
    after,
    killsDelta: after.kills - before.kills,
    maxGapDeltaMs: delta(before.maxHeartbeatGapMs, after.maxHeartbeatGapMs),
    marginDeltaMs,
    failedDelta,
    worse,
  };
}

export function diffReports(before: Report, after: Report): ReportDiff {
  const names = after.strategies.map((s) => s.name);
  const strategies = before.strategies.flatMap((b) => {
    const a = after.strategies.find((s) => s.name === b.name);
    return a === undefined ? [] : [compareStrategy(b, a, after.params.timeoutMs)];
  });
  return {
    scenario: after.scenario,
    timeoutMs: after.params.timeoutMs,
    before,
    after,
    strategies,
    onlyBefore: before.strategies.map((s) => s.name).filter((name) => !names.includes(name)),
    onlyAfter: names.filter((name) => !before.strategies.some((s) => s.name === name)),
    worse: strategies.some((s) => s.worse.length > 0),
  };
}
