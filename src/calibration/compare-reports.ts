// The model against the real stack, one case at a time (pure): per strategy and figure, both values
// and whether they agree within the stated tolerance. The tolerances live here, in one table.

import { NOMINAL_MASTER_PERIOD_MS, NOMINAL_SPAWN_PAUSE_MAX_MS } from '../masters/types.js';
import type { Report, StrategyReport } from '../report/report-schema.js';
import type { SeriesSummary, StrategySeries } from '../report/aggregate-series.js';
import { percentile } from '../stats.js';
import { unknownKind } from '../scenario/supervisor.js';

/** Stated tolerances (docs/calibration.md). */
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

/**
 * A reset from a kill until this long after the killed worker's exit counts as reset by the kill; others
 * were dropped by keep-alive. gunicorn's SIGABRT ends a worker within ms; the kubelet's SIGTERM lets
 * uvicorn shut down at its loop's next tick, seconds later on a starved loop, and the connections it
 * closes then are the kill's too.
 */
export const KILL_RESET_WINDOW_MS = 2000;

/** What a case's figures are judged against: its timeout, and how finely its supervisor can time a kill. */
export interface Judging {
  timeoutMs: number;
  firstKillSlackMs: number;
}

/**
 * gunicorn's arbiter kills on its check phase (TOLERANCE.firstKillSlackMs). The kubelet kills on a probe,
 * and a probe worker's ticker runs from the pod's creation (or a random phase after the kubelet's own
 * restart): its phase against the load is the container's start-up, which is not the same for the
 * model's worker and uvicorn, so the same failures kill up to one period apart, the resolution there.
 */
export function judgingOf(params: Report['params']): Judging {
  const { supervisor } = params;
  switch (supervisor.kind) {
    case 'gunicorn':
      return { timeoutMs: supervisor.timeoutMs, firstKillSlackMs: TOLERANCE.firstKillSlackMs };
    case 'kubelet':
      return { timeoutMs: 0, firstKillSlackMs: supervisor.probe.periodMs };
    case 'uvicorn':
      // Gaps between answers are judged against the healthcheck timeout; a kill lands at the end of an
      // unanswered ping's wait, whose start is the 0.5 s round's phase (within gunicorn's slack).
      return { timeoutMs: supervisor.healthcheckTimeoutMs, firstKillSlackMs: TOLERANCE.firstKillSlackMs };
    default:
      return unknownKind(supervisor);
  }
}

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

/** Resets of a strategy split by cause: from a kill until KILL_RESET_WINDOW_MS after the next exit, or not (keep-alive). */
export function splitResets(strategy: StrategyReport): { byKills: number; byKeepAlive: number } {
  const resets = strategy.timeline.requests.filter(([, outcome]) => outcome === 'reset').map(([t]) => t);
  const exits = strategy.timeline.markers.filter((m) => m.kind === 'exit').map((m) => m.t);
  const windows = strategy.killTimesMs.map((kill) => [kill, (exits.find((t) => t >= kill) ?? kill) + KILL_RESET_WINDOW_MS] as const);
  const byKills = resets.filter((t) => windows.some(([from, to]) => t >= from && t <= to)).length;
  return { byKills, byKeepAlive: resets.length - byKills };
}

function within(model: number | null, real: number | null, bound: number): boolean | null {
  if (model === null || real === null) return null;
  return Math.abs(model - real) <= bound;
}

const killed = (s: StrategyReport): boolean => s.outcome === 'killed';

type NumericFigure = Exclude<FigureName, 'outcome'>;
const NUMERIC_FIGURES: readonly NumericFigure[] = ['first kill', 'max heartbeat gap', 'tick interval mean', 'handlers per tick', 'requests completed', 'dropped by keep-alive', 'reset by kills'];

/** A figure as the table shows it. */
function shownValue(s: StrategyReport, figure: NumericFigure): number | null {
  switch (figure) {
    case 'first kill':
      return s.firstKillMs;
    case 'max heartbeat gap':
      return s.maxHeartbeatGapMs;
    case 'tick interval mean':
      return s.ticks.meanIntervalMs;
    case 'handlers per tick':
      return s.ticks.meanHandlersPerTick;
    case 'requests completed':
      return s.requests.completed;
    case 'dropped by keep-alive':
      return splitResets(s).byKeepAlive;
    case 'reset by kills':
      return splitResets(s).byKills;
  }
}

/**
 * A figure as it is judged, or null where it says nothing: a first kill only of a killed strategy, a
 * max gap only of a survivor, a tick mean only over enough ticks (one long block's mean says little).
 */
function judgedValue(s: StrategyReport, figure: NumericFigure): number | null {
  if (figure === 'first kill' && !killed(s)) return null;
  if (figure === 'max heartbeat gap' && killed(s)) return null;
  if (figure === 'tick interval mean' && s.ticks.count < TOLERANCE.minTicks) return null;
  return shownValue(s, figure);
}

/** How far the model may be from the real figure and still agree. */
function figureBound(figure: NumericFigure, real: number, judging: Judging): number {
  switch (figure) {
    case 'first kill':
      return Math.max(TOLERANCE.firstKillShare * real, judging.firstKillSlackMs);
    case 'max heartbeat gap':
      return TOLERANCE.maxGapTimeoutShare * judging.timeoutMs;
    case 'tick interval mean':
      return TOLERANCE.tickMeanShare * real;
    case 'handlers per tick':
      return TOLERANCE.handlersPerTick;
    case 'requests completed':
    case 'dropped by keep-alive':
    case 'reset by kills':
      return Math.max(TOLERANCE.requestSlack, TOLERANCE.requestShare * real);
  }
}

