// The model against the real stack, one case at a time (pure): per strategy and figure, both values
// and whether they agree within the stated tolerance. The tolerances live here, in one table.

import { NOMINAL_MASTER_PERIOD_MS, NOMINAL_SPAWN_PAUSE_MAX_MS } from '../masters/types.js';
import type { Report, StrategyReport } from '../report/report-schema.js';
import type { SeriesSummary, StrategySeries } from '../report/aggregate-series.js';

/** Stated tolerances (README "Calibration"). */
export const TOLERANCE = {
  /** First kill after boot: within this share of the real one, or within one check phase (period + spawn pause) of it. */
  firstKillShare: 0.1,
  /**
   * gunicorn checks once a period, at a phase its random pause (up to 0.1 s) after each spawn decides:
   * the same real stack kills the same stall at T + 0.1 s in one run and T + 1.1 s in the next (grid
   * case t6-two-clients-uvloop: 6.1 s and 7.1 s for two strategies of one run). Below 11 s, 10% is less
   * than that resolution.
   */
  firstKillSlackMs: NOMINAL_MASTER_PERIOD_MS + NOMINAL_SPAWN_PAUSE_MAX_MS,
  /** Max heartbeat gap of survivors: within this share of the timeout. */
  maxGapTimeoutShare: 0.1,
  /** Mean tick interval: within this share of the real one, when both sides ticked at least `minTicks` times. */
  tickMeanShare: 0.25,
  minTicks: 20,
  /** Mean handlers between two ticks: within this many. */
  handlersPerTick: 0.5,
  /** Requests completed, dropped by keep-alive, reset by kills: within this share of the real count, or this many. */
  requestShare: 0.25,
  requestSlack: 2,
} as const;

/** A reset within this long after a WORKER TIMEOUT counts as reset by the kill; others were dropped by keep-alive. */
export const KILL_RESET_WINDOW_MS = 2000;

export type FigureName = 'outcome' | 'first kill' | 'max heartbeat gap' | 'tick interval mean' | 'handlers per tick' | 'requests completed' | 'dropped by keep-alive' | 'reset by kills';

export interface FigureComparison {
  figure: FigureName;
  model: number | string | null;
  real: number | string | null;
  /** null: not comparable in this case (e.g. first kill when neither side was killed). */
  agrees: boolean | null;
}

export interface StrategyCalibration {
  name: string;
  /** Either side was at risk, or the series' kill rates were strictly between 0 and 1: outcomes may differ by luck. */
  atRiskBand: boolean;
  figures: FigureComparison[];
  /** null when a side was inconclusive. */
  agrees: boolean | null;
}

export interface CaseCalibration {
  name: string;
  strategies: StrategyCalibration[];
  agrees: boolean | null;
}

/** Resets of a strategy split by cause: within KILL_RESET_WINDOW_MS after a kill, or not (keep-alive). */
export function splitResets(strategy: StrategyReport): { byKills: number; byKeepAlive: number } {
  const resets = strategy.timeline.requests.filter(([, outcome]) => outcome === 'reset').map(([t]) => t);
  const byKills = resets.filter((t) => strategy.killTimesMs.some((kill) => t >= kill && t <= kill + KILL_RESET_WINDOW_MS)).length;
  return { byKills, byKeepAlive: resets.length - byKills };
}

function within(model: number | null, real: number | null, bound: number): boolean | null {
  if (model === null || real === null) return null;
  return Math.abs(model - real) <= bound;
}

const killed = (s: StrategyReport): boolean => s.outcome === 'killed';

function countFigure(figure: FigureName, model: number, real: number): FigureComparison {
  return { figure, model, real, agrees: within(model, real, Math.max(TOLERANCE.requestSlack, TOLERANCE.requestShare * real)) };
}

