// A sweep's plan: the grid, its cells in this shard, the sweep's identity, and every refusal made
// before a directory is made or a process started (bad axes, a knob of the other supervisor, a cell
// that is not a valid scenario, a run the stack cannot make).

import { availableParallelism } from 'node:os';
import { StarveError } from '../errors.js';
import type { LoadedScenario } from '../io/load-scenario.js';
import type { ScenarioOverrides } from '../scenario/apply-overrides.js';
import { scenarioToFile } from '../scenario/scenario-file.js';
import { validateScenario } from '../scenario/validate-scenario.js';
import { repeatPolicy } from '../sweep/adaptive.js';
import { applyCell, cpuMeanMs } from '../sweep/apply-cell.js';
import { checkAxesSupervisor, MAX_SWEEP_RUNS, parseAxes, type Axis } from '../sweep/axes.js';
import { describeCell, expandCells, type Cell } from '../sweep/cells.js';
import { SWEEP_PLAN_VERSION, sweepIdOf, type RepeatPolicy, type SweepPlan } from '../sweep/plan.js';
import { inShard, shardFits, type Shard } from '../sweep/shards.js';
import { checkRange, parallelRange, REPEAT_RANGE, TIME_SCALE_RANGE } from './run-options.js';
import { prepareRun, resolveScenario, type ScenarioInput } from './run-scenario.js';
import type { StrategyOutcome } from '../analysis/types.js';
import type { Envelope } from '../sweep/envelope.js';

export interface SweepOptions {
  /** `--vary` arguments (`clients=1..6`, `cpu=250ms..3s`, `think=0,1s`), or axes already parsed. */
  vary: readonly string[] | readonly Axis[];
  /** Values per range axis; default 6. */
  steps?: number;
  /** Runs per cell and strategy (default 1); near a boundary at least 3, mixed outcomes up to `maxRepeat`. */
  repeat?: number;
  maxRepeat?: number;
  timeScale?: number;
  /** Runs at a time; default one per core (each run is one strategy, so one busy worker). */
  parallel?: number;
  /** The sweep directory itself (must be new or empty); default reports/sweep-<scenario>/<timestamp>. */
  outDir?: string;
  shard?: Shard | null;
  stack?: 'model' | 'real';
  app?: string;
  appDir?: string;
  /** Go on with the sweep in `outDir` (the same sweep, cut short): its runs are kept, the rest are run. */
  resume?: boolean;
  /** Changes to the scenario's common fields (not the varied ones), applied before validation. */
  overrides?: ScenarioOverrides;
  signal?: AbortSignal;
  onEvent?: (event: SweepEvent) => void;
}

export type SweepEvent =
  | { type: 'sweep-start'; sweepDir: string; plan: SweepPlan; cells: number; firstRuns: number; keptRuns: number; parallel: number; estimateMs: number }
  | { type: 'sweep-run-end'; cellId: string; label: string; strategy: string; index: number; outcome: StrategyOutcome; cpuShare: number | null; kept: boolean; done: number; queued: number }
  /** `why`: what said the host was contended, in words. */
  | { type: 'parallel-lowered'; from: number; to: number; cellId: string; strategy: string; why: string }
  | { type: 'sweep-round'; round: number; runs: number }
  | { type: 'sweep-end'; sweepDir: string; envelope: Envelope };

/** What every run of the sweep is given besides its scenario. */
export interface SweepRunOptions {
  timeScale: number;
  stack: 'model' | 'real';
  sequential: true;
  app?: string;
  appDir?: string;
}

export interface PlannedSweep {
  base: LoadedScenario;
  axes: Axis[];
  /** The cells of this shard. */
  cells: Cell[];
  /** The plan a new sweep directory gets (a resumed one keeps its own, which must match). */
  plan: SweepPlan;
  runOptions: SweepRunOptions;
  repeat: RepeatPolicy;
}

function isAxisList(vary: SweepOptions['vary']): vary is readonly Axis[] {
  return vary.length > 0 && typeof vary[0] !== 'string';
}