function judge(figure: NumericFigure, model: number | null, real: number | null, judging: Judging): boolean | null {
  return real === null ? null : within(model, real, figureBound(figure, real, judging));
}

/** One strategy of one run on each side. */
export function compareStrategy(model: StrategyReport, real: StrategyReport, judging: Judging): StrategyCalibration {
  const inconclusive = model.outcome === 'inconclusive' || real.outcome === 'inconclusive';
  const atRiskBand = model.outcome === 'at-risk' || real.outcome === 'at-risk';
  const sameFate = killed(model) === killed(real);
  const figures: FigureComparison[] = [
    { figure: 'outcome', model: model.outcome, real: real.outcome, agrees: inconclusive ? null : sameFate || atRiskBand },
    ...NUMERIC_FIGURES.map((figure) => ({
      figure,
      model: shownValue(model, figure),
      real: shownValue(real, figure),
      agrees: judge(figure, judgedValue(model, figure), judgedValue(real, figure), judging),
    })),
  ];
  const judged = figures.map((f) => f.agrees).filter((a): a is boolean => a !== null);
  return { name: model.name, atRiskBand, figures, agrees: inconclusive ? null : judged.every(Boolean) };
}

export function compareCase(name: string, model: Report, real: Report): CaseCalibration {
  const strategies = model.strategies.flatMap((m) => {
    const r = real.strategies.find((s) => s.name === m.name);
    return r === undefined ? [] : [compareStrategy(m, r, judgingOf(real.params))];
  });
  return { name, strategies, agrees: combine(strategies.map((s) => s.agrees)) };
}

/** Wilson intervals overlap: the two kill rates could be the same rate. */
export function ratesOverlap(a: StrategySeries, b: StrategySeries): boolean | null {
  if (a.killRateInterval === null || b.killRateInterval === null) return null;
  return a.killRateInterval[0] <= b.killRateInterval[1] && b.killRateInterval[0] <= a.killRateInterval[1];
}

/** The median of the runs' numeric values (the lower middle one, a value that was seen); null if none. */
export function medianOf(values: ReadonlyArray<number | string | null>): number | null {
  const numbers = values.filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
  return numbers.length === 0 ? null : percentile(numbers, 50);
}

/**
 * An intermittent strategy's first kill is one of a few chances (each time a heartbeat falls due while a
 * handler burns, e.g. 11 s, 21 s or 41 s into t10-think-at-keepalive-asyncio on both sides): which one a
 * run takes is luck, and the median of six such picks jumps from chance to chance. So in the at-risk
 * band each side's median must be one of the other side's first kills (within the tolerance): the two
 * sides kill at the same chances. null when a side had no kill.
 */
export function mediansSeenOnBothSides(model: ReadonlyArray<number | null>, real: ReadonlyArray<number | null>, bound: (real: number) => number): boolean | null {
  const numbers = (values: ReadonlyArray<number | null>): number[] => values.filter((v): v is number => v !== null);
  const [m, r] = [numbers(model), numbers(real)];
  const [modelMedian, realMedian] = [medianOf(m), medianOf(r)];
  if (modelMedian === null || realMedian === null) return null;
  const seenIn = (value: number, values: number[]): boolean => values.some((v) => Math.abs(value - v) <= bound(v));
  return seenIn(modelMedian, r) && seenIn(realMedian, m);
}

/**
 * Repeated runs: the kill rates' intervals must overlap, and every other figure is each side's median
 * over its own runs, judged as one run's would be (the runs of the two sides are not pairs: which
 * model run meets which real run is an accident of order).
 */
export function compareSeries(name: string, model: SeriesSummary, real: SeriesSummary, pairs: ReadonlyArray<[Report, Report]>): CaseCalibration {
  const strategies = model.strategies.flatMap((m): StrategyCalibration[] => {
    const r = real.strategies.find((s) => s.name === m.name);
    if (r === undefined) return [];
    const side = (which: 0 | 1): StrategyReport[] => pairs.flatMap((pair) => pair[which].strategies.filter((s) => s.name === m.name));
    const [modelRuns, realRuns] = [side(0), side(1)];
    const firstReal = pairs[0]?.[1];
    const judging = firstReal === undefined ? { timeoutMs: 0, firstKillSlackMs: TOLERANCE.firstKillSlackMs } : judgingOf(firstReal.params);
    const band = [m.killRate, r.killRate].some((rate) => rate !== null && rate > 0 && rate < 1) || [...modelRuns, ...realRuns].some((s) => s.outcome === 'at-risk');
    const rateFigure: FigureComparison = { figure: 'outcome', model: `killed ${m.killedRuns}/${m.judged}`, real: `killed ${r.killedRuns}/${r.judged}`, agrees: ratesOverlap(m, r) };
    const figures = NUMERIC_FIGURES.map((figure): FigureComparison => {
      const modelValues = modelRuns.map((s) => judgedValue(s, figure));
      const realValues = realRuns.map((s) => judgedValue(s, figure));
      const judgedModel = medianOf(modelValues);
      const judgedReal = medianOf(realValues);
      const agrees = figure === 'first kill' && band
        ? mediansSeenOnBothSides(modelValues, realValues, (real) => figureBound(figure, real, judging))
        : judge(figure, judgedModel, judgedReal, judging);
      return {
        figure,
        model: judgedModel ?? medianOf(modelRuns.map((s) => shownValue(s, figure))),
        real: judgedReal ?? medianOf(realRuns.map((s) => shownValue(s, figure))),
        agrees,
      };
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
