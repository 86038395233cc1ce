// A sweep as one library call: plan the grid (sweep-plan.ts), run every strategy at every cell of this
// shard (each run an ordinary run directory) with the scheduler `--repeat` uses too (job-scheduler.ts),
// repeat the cells near a boundary, keep the host honest (a run distorted by its neighbours is thrown
// away and the sweep runs fewer at a time), and write the envelope (sweep-dir.ts). `starve-lab sweep`
// is a thin caller of this.

import { renameSync } from 'node:fs';
import { createRunDir } from '../io/create-run-dir.js';
import type { Scenario } from '../scenario/types.js';
import { runsWanted } from '../sweep/adaptive.js';
import { applyCell } from '../sweep/apply-cell.js';
import { describeCell, type Cell } from '../sweep/cells.js';
import { buildEnvelope, type CellRun, type Envelope } from '../sweep/envelope.js';
import type { SweepPlan } from '../sweep/plan.js';
import { predictOutcome } from '../sweep/predict.js';
import { runScheduled, type JobContext } from './job-scheduler.js';
import { runScenario, type ScenarioInput } from './run-scenario.js';
import { describeContentionBrief } from '../report/wording.js';
import type { StrategyReport } from '../report/report-schema.js';
import { isOccupied } from '../io/create-run-dir.js';
import { cellRunDir, cellRunOf, contendedRunDir, makeNewDir, resumeSweep, writeEnvelope, writeSweepPlan, writeSweepState } from './sweep-dir.js';
import { planSweep, type PlannedSweep, type SweepEvent, type SweepOptions } from './sweep-plan.js';

export type { SweepEvent, SweepOptions } from './sweep-plan.js';

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

/** run-003 → 2. */
function runIndexOf(dir: string): number {
  const match = /run-(\d+)$/.exec(dir);
  return match === null ? -1 : Number(match[1]) - 1;
}

/** The runs kept so far, by cell and strategy, and what was thrown away. */
class SweepRuns {
  readonly kept: Map<string, Map<string, CellRun[]>>;
  discarded: number;
  done = 0;

  constructor(kept: ReadonlyMap<string, ReadonlyMap<string, CellRun[]>>, discarded: number) {
    this.kept = new Map([...kept].map(([cell, byStrategy]) => [cell, new Map(byStrategy)]));
    this.discarded = discarded;
  }

  of(cellId: string, strategy: string): readonly CellRun[] {
    return this.kept.get(cellId)?.get(strategy) ?? [];
  }

  keep(cellId: string, strategy: string, run: CellRun): void {
    const byStrategy = this.kept.get(cellId) ?? new Map<string, CellRun[]>();
    byStrategy.set(strategy, [...this.of(cellId, strategy), run]);
    this.kept.set(cellId, byStrategy);
    this.done++;
  }

  count(): number {
    return [...this.kept.values()].reduce((sum, byStrategy) => sum + [...byStrategy.values()].reduce((n, runs) => n + runs.length, 0), 0);
  }
}

/** The runs each cell and strategy still needs; new runs take the next free numbers (a resumed sweep may have set some aside). */
function jobsWanted(planned: PlannedSweep, plan: SweepPlan, runs: SweepRuns): Job[] {
  return planned.cells.flatMap((cell) => {
    const scenario = applyCell(planned.base.scenario, cell.values);
    return plan.strategies.flatMap((strategy) => {
      const done = runs.of(cell.id, strategy);
      const wanted = runsWanted(done.map((r) => r.outcome), predictOutcome(strategy, scenario)?.outcome ?? null, planned.repeat).runs;
      const next = Math.max(done.length, ...done.map((r) => runIndexOf(r.dir) + 1));
      return Array.from({ length: Math.max(0, wanted - done.length) }, (_, k): Job => ({ cell, scenario, strategy, index: next + k, attempts: 0 }));
    });
  });
}

interface SweepRunContext {
  planned: PlannedSweep;
  sweepDir: string;
  runs: SweepRuns;
  signal: AbortSignal | undefined;
  emit: (event: SweepEvent) => void;
}

function contentionWhy(contention: StrategyReport['contention']): string {
  return contention === undefined ? 'no figures' : describeContentionBrief(contention);
}

/**
 * One run of one strategy at one cell. A contended run that shared the host with others is thrown away
 * (kept as evidence) and run again with fewer at a time; one that was alone and still contended is
 * kept and marked: the host is busy with something else.
 */
