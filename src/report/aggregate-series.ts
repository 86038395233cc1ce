// Repeated runs of one scenario (pure): per strategy the kill rate with a confidence interval, the
// spread of max heartbeat gaps, and whether the expectation held across the series.

import { tallyKills } from '../analysis/kill-tally.js';
import { rateWithin } from '../analysis/analyse-run.js';
import type { RunVerdict, StrategyOutcome } from '../analysis/types.js';
import { isRateExpectation, type Expectation } from '../scenario/types.js';
import { percentile } from '../stats.js';
import type { Report } from './report-schema.js';

export interface StrategySeries {
  name: string;
  expected: Expectation | null;
  /** Runs that could be judged (not inconclusive). */
  judged: number;
  inconclusive: number;
  killedRuns: number;
  killRate: number | null;
  /** Wilson score interval, 95 %. */
  killRateInterval: [number, number] | null;
  outcomes: Partial<Record<StrategyOutcome, number>>;
  maxGapsMs: number[];
  maxGap: { min: number; p50: number; max: number } | null;
  /** Judged runs that met a plain expectation (every one must). */
  metRuns: number;
  met: boolean | null;
}

export interface SeriesSummary {
  schemaVersion: number;
  scenario: string;
  timeScale: number;
  /** Runs asked for (--repeat N), runs reported, and whether the series was cut short. */
  requested: number;
  runs: number;
  interrupted: boolean;
  verdict: RunVerdict;
  strategies: StrategySeries[];
}

/** series.json: 2 adds `requested` and `interrupted` whoever writes it (run or report). */
export const SERIES_SCHEMA_VERSION = 2;

function aggregateStrategy(name: string, reports: readonly Report[]): StrategySeries {
  const own = reports.flatMap((report) => report.strategies.filter((s) => s.name === name));
  const judged = own.filter((s) => s.outcome !== 'inconclusive');
  const { killed: killedRuns, killRate, killRateInterval, outcomes } = tallyKills(own.map((s) => s.outcome));
  const expected = own[0]?.expected ?? null;
  const gaps = judged.flatMap((s) => (s.maxHeartbeatGapMs === null ? [] : [s.maxHeartbeatGapMs])).sort((a, b) => a - b);
  const metRuns = judged.filter((s) => s.met === true).length;
  const inconclusive = own.length - judged.length;
  let met: boolean | null = null;
  if (expected !== null && inconclusive === 0 && killRate !== null) {
    met = isRateExpectation(expected) ? rateWithin(killRate, expected) : metRuns === judged.length;
  }
  return {
    name,
    expected,
    judged: judged.length,
    inconclusive,
    killedRuns,
    killRate,
    killRateInterval,
    outcomes,
    maxGapsMs: gaps,
    maxGap: gaps.length === 0 ? null : { min: gaps[0] as number, p50: percentile(gaps, 50), max: gaps[gaps.length - 1] as number },
    metRuns,
    met,
  };
}

/** Aggregates the reports of a series; `requested` runs were asked for, so missing ones make it partial. */
export function aggregateSeries(reports: readonly Report[], requested: number = reports.length): SeriesSummary {
  const first = reports[0];
  const names = first?.strategies.map((s) => s.name) ?? [];
  const strategies = names.map((name) => aggregateStrategy(name, reports));
  const interrupted = reports.length < requested || reports.some((report) => report.interrupted);
  let verdict: RunVerdict = 'as-expected';
  if (strategies.some((s) => s.inconclusive > 0) || reports.length === 0 || interrupted) verdict = 'inconclusive';
  if (strategies.some((s) => s.met === false)) verdict = 'unexpected';
  return { schemaVersion: SERIES_SCHEMA_VERSION, scenario: first?.scenario ?? '', timeScale: first?.timeScale ?? 1, requested, runs: reports.length, interrupted, verdict, strategies };
}
