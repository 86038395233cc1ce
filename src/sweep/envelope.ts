// The survival envelope (pure): per cell and strategy, the runs' kill rate with its 95% interval, the
// heartbeat gaps, what the arithmetic predicted, and which runs the host distorted; the cells a shard
// or an interrupted sweep lacks are listed, never guessed.

import type { StrategyOutcome } from '../analysis/types.js';
import type { SupervisorSpec } from '../scenario/supervisor.js';
import { tallyKills, type KillTally } from '../analysis/kill-tally.js';
import { percentile } from '../stats.js';
import { applyCell, baseValues } from './apply-cell.js';
import type { Axis } from './axes.js';
import { describeCell, expandCells, type Cell, type CellValues } from './cells.js';
import type { RepeatPolicy, SweepPlan } from './plan.js';
import { predictOutcome, type PredictedOutcome, type Prediction } from './predict.js';
import { inShard, type Shard } from './shards.js';

/** 1: the first envelope.json. */
/** 2: `supervisor` instead of `timeoutMs`, `probe` and `master`. */
export const ENVELOPE_VERSION = 2;

/** One run of one strategy at one cell, as its report says. */
export interface CellRun {
  /** The run directory, relative to the sweep directory. */
  dir: string;
  outcome: StrategyOutcome;
  kills: number;
  firstKillMs: number | null;
  maxGapMs: number | null;
  contended: boolean;
  cpuShare: number | null;
  interrupted: boolean;
  /** Epoch ms of the run's start and end (null: it never finished). */
  startedAtMs: number;
  finishedAtMs: number | null;
}

/** Killed in at least half the judged runs: which side of the measured boundary a cell is on. */
export type MeasuredSide = 'killed' | 'survives';

/** A strategy at one cell: its runs' kill tally (judged, killed, the rate and its 95 % Wilson interval, outcomes), and more. */
export interface StrategyCell extends KillTally {
  strategy: string;
  runs: number;
  /** The longest heartbeat gap of any run, and the median of the runs' longest gaps. */
  maxGapMs: number | null;
  medianMaxGapMs: number | null;
  /** The median first kill of the runs that were killed (from the first boot). */
  medianFirstKillMs: number | null;
  /** Runs the host starved (their burns got less than a core): their timing is distorted. */
  contendedRuns: number;
  measured: MeasuredSide | null;
  predicted: Prediction | null;
  runDirs: string[];
}

export interface EnvelopeCell {
  id: string;
  index: number;
  values: CellValues;
  label: string;
  strategies: StrategyCell[];
}

export interface StrategyBoundarySummary {
  strategy: string;
  /** Cells with a measured side. */
  cells: number;
  killedCells: number;
  /** Cells the arithmetic has a prediction for (none under uvicorn's process manager). */
  predictedCells: number;
  predictedKilledCells: number;
  /** Cells the arithmetic puts at risk (a kill that depends on alignment). */
  predictedAtRiskCells: number;
  /** Killed (measured) where the arithmetic predicted survival or only risk: reality worse than arithmetic. */
  worseThanPredicted: string[];
  /** Survived where the arithmetic predicted a kill. */
  betterThanPredicted: string[];
}

export interface SweepTiming {
  /** From the plan to the last run's end. */
  wallMs: number;
  /** Time in which at least one run was going. */
  busyMs: number;
  /** Time with no kept run going: planning, between runs, the envelope, and runs thrown away as contended (the sweep's own overhead). */
  overheadMs: number;
  runs: number;
  /** The sum of the runs' own times. */
  runMs: number;
}

