// A sweep as one library call: plan the grid, refuse anything wrong before a process starts, run every
// strategy at every cell of this shard (each run an ordinary run directory), repeat the cells near a
// boundary, keep the host honest (a run distorted by its neighbours is thrown away and the sweep runs
// fewer at a time), and write the envelope. `starve-lab sweep` is a thin caller of this.

import { availableParallelism } from 'node:os';
import { renameSync } from 'node:fs';
import { resolve } from 'node:path';
import { StarveError } from '../errors.js';
import { createRunDir } from '../io/create-run-dir.js';
import type { ScenarioOverrides } from '../scenario/apply-overrides.js';
import type { Scenario } from '../scenario/types.js';
import { scenarioToFile } from '../scenario/scenario-file.js';
import { validateScenario } from '../scenario/validate-scenario.js';
import { runsWanted, repeatPolicy } from '../sweep/adaptive.js';
import { applyCell, cpuMeanMs } from '../sweep/apply-cell.js';
import { checkAxesSupervisor, parseAxes, type Axis } from '../sweep/axes.js';
import { describeCell, expandCells, type Cell } from '../sweep/cells.js';
import { buildEnvelope, type CellRun, type Envelope } from '../sweep/envelope.js';
import { SWEEP_PLAN_VERSION, sweepIdOf, type SweepPlan } from '../sweep/plan.js';
import { predictOutcome } from '../sweep/predict.js';
import { describeShard, inShard, type Shard } from '../sweep/shards.js';
import type { StrategyOutcome } from '../analysis/types.js';
import { checkRange, PARALLEL_RANGE, REPEAT_RANGE, TIME_SCALE_RANGE } from './run-options.js';
import { prepareRun, resolveScenario, runScenario, type ScenarioInput } from './run-scenario.js';
import { cellRunDir, cellRunOf, collectSweepRuns, contendedRunDir, makeNewDir, readSweepPlan, setAsideInterruptedRuns, writeEnvelope, writeSweepPlan, writeSweepState } from './sweep-dir.js';

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
  | { type: 'parallel-lowered'; from: number; to: number; cellId: string; strategy: string; cpuShare: number | null }
  | { type: 'sweep-round'; round: number; runs: number }
  | { type: 'sweep-end'; sweepDir: string; envelope: Envelope };

export interface SweepResult {
  sweepDir: string;
  envelope: Envelope;
}

interface Job {
  cell: Cell;
  scenario: Scenario;
  strategy: string;
  index: number;
  attempts: number;
}

/** Rounds of adaptive repetition are bounded: each adds at least one run per unsettled cell, up to the policy's max. */
const MAX_ROUNDS = 12;
/** Process start-up and reports per run, for the estimate only. */
const RUN_OVERHEAD_MS = 2500;

function isAxisList(vary: SweepOptions['vary']): vary is readonly Axis[] {
  return vary.length > 0 && typeof vary[0] !== 'string';
}

