// `starve-lab merge`: shards of one sweep (run on other machines, a CI matrix) combined into one sweep
// directory, whose envelope is built the same way as an unsharded sweep's. Shards of different sweeps,
// or two directories holding the same cell, are refused before anything is written; cells no shard
// brought are reported as missing. The merge is built in a directory beside --out and renamed into
// place once whole, so a damaged run or an interruption never leaves a half-merged --out.

import { existsSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { removeAbandonedStaging } from '../lab/stop-children.js';
import { StarveError } from '../errors.js';
import { expandCells } from '../sweep/cells.js';
import type { Envelope } from '../sweep/envelope.js';
import type { SweepPlan } from '../sweep/plan.js';
import type { Shard } from '../sweep/shards.js';
import { CELLS_DIR, checkNewDir, makeNewDir, readSweepPlan, readSweepState, reportSweep, writeSweepPlan, writeSweepState } from './sweep-dir.js';

export interface MergeResult {
  dir: string;
  envelope: Envelope;
}

function describePlan(plan: SweepPlan): string {
  return `sweep ${plan.sweepId} (${plan.scenario.name}; ${plan.axes.map((a) => a.param).join(' × ')}; ${plan.strategies.join(', ')}; time scale ${plan.timeScale})`;
}

function cellsHeld(dir: string): string[] {
  const cells = join(dir, CELLS_DIR);
  return existsSync(cells) ? readdirSync(cells).filter((name) => /^c\d+$/.test(name)) : [];
}

function shardsOf(plan: SweepPlan): Shard[] {
  if (plan.mergedFrom.length > 0) return plan.mergedFrom;
  return plan.shard === null ? [] : [plan.shard];
}

/**
 * Merges the shards into `outDir`. Everything that can be refused is refused before anything is
 * written; then the cells are copied into a directory beside `outDir`, renamed into place once whole.
 * An abort (Ctrl-C) stops between two cells, removes that directory and rejects: no --out is left.
 */
export async function mergeSweeps(dirs: readonly string[], outDir: string, signal?: AbortSignal): Promise<MergeResult> {
  if (dirs.length === 0) throw new StarveError('BAD_ARGUMENT', 'Nothing to merge.', { hint: 'Usage: starve-lab merge <sweep-dir>... --out DIR' });
  const plans = dirs.map((dir) => ({ dir, plan: readSweepPlan(dir) }));
  const first = plans[0] as { dir: string; plan: SweepPlan };
  const foreign = plans.filter(({ plan }) => plan.sweepId !== first.plan.sweepId);
  if (foreign.length > 0) {
    throw new StarveError('BAD_ARGUMENT', 'These are shards of different sweeps:', {
      details: [`${first.dir}: ${describePlan(first.plan)}`, ...foreign.map(({ dir, plan }) => `${dir}: ${describePlan(plan)}`)],
      hint: 'Shards merge only when the scenario, --vary, --steps, strategies, --time-scale and --repeat are the same. Nothing was written.',
    });
  }
  const holder = new Map<string, string>();
  const clashes: string[] = [];
  for (const { dir } of plans) {
    for (const cell of cellsHeld(dir)) {
      const other = holder.get(cell);
      if (other !== undefined) clashes.push(`${cell} is in both ${other} and ${dir}`);
      else holder.set(cell, dir);
    }
  }
  if (clashes.length > 0) {
    throw new StarveError('BAD_ARGUMENT', 'Two directories hold the same cells (the same shard given twice?):', { details: clashes.slice(0, 10), hint: 'Give each shard once. Nothing was written.' });
  }
  const known = new Set(expandCells(first.plan.axes).map((c) => c.id));
  const strays = [...holder].filter(([cell]) => !known.has(cell)).map(([cell, dir]) => `${dir}: ${cell}`);
  if (strays.length > 0) throw new StarveError('BAD_TRACE', "Cells outside the sweep's grid:", { details: strays.slice(0, 10), hint: 'The directory was edited by hand; nothing was written.' });
  // Everything read before anything is written: a damaged shard leaves no --out behind.
  const states = plans.map(({ dir, plan }) => readSweepState(dir, plan));
  const target = checkNewDir(outDir);
  // A merge SIGKILLed mid-copy left `<out>.merging-PID`: the next merge into the same --out removes it.
  removeAbandonedStaging(dirname(target), `${basename(target)}.merging-`);
  const staging = makeNewDir(`${target}.merging-${process.pid}`);
  try {
    const envelope = await buildMerged(plans, holder, states, staging, signal);
    if (existsSync(target)) rmdirSync(target);
    renameSync(staging, target);
    return { dir: target, envelope };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

async function buildMerged(plans: ReadonlyArray<{ dir: string; plan: SweepPlan }>, holder: ReadonlyMap<string, string>, states: ReadonlyArray<ReturnType<typeof readSweepState>>, out: string, signal: AbortSignal | undefined): Promise<Envelope> {
  const first = plans[0] as { dir: string; plan: SweepPlan };
  for (const [cell, dir] of holder) {
    if (signal?.aborted === true) throw new StarveError('INTERRUPTED', 'The merge was interrupted; nothing was written.');
    await cp(join(dir, CELLS_DIR, cell), join(out, CELLS_DIR, cell), { recursive: true });
  }
  const shards = plans.flatMap(({ plan }) => shardsOf(plan)).sort((a, b) => a.count - b.count || a.index - b.index);
  const plan: SweepPlan = {
    ...first.plan,
    shard: null,
    mergedFrom: shards,
    parallel: Math.min(...plans.map(({ plan: p }) => p.parallel)),
    createdAt: plans.map(({ plan: p }) => p.createdAt).sort()[0] ?? first.plan.createdAt,
  };
  writeSweepPlan(out, plan);
  writeSweepState(out, {
    parallelFinal: Math.min(...states.map((s) => s.parallelFinal)),
    interrupted: states.some((s) => s.interrupted),
    finishedAt: new Date().toISOString(),
  });
  return reportSweep(out, false);
}