export interface Envelope {
  schemaVersion: number;
  sweepId: string;
  scenario: string;
  description: string;
  /** The base scenario's supervisor: gunicorn's preset and timeout, or the kubelet's probe (unless an axis varies them). */
  supervisor: SupervisorSpec;
  loop: string;
  timeScale: number;
  stack: 'model' | 'real';
  axes: Axis[];
  strategies: string[];
  repeat: RepeatPolicy;
  cellCount: number;
  shard: Shard | null;
  mergedFrom: Shard[];
  /** Cells this directory should hold (its shard's; a merge or an unsharded sweep: all) with no run: not reached, or no shard brought them. */
  missingCells: string[];
  /** The base scenario's own workload on this map: its values, and the nearest cell (null off the grid). */
  seed: { values: CellValues; cellId: string | null; onGrid: boolean };
  interrupted: boolean;
  contention: { contendedRuns: number; discardedRuns: number; parallelRequested: number; parallelFinal: number };
  timing: SweepTiming | null;
  boundaries: StrategyBoundarySummary[];
  cells: EnvelopeCell[];
}

function median(values: readonly number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? null : percentile(sorted, 50);
}

export function summariseStrategyCell(strategy: string, runs: readonly CellRun[], predicted: Prediction | null): StrategyCell {
  const judged = runs.filter((run) => run.outcome !== 'inconclusive');
  const tally = tallyKills(runs.map((run) => run.outcome));
  const gaps = judged.flatMap((run) => (run.maxGapMs === null ? [] : [run.maxGapMs]));
  const { killRate } = tally;
  return {
    strategy,
    runs: runs.length,
    ...tally,
    maxGapMs: gaps.length === 0 ? null : Math.max(...gaps),
    medianMaxGapMs: median(gaps),
    medianFirstKillMs: median(judged.flatMap((run) => (run.firstKillMs === null ? [] : [run.firstKillMs]))),
    contendedRuns: runs.filter((run) => run.contended).length,
    measured: killRate === null ? null : killRate >= 0.5 ? 'killed' : 'survives',
    predicted,
    runDirs: runs.map((run) => run.dir),
  };
}

/** The log-nearest value of an axis (linear for counts and zero). */
function nearestIndex(axis: Axis, value: number): number {
  const distance = (v: number): number => (axis.unit !== 'count' && v > 0 && value > 0 ? Math.abs(Math.log(v / value)) : Math.abs(v - value));
  let best = 0;
  axis.values.forEach((v, i) => {
    if (distance(v) < distance(axis.values[best] as number)) best = i;
  });
  return best;
}

/** Where the base scenario's own workload sits: on the grid when each value lies within the axis' range. */
export function seedPosition(axes: readonly Axis[], cells: readonly Cell[], base: CellValues): Envelope['seed'] {
  const values: CellValues = {};
  let onGrid = true;
  const wanted: CellValues = {};
  for (const axis of axes) {
    const value = base[axis.param];
    if (value === undefined) {
      onGrid = false;
      continue;
    }
    values[axis.param] = value;
    const first = axis.values[0] as number;
    const last = axis.values[axis.values.length - 1] as number;
    if (value < first || value > last) onGrid = false;
    wanted[axis.param] = axis.values[nearestIndex(axis, value)] as number;
  }
  const cell = onGrid ? cells.find((c) => axes.every((axis) => c.values[axis.param] === wanted[axis.param])) : undefined;
  return { values, cellId: cell?.id ?? null, onGrid: cell !== undefined };
}

function isWorse(cell: StrategyCell): boolean {
  return cell.measured === 'killed' && cell.predicted !== null && cell.predicted.outcome !== 'killed';
}

function isBetter(cell: StrategyCell): boolean {
  return cell.measured === 'survives' && cell.predicted?.outcome === 'killed';
}

export function summariseBoundaries(strategies: readonly string[], cells: readonly EnvelopeCell[]): StrategyBoundarySummary[] {
  return strategies.map((strategy) => {
    const own = cells.flatMap((cell) => cell.strategies.filter((s) => s.strategy === strategy).map((s) => ({ cell, s })));
    const measured = own.filter(({ s }) => s.measured !== null);
    return {
      strategy,
      cells: measured.length,
      killedCells: measured.filter(({ s }) => s.measured === 'killed').length,
      predictedCells: own.filter(({ s }) => s.predicted !== null).length,
      predictedKilledCells: own.filter(({ s }) => s.predicted?.outcome === 'killed').length,
      predictedAtRiskCells: own.filter(({ s }) => s.predicted?.outcome === 'at-risk').length,
      worseThanPredicted: own.filter(({ s }) => isWorse(s)).map(({ cell }) => cell.id),
      betterThanPredicted: own.filter(({ s }) => isBetter(s)).map(({ cell }) => cell.id),
    };
  });
}