/** One strategy of one run on each side. */
export function compareStrategy(model: StrategyReport, real: StrategyReport, timeoutMs: number): StrategyCalibration {
  const inconclusive = model.outcome === 'inconclusive' || real.outcome === 'inconclusive';
  const atRiskBand = model.outcome === 'at-risk' || real.outcome === 'at-risk';
  const sameFate = killed(model) === killed(real);
  const bothKilled = killed(model) && killed(real);
  const modelResets = splitResets(model);
  const realResets = splitResets(real);
  const figures: FigureComparison[] = [
    { figure: 'outcome', model: model.outcome, real: real.outcome, agrees: inconclusive ? null : sameFate || atRiskBand },
    {
      figure: 'first kill',
      model: model.firstKillMs,
      real: real.firstKillMs,
      agrees: bothKilled ? within(model.firstKillMs, real.firstKillMs, Math.max(TOLERANCE.firstKillShare * (real.firstKillMs ?? 0), TOLERANCE.firstKillSlackMs)) : null,
    },
    {
      figure: 'max heartbeat gap',
      model: model.maxHeartbeatGapMs,
      real: real.maxHeartbeatGapMs,
      agrees: !killed(model) && !killed(real) ? within(model.maxHeartbeatGapMs, real.maxHeartbeatGapMs, TOLERANCE.maxGapTimeoutShare * timeoutMs) : null,
    },
    {
      figure: 'tick interval mean',
      model: model.ticks.meanIntervalMs,
      real: real.ticks.meanIntervalMs,
      // A mean of a handful of intervals (one long block) says little: not judged.
      agrees: Math.min(model.ticks.count, real.ticks.count) < TOLERANCE.minTicks ? null : within(model.ticks.meanIntervalMs, real.ticks.meanIntervalMs, TOLERANCE.tickMeanShare * (real.ticks.meanIntervalMs ?? 0)),
    },
    { figure: 'handlers per tick', model: model.ticks.meanHandlersPerTick, real: real.ticks.meanHandlersPerTick, agrees: within(model.ticks.meanHandlersPerTick, real.ticks.meanHandlersPerTick, TOLERANCE.handlersPerTick) },
    countFigure('requests completed', model.requests.completed, real.requests.completed),
    countFigure('dropped by keep-alive', modelResets.byKeepAlive, realResets.byKeepAlive),
    countFigure('reset by kills', modelResets.byKills, realResets.byKills),
  ];
  const judged = figures.map((f) => f.agrees).filter((a): a is boolean => a !== null);
  return { name: model.name, atRiskBand, figures, agrees: inconclusive ? null : judged.every(Boolean) };
}

export function compareCase(name: string, model: Report, real: Report): CaseCalibration {
  const strategies = model.strategies.flatMap((m) => {
    const r = real.strategies.find((s) => s.name === m.name);
    return r === undefined ? [] : [compareStrategy(m, r, real.params.timeoutMs)];
  });
  return { name, strategies, agrees: combine(strategies.map((s) => s.agrees)) };
}

/** Wilson intervals overlap: the two kill rates could be the same rate. */
export function ratesOverlap(a: StrategySeries, b: StrategySeries): boolean | null {
  if (a.killRateInterval === null || b.killRateInterval === null) return null;
  return a.killRateInterval[0] <= b.killRateInterval[1] && b.killRateInterval[0] <= a.killRateInterval[1];
}

/** Repeated runs: the kill rates' intervals must overlap; each run's figures are compared as above. */
export function compareSeries(name: string, model: SeriesSummary, real: SeriesSummary, pairs: ReadonlyArray<[Report, Report]>): CaseCalibration {
  const strategies = model.strategies.flatMap((m): StrategyCalibration[] => {
    const r = real.strategies.find((s) => s.name === m.name);
    if (r === undefined) return [];
    const runs = pairs.flatMap(([mr, rr]) => {
      const ms = mr.strategies.find((s) => s.name === m.name);
      const rs = rr.strategies.find((s) => s.name === m.name);
      return ms === undefined || rs === undefined ? [] : [compareStrategy(ms, rs, rr.params.timeoutMs)];
    });
    const band = [m.killRate, r.killRate].some((rate) => rate !== null && rate > 0 && rate < 1) || runs.some((run) => run.atRiskBand);
    const rateFigure: FigureComparison = { figure: 'outcome', model: `killed ${m.killedRuns}/${m.judged}`, real: `killed ${r.killedRuns}/${r.judged}`, agrees: ratesOverlap(m, r) };
    // Per-run figures other than the outcome must agree in most runs (a majority, as noise allows).
    const figures = (runs[0]?.figures ?? []).filter((f) => f.figure !== 'outcome').map((f): FigureComparison => {
      const verdicts = runs.map((run) => run.figures.find((g) => g.figure === f.figure)?.agrees ?? null).filter((a): a is boolean => a !== null);
      return { figure: f.figure, model: f.model, real: f.real, agrees: verdicts.length === 0 ? null : verdicts.filter(Boolean).length * 2 >= verdicts.length };
    });
    const all = [rateFigure, ...figures];
    const judged = all.map((f) => f.agrees).filter((a): a is boolean => a !== null);
    return [{ name: m.name, atRiskBand: band, figures: all, agrees: m.inconclusive > 0 || r.inconclusive > 0 ? null : judged.every(Boolean) }];
  });
  return { name, strategies, agrees: combine(strategies.map((s) => s.agrees)) };
}

/** false if any disagrees; null if none disagrees but one could not be judged; true otherwise. */
export function combine(verdicts: ReadonlyArray<boolean | null>): boolean | null {
  if (verdicts.some((v) => v === false)) return false;
  if (verdicts.some((v) => v === null)) return null;
  return true;
}