async function runJob({ planned, sweepDir, runs, signal, emit }: SweepRunContext, job: Job, context: JobContext<Job>): Promise<void> {
  const { base, axes, runOptions } = planned;
  const dir = cellRunDir(sweepDir, job.cell.id, job.strategy, job.index);
  // Each run of a cell draws its own request plan (seed + run index), the same in every shard.
  const scenario: Scenario = { ...job.scenario, seed: job.scenario.seed + job.index, strategies: [job.strategy], expect: Object.fromEntries(Object.entries(job.scenario.expect).filter(([name]) => name === job.strategy)) };
  const result = await runScenario({ scenario, file: base.file, module: base.module }, { ...runOptions, rerunContended: false, runDir: dir, ...(signal === undefined ? {} : { signal }) });
  const run = cellRunOf(sweepDir, dir, job.strategy, result.report);
  const discard = run.contended && context.crowd() > 1 && signal?.aborted !== true;
  if (discard) {
    renameSync(dir, contendedRunDir(sweepDir, job.cell.id, job.strategy, job.index, job.attempts + 1));
    runs.discarded++;
    const from = context.limit();
    context.lowerLimit(Math.min(from, context.crowd()) - 1);
    if (context.limit() < from) emit({ type: 'parallel-lowered', from, to: context.limit(), cellId: job.cell.id, strategy: job.strategy, why: contentionWhy(result.report.strategies[0]?.contention) });
    context.requeue({ ...job, attempts: job.attempts + 1 });
  } else runs.keep(job.cell.id, job.strategy, run);
  emit({ type: 'sweep-run-end', cellId: job.cell.id, label: describeCell(axes, job.cell.values), strategy: job.strategy, index: job.index, outcome: run.outcome, cpuShare: run.cpuShare, kept: !discard, done: runs.done, queued: context.queued() });
}

export async function sweep(input: ScenarioInput, options: SweepOptions): Promise<SweepResult> {
  // Everything that can be refused is refused here, before a directory is made or a process started.
  const planned = await planSweep(input, options);
  // --resume where nothing was written yet (cut short before its first file, or never run): the sweep starts from the beginning.
  const nothingYet = options.outDir !== undefined && !isOccupied(options.outDir);
  const resumed = options.resume === true && !nothingYet ? resumeSweep(options.outDir, planned.plan) : null;
  const sweepDir = resumed?.sweepDir ?? (options.outDir === undefined ? createRunDir('reports', `sweep-${planned.base.scenario.name}`, new Date()) : makeNewDir(options.outDir));
  const plan = resumed?.plan ?? planned.plan;
  if (resumed === null) writeSweepPlan(sweepDir, plan);
  const emit = options.onEvent ?? (() => {});
  const runs = new SweepRuns(resumed?.runs ?? new Map(), resumed?.discardedRuns ?? 0);
  const context: SweepRunContext = { planned, sweepDir, runs, signal: options.signal, emit };

  // A resumed sweep counts only the runs it still needs; the ones it keeps are said apart.
  const firstRuns = jobsWanted(planned, plan, runs).length;
  emit({ type: 'sweep-start', sweepDir, plan, cells: planned.cells.length, firstRuns, keptRuns: runs.count(), parallel: plan.parallel, estimateMs: (firstRuns * (planned.base.scenario.durationMs * planned.runOptions.timeScale + RUN_OVERHEAD_MS)) / plan.parallel });

  let limit = plan.parallel;
  let failure: { error: unknown } | null = null;
  for (let round = 0; round < MAX_ROUNDS && options.signal?.aborted !== true; round++) {
    const queue = jobsWanted(planned, plan, runs);
    if (queue.length === 0) break;
    if (round > 0) emit({ type: 'sweep-round', round, runs: queue.length });
    try {
      ({ limit } = await runScheduled(queue, { limit, signal: options.signal }, (job, jobContext) => runJob(context, job, jobContext)));
    } catch (error) {
      failure = { error };
      break;
    }
  }
  const interrupted = options.signal?.aborted === true || failure !== null;
  writeSweepState(sweepDir, { parallelFinal: limit, interrupted, finishedAt: new Date().toISOString() });
  const envelope = buildEnvelope({ plan, runs: runs.kept, discardedRuns: runs.discarded, parallelFinal: limit, interrupted, createdAtMs: Date.parse(plan.createdAt) });
  writeEnvelope(sweepDir, envelope);
  if (failure !== null) throw failure.error;
  emit({ type: 'sweep-end', sweepDir, envelope });
  return { sweepDir, envelope };
}