/** The time in which at least one run was going, from the runs' start and end. */
export function sweepTiming(createdAtMs: number, runs: readonly CellRun[]): SweepTiming | null {
  const spans = runs
    .flatMap((run) => (run.finishedAtMs === null ? [] : [[run.startedAtMs, run.finishedAtMs] as const]))
    .filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b) && b >= a)
    .sort((x, y) => x[0] - y[0]);
  const start = createdAtMs;
  if (spans.length === 0 || !Number.isFinite(start)) return null;
  let busyMs = 0;
  let runMs = 0;
  let [from, to] = spans[0] as readonly [number, number];
  for (const [a, b] of spans) {
    runMs += b - a;
    if (a > to) {
      busyMs += to - from;
      from = a;
      to = b;
    } else to = Math.max(to, b);
  }
  busyMs += to - from;
  const end = Math.max(...spans.map(([, b]) => b));
  const wallMs = Math.max(0, end - start);
  return { wallMs, busyMs, overheadMs: Math.max(0, wallMs - busyMs), runs: spans.length, runMs };
}

export interface EnvelopeInput {
  plan: SweepPlan;
  /** cell id → strategy → its kept runs. */
  runs: ReadonlyMap<string, ReadonlyMap<string, readonly CellRun[]>>;
  discardedRuns: number;
  parallelFinal: number;
  interrupted: boolean;
  /** Epoch ms the sweep was planned (plan.createdAt). */
  createdAtMs: number;
}

/** Builds the envelope from the plan and the runs found for each cell. */
export function buildEnvelope({ plan, runs, discardedRuns, parallelFinal, interrupted, createdAtMs }: EnvelopeInput): Envelope {
  const all = expandCells(plan.axes);
  const present = all.filter((cell) => runs.has(cell.id));
  const cells: EnvelopeCell[] = present.map((cell) => {
    const scenario = applyCell(plan.scenario, cell.values);
    return {
      id: cell.id,
      index: cell.index,
      values: cell.values,
      label: describeCell(plan.axes, cell.values),
      strategies: plan.strategies.map((strategy) => summariseStrategyCell(strategy, runs.get(cell.id)?.get(strategy) ?? [], predictOutcome(strategy, scenario))),
    };
  });
  const allRuns = [...runs.values()].flatMap((byStrategy) => [...byStrategy.values()].flat());
  return {
    schemaVersion: ENVELOPE_VERSION,
    sweepId: plan.sweepId,
    scenario: plan.scenario.name,
    description: plan.scenario.description,
    supervisor: plan.scenario.supervisor,
    loop: plan.scenario.loop,
    timeScale: plan.timeScale,
    stack: plan.stack,
    axes: plan.axes,
    strategies: plan.strategies,
    repeat: plan.repeat,
    cellCount: plan.cellCount,
    shard: plan.shard,
    mergedFrom: plan.mergedFrom,
    missingCells: all.filter((cell) => inShard(cell.index, plan.shard) && !runs.has(cell.id)).map((cell) => cell.id),
    seed: seedPosition(plan.axes, all, baseValues(plan.scenario)),
    interrupted,
    contention: { contendedRuns: allRuns.filter((run) => run.contended).length, discardedRuns, parallelRequested: plan.parallel, parallelFinal },
    timing: sweepTiming(createdAtMs, allRuns),
    boundaries: summariseBoundaries(plan.strategies, cells),
    cells,
  };
}

export type { PredictedOutcome };