/** Every cell's scenario must be valid before anything starts: one message for all that are not. */
function checkCells(base: LoadedScenario, axes: readonly Axis[], cells: readonly Cell[]): void {
  checkAxesSupervisor(axes, base.scenario.name, base.scenario.supervisor);
  if (axes.some((a) => a.param === 'cpu') && cpuMeanMs(base.scenario.load.routes) === null) {
    throw new StarveError('BAD_ARGUMENT', `--vary cpu: ${base.scenario.name} has no cpu routes to vary.`, { hint: 'Vary clients, think, timeout, workers or duration instead, or add a { "kind": "cpu" } route.' });
  }
  const handlers = base.module === null ? null : base.scenario.load.routes.flatMap((r) => (r.handler === undefined ? [] : [r.handler]));
  const problems = cells.flatMap((cell) => {
    const check = validateScenario(scenarioToFile(applyCell(base.scenario, cell.values)), handlers);
    return check.ok ? [] : check.problems.map((p) => `${describeCell(axes, cell.values)}: ${p.path} expected ${p.expected}, found ${p.found}`);
  });
  if (problems.length > 0) throw new StarveError('BAD_ARGUMENT', 'Some cells of the sweep are not valid scenarios:', { details: problems.slice(0, 10), hint: 'Narrow the --vary ranges. Nothing was started.' });
}

/** A --vary and a flag that set the same field: keep one. */
function checkOverrideClash(axes: readonly Axis[], overrides: ScenarioOverrides): void {
  const clash = axes.find((axis) => (axis.param === 'clients' && overrides.clients !== undefined) || (axis.param === 'timeout' && overrides.timeoutMs !== undefined) || (axis.param === 'workers' && overrides.workers !== undefined) || (axis.param === 'duration' && overrides.durationMs !== undefined));
  if (clash !== undefined) throw new StarveError('BAD_ARGUMENT', `--${clash.param} and --vary ${clash.param} both set ${clash.param}; keep one.`);
}

export async function planSweep(input: ScenarioInput, options: SweepOptions): Promise<PlannedSweep> {
  const axes = isAxisList(options.vary) ? [...options.vary] : parseAxes(options.vary as readonly string[], options.steps);
  const overrides = options.overrides ?? {};
  checkOverrideClash(axes, overrides);
  checkRange('repeat', options.repeat, REPEAT_RANGE, true);
  checkRange('maxRepeat', options.maxRepeat, REPEAT_RANGE, true);
  checkRange('parallel', options.parallel, parallelRange(), true);
  checkRange('timeScale', options.timeScale, TIME_SCALE_RANGE, false);
  const base = await resolveScenario(input, { overrides });
  const all = expandCells(axes);
  checkCells(base, axes, all);
  const timeScale = options.timeScale ?? 1;
  const stack = options.stack ?? 'model';
  const runOptions: SweepRunOptions = { timeScale, stack, sequential: true, ...(options.app === undefined ? {} : { app: options.app }), ...(options.appDir === undefined ? {} : { appDir: options.appDir }) };
  const firstCell = all[0] as Cell;
  await prepareRun({ ...base, scenario: applyCell(base.scenario, firstCell.values) }, runOptions);
  const repeat = repeatPolicy(options.repeat ?? 1, options.maxRepeat);
  const mostRuns = all.length * base.scenario.strategies.length * repeat.max;
  if (mostRuns > MAX_SWEEP_RUNS) {
    throw new StarveError('BAD_ARGUMENT', `The sweep could come to ${mostRuns} runs (${all.length} cells × ${base.scenario.strategies.length} strategies × up to ${repeat.max} runs a cell); at most ${MAX_SWEEP_RUNS}.`, {
      hint: 'Use fewer cells (--steps, fewer values), fewer strategies, or a lower --repeat / --max-repeat. Nothing was started.',
    });
  }
  const shard = options.shard ?? null;
  // A shard with no cell would run nothing and report an empty sweep as done: refused with the numbers.
  if (shard !== null && !shardFits(shard, all.length)) {
    throw new StarveError('BAD_ARGUMENT', `--shard ${shard.index}/${shard.count}: the sweep has ${all.length} cell${all.length === 1 ? '' : 's'}, so some of ${shard.count} shards would hold none.`, {
      hint: `Use at most ${all.length} shards (--shard i/${all.length}), or more cells. Nothing was started.`,
    });
  }
  const identity = { scenario: base.scenario, axes, strategies: base.scenario.strategies, timeScale, stack, app: options.app ?? null, appDir: options.appDir ?? null, repeat };
  const plan: SweepPlan = { schemaVersion: SWEEP_PLAN_VERSION, sweepId: sweepIdOf(identity), ...identity, scenarioFile: base.file, module: base.module, cellCount: all.length, shard, mergedFrom: [], parallel: options.parallel ?? Math.max(1, availableParallelism()), createdAt: new Date().toISOString() };
  return { base, axes, cells: all.filter((cell) => inShard(cell.index, shard)), plan, runOptions, repeat };
}