/** Every cell's scenario must be valid before anything starts: one message for all that are not. */
function checkCells(base: { scenario: Scenario; module: string | null }, axes: readonly Axis[], cells: readonly Cell[]): void {
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

/**
 * The sweep directory to go on with: it must hold the very same sweep and shard. Runs an interruption
 * cut short are set aside (interrupted-NNN-K) and run again; every finished run is kept.
 */
function resumeSweep(outDir: string | undefined, fresh: SweepPlan): { sweepDir: string; plan: SweepPlan; runs: Map<string, Map<string, CellRun[]>>; discardedRuns: number } {
  if (outDir === undefined) throw new StarveError('BAD_ARGUMENT', '--resume needs --out: the directory of the sweep to go on with.');
  const sweepDir = resolve(outDir);
  const plan = readSweepPlan(sweepDir);
  const sameShard = (plan.shard?.index ?? 0) === (fresh.shard?.index ?? 0) && (plan.shard?.count ?? 0) === (fresh.shard?.count ?? 0);
  if (plan.sweepId !== fresh.sweepId || !sameShard || plan.mergedFrom.length > 0) {
    throw new StarveError('BAD_ARGUMENT', `--resume: ${outDir} holds another sweep (${plan.sweepId}, ${describeShard(plan.shard)}) than this command asks for (${fresh.sweepId}, ${describeShard(fresh.shard)}).`, {
      hint: 'Resume with the same scenario, --vary, --steps, strategies, --time-scale, --repeat and --shard. Nothing was changed.',
    });
  }
  setAsideInterruptedRuns(sweepDir, plan);
  const { runs, discardedRuns } = collectSweepRuns(sweepDir, plan, false);
  return { sweepDir, plan, runs, discardedRuns };
}

/** run-003 → 2. */
function runIndexOf(dir: string): number {
  const match = /run-(\d+)$/.exec(dir);
  return match === null ? -1 : Number(match[1]) - 1;
}

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

export async function sweep(input: ScenarioInput, options: SweepOptions): Promise<SweepResult> {
  // Everything that can be refused is refused here, before a directory is made or a process started.
  const axes = isAxisList(options.vary) ? [...options.vary] : parseAxes(options.vary as readonly string[], options.steps);
  const overrides = options.overrides ?? {};
  const clash = axes.find((axis) => (axis.param === 'clients' && overrides.clients !== undefined) || (axis.param === 'timeout' && overrides.timeoutMs !== undefined) || (axis.param === 'workers' && overrides.workers !== undefined) || (axis.param === 'duration' && overrides.durationMs !== undefined));
  if (clash !== undefined) throw new StarveError('BAD_ARGUMENT', `--${clash.param} and --vary ${clash.param} both set ${clash.param}; keep one.`);
  checkRange('repeat', options.repeat, REPEAT_RANGE, true);
  checkRange('maxRepeat', options.maxRepeat, REPEAT_RANGE, true);
  checkRange('parallel', options.parallel, PARALLEL_RANGE, true);
  checkRange('timeScale', options.timeScale, TIME_SCALE_RANGE, false);
  const base = await resolveScenario(input, { overrides });
  const all = expandCells(axes);
  checkCells(base, axes, all);
  const timeScale = options.timeScale ?? 1;
  const stack = options.stack ?? 'model';
  const runOptions = { timeScale, stack, sequential: true, ...(options.app === undefined ? {} : { app: options.app }), ...(options.appDir === undefined ? {} : { appDir: options.appDir }) } as const;
  const firstCell = all[0] as Cell;
  await prepareRun({ ...base, scenario: applyCell(base.scenario, firstCell.values) }, runOptions);
  const repeat = repeatPolicy(options.repeat ?? 1, options.maxRepeat);
  const parallel = options.parallel ?? Math.max(1, availableParallelism());
  const shard = options.shard ?? null;
  const identity = { scenario: base.scenario, axes, strategies: base.scenario.strategies, timeScale, stack, app: options.app ?? null, appDir: options.appDir ?? null, repeat };
  const cells = all.filter((cell) => inShard(cell.index, shard));

  const fresh: SweepPlan = { schemaVersion: SWEEP_PLAN_VERSION, sweepId: sweepIdOf(identity), ...identity, scenarioFile: base.file, module: base.module, cellCount: all.length, shard, mergedFrom: [], parallel, createdAt: new Date().toISOString() };
  const resumed = options.resume === true ? resumeSweep(options.outDir, fresh) : null;
  const sweepDir = resumed?.sweepDir ?? (options.outDir === undefined ? createRunDir('reports', `sweep-${base.scenario.name}`, new Date()) : makeNewDir(options.outDir));
  const plan = resumed?.plan ?? fresh;
  if (resumed === null) writeSweepPlan(sweepDir, plan);
  const emit = options.onEvent ?? (() => {});

  const kept = new Map<string, Map<string, CellRun[]>>(resumed?.runs ?? []);
  const keptOf = (cellId: string, strategy: string): readonly CellRun[] => kept.get(cellId)?.get(strategy) ?? [];
  const keep = (cellId: string, strategy: string, run: CellRun): void => {
    const byStrategy = kept.get(cellId) ?? new Map<string, CellRun[]>();
    byStrategy.set(strategy, [...keptOf(cellId, strategy), run]);
    kept.set(cellId, byStrategy);
  };
  let limit = parallel;
  let discardedRuns = resumed?.discardedRuns ?? 0;
  let done = 0;
  let failure: unknown = null;
  const active = new Set<Promise<void>>();
  /** The most runs that were going at once while each active run ran. */
  const overlap = new Map<Job, number>();

  const runJob = async (job: Job, queue: Job[]): Promise<void> => {
    const dir = cellRunDir(sweepDir, job.cell.id, job.strategy, job.index);
    // Each run of a cell draws its own request plan (seed + run index), the same in every shard.
    const scenario: Scenario = { ...job.scenario, seed: job.scenario.seed + job.index, strategies: [job.strategy], expect: Object.fromEntries(Object.entries(job.scenario.expect).filter(([name]) => name === job.strategy)) };
    const result = await runScenario({ scenario, file: base.file, module: base.module }, { ...runOptions, runDir: dir, ...(options.signal === undefined ? {} : { signal: options.signal }) });
    const run = cellRunOf(sweepDir, dir, job.strategy, result.report);
    const crowded = (overlap.get(job) ?? 1) > 1;
    // Distorted by its own neighbours: thrown away (kept as evidence) and run again with fewer at a time.
    // A run that was alone and still contended is kept and marked: the host is busy with something else.
    const discard = run.contended && crowded && !isAborted(options.signal);
    if (discard) {
      renameSync(dir, contendedRunDir(sweepDir, job.cell.id, job.strategy, job.index, job.attempts + 1));
      discardedRuns++;
      const to = Math.max(1, Math.min(limit, overlap.get(job) ?? limit) - 1);
      if (to < limit) emit({ type: 'parallel-lowered', from: limit, to, cellId: job.cell.id, strategy: job.strategy, cpuShare: run.cpuShare });
      limit = Math.min(limit, to);
      queue.unshift({ ...job, attempts: job.attempts + 1 });
    } else {
      keep(job.cell.id, job.strategy, run);
      done++;
    }
    emit({ type: 'sweep-run-end', cellId: job.cell.id, label: describeCell(axes, job.cell.values), strategy: job.strategy, index: job.index, outcome: run.outcome, cpuShare: run.cpuShare, kept: !discard, done, queued: queue.length });
  };

  const runQueue = async (queue: Job[]): Promise<void> => {
    while (queue.length > 0 || active.size > 0) {
      while (queue.length > 0 && active.size < limit && !isAborted(options.signal) && failure === null) {
        const job = queue.shift() as Job;
        overlap.set(job, active.size + 1);
        for (const other of overlap.keys()) overlap.set(other, Math.max(overlap.get(other) ?? 1, active.size + 1));
        const running: Promise<void> = runJob(job, queue)
          .catch((error: unknown) => {
            failure ??= error;
          })
          .finally(() => {
            active.delete(running);
            overlap.delete(job);
          });
        active.add(running);
      }
      if (active.size === 0) break;
      await Promise.race(active);
    }
  };

  /** The runs each cell and strategy still needs; new runs take the next free numbers (a resumed sweep may have set some aside). */
  const jobsWanted = (): Job[] =>
    cells.flatMap((cell) => {
      const scenario = applyCell(base.scenario, cell.values);
      return plan.strategies.flatMap((strategy) => {
        const runs = keptOf(cell.id, strategy);
        const wanted = runsWanted(runs.map((r) => r.outcome), predictOutcome(strategy, scenario)?.outcome ?? null, repeat).runs;
        const next = Math.max(runs.length, ...runs.map((r) => runIndexOf(r.dir) + 1));
        return Array.from({ length: Math.max(0, wanted - runs.length) }, (_, k): Job => ({ cell, scenario, strategy, index: next + k, attempts: 0 }));
      });
    });

  // A resumed sweep counts only the runs it still needs; the ones it keeps are said apart.
  const firstRuns = jobsWanted().length;
  const keptRuns = [...kept.values()].reduce((sum, byStrategy) => sum + [...byStrategy.values()].reduce((n, runs) => n + runs.length, 0), 0);
  emit({ type: 'sweep-start', sweepDir, plan, cells: cells.length, firstRuns, keptRuns, parallel, estimateMs: (firstRuns * (base.scenario.durationMs * timeScale + RUN_OVERHEAD_MS)) / parallel });

  // Failures of single runs are caught into `failure`; every run has settled when a round returns.
  for (let round = 0; round < MAX_ROUNDS && !isAborted(options.signal) && failure === null; round++) {
    const queue = jobsWanted();
    if (queue.length === 0) break;
    if (round > 0) emit({ type: 'sweep-round', round, runs: queue.length });
    await runQueue(queue);
  }
  const interrupted = isAborted(options.signal) || failure !== null;
  writeSweepState(sweepDir, { parallelFinal: limit, interrupted, finishedAt: new Date().toISOString() });
  const envelope = buildEnvelope({ plan, runs: kept, discardedRuns, parallelFinal: limit, interrupted, createdAtMs: Date.parse(plan.createdAt) });
  writeEnvelope(sweepDir, envelope);
  if (failure !== null) throw failure;
  emit({ type: 'sweep-end', sweepDir, envelope });
  return { sweepDir, envelope };
}
