// A sweep directory on disk: sweep.json (the plan, written before any run), cells/<id>/<strategy>/run-NNN
// (ordinary run directories), contended-NNN-K (runs thrown away because the host distorted them, kept
// as evidence), sweep-state.json (what the sweep did: the parallelism it ended at, whether it was
// cut short), and the envelope files, written the same way by `sweep`, `report` and `merge`.

import { describeShard } from '../sweep/shards.js';
import { existsSync, readdirSync, renameSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { isOccupied, makeDirectories } from '../io/create-run-dir.js';
import { z } from 'zod';
import { describeIssues } from '../decode/describe-issues.js';
import { StarveError } from '../errors.js';
import { readJsonFile } from '../io/read-json-file.js';
import { writeFileAtomic } from '../io/write-file-atomic.js';
import type { Report } from '../report/build-report.js';
import { ENVELOPE_FILES, ENVELOPE_RENDERERS } from '../report/reporters.js';
import { writeFormats } from '../io/write-formats.js';
import { expandCells } from '../sweep/cells.js';
import { buildEnvelope, type CellRun, type Envelope } from '../sweep/envelope.js';
import { decodeSweepPlan, encodeSweepPlan, SWEEP_PLAN_FILE, type SweepPlan } from '../sweep/plan.js';
import { buildSavedReport, writeRunReports } from './report-run.js';
import { runDirName } from './series-dir.js';
import { PARAMS_FILE } from '../trace/run-params.js';

export const SWEEP_FILES = {
  plan: SWEEP_PLAN_FILE,
  state: 'sweep-state.json',
  ...ENVELOPE_FILES,
} as const;

export const CELLS_DIR = 'cells';
const RUN_PATTERN = /^run-\d+$/;
const CONTENDED_PATTERN = /^contended-\d+-\d+$/;

// Runs thrown away are not counted here: their contended-NNN-K directories say how many.
const stateSchema = z.object({ parallelFinal: z.number().int().positive(), interrupted: z.boolean(), finishedAt: z.string().nullable() });
export type SweepState = z.infer<typeof stateSchema>;

export function isSweepDir(dir: string): boolean {
  return existsSync(join(dir, SWEEP_FILES.plan));
}

export function strategyDir(sweepDir: string, cellId: string, strategy: string): string {
  return join(sweepDir, CELLS_DIR, cellId, strategy);
}

/** The directory of run `index` (0-based) of one strategy at one cell. */
export function cellRunDir(sweepDir: string, cellId: string, strategy: string, index: number): string {
  return join(strategyDir(sweepDir, cellId, strategy), runDirName(index));
}

/** Where a run the host distorted is moved (its `attempt`-th such run), out of the envelope's way. */
export function contendedRunDir(sweepDir: string, cellId: string, strategy: string, index: number, attempt: number): string {
  return join(strategyDir(sweepDir, cellId, strategy), `contended-${String(index + 1).padStart(3, '0')}-${attempt}`);
}

/** `--out` resolved, refused if it already holds something (nothing is made). */
export function checkNewDir(outDir: string): string {
  const dir = resolve(outDir);
  if (isOccupied(dir)) throw new StarveError('BAD_ARGUMENT', `--out ${outDir} already exists and is not empty.`, { hint: 'Give a new directory; nothing in it was changed.' });
  return dir;
}

/** A sweep's (or a merge's) directory: new, or an empty one; a directory with files in it is never written into. */
export function makeNewDir(outDir: string): string {
  const dir = checkNewDir(outDir);
  try {
    makeDirectories(dir);
  } catch (error) {
    throw new StarveError('OUTPUT_NOT_WRITABLE', `Cannot make ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, { hint: 'Pass --out with a directory you can write to.' });
  }
  return dir;
}

export function writeSweepPlan(sweepDir: string, plan: SweepPlan): void {
  writeFileAtomic(join(sweepDir, SWEEP_FILES.plan), encodeSweepPlan(plan));
}

export function readSweepPlan(sweepDir: string): SweepPlan {
  if (!isSweepDir(sweepDir)) {
    throw new StarveError('BAD_ARGUMENT', `${sweepDir} is not a sweep directory (it has no ${SWEEP_FILES.plan}).`, { hint: 'Give the directory `starve-lab sweep` printed at its end.' });
  }
  return readJsonFile(join(sweepDir, SWEEP_FILES.plan), SWEEP_FILES.plan, decodeSweepPlan);
}

export function writeSweepState(sweepDir: string, state: SweepState): void {
  writeFileAtomic(join(sweepDir, SWEEP_FILES.state), `${JSON.stringify(state, null, 2)}\n`);
}

/** What the sweep did; a sweep that died before writing it counts as cut short. */
export function readSweepState(sweepDir: string, plan: SweepPlan): SweepState {
  const file = join(sweepDir, SWEEP_FILES.state);
  if (!existsSync(file)) return { parallelFinal: plan.parallel, interrupted: true, finishedAt: null };
  return readJsonFile(file, SWEEP_FILES.state, (value) => {
    const decoded = stateSchema.safeParse(value);
    return decoded.success ? { ok: true, value: decoded.data } : { ok: false, problem: describeIssues(decoded.error, value) };
  });
}

function listDirs(dir: string, pattern: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => pattern.test(name) && statSync(join(dir, name)).isDirectory()).sort();
}

/** One strategy's run as the envelope needs it, from its report. */
export function cellRunOf(sweepDir: string, runDir: string, strategy: string, report: Report): CellRun {
  const own = report.strategies.find((s) => s.name === strategy);
  return {
    dir: relative(sweepDir, runDir),
    outcome: own?.outcome ?? 'inconclusive',
    kills: own?.kills ?? 0,
    firstKillMs: own?.firstKillMs ?? null,
    maxGapMs: own?.maxHeartbeatGapMs ?? null,
    contended: own?.contention?.contended ?? false,
    cpuShare: own?.contention?.cpuShare ?? null,
    interrupted: report.interrupted,
    startedAtMs: Date.parse(report.params.startedAt),
    finishedAtMs: report.params.finishedAt === null ? null : Date.parse(report.params.finishedAt),
  };
}

/**
 * Moves the runs an interruption cut short (or that never finished) out of the envelope's way, as
 * interrupted-NNN-K beside them, so a resumed sweep runs them again; they are kept as evidence.
 */
export function setAsideInterruptedRuns(sweepDir: string, plan: SweepPlan): number {
  let moved = 0;
  for (const cell of expandCells(plan.axes)) {
    for (const strategy of plan.strategies) {
      const dir = strategyDir(sweepDir, cell.id, strategy);
      const names = listDirs(dir, RUN_PATTERN);
      // Only a trailing run can be cut short; renumbering is never needed because the last ones go.
      for (const name of [...names].reverse()) {
        const runDir = join(dir, name);
        const params = join(runDir, PARAMS_FILE);
        let finished = false;
        try {
          finished = existsSync(params) && !buildSavedReport(runDir).interrupted;
        } catch {
          finished = false;
        }
        if (finished) break;
        let attempt = 1;
        while (existsSync(join(dir, `interrupted-${name.slice(4)}-${attempt}`))) attempt++;
        renameSync(runDir, join(dir, `interrupted-${name.slice(4)}-${attempt}`));
        moved++;
      }
    }
  }
  return moved;
}

export interface SavedSweepRuns {
  runs: Map<string, Map<string, CellRun[]>>;
  discardedRuns: number;
}

/**
 * Every kept run of the sweep directory, re-analysed from its traces (with `rewrite`, its report files
 * are written again too, as `starve-lab report` does for a run).
 */
export function collectSweepRuns(sweepDir: string, plan: SweepPlan, rewrite: boolean): SavedSweepRuns {
  const runs = new Map<string, Map<string, CellRun[]>>();
  let discardedRuns = 0;
  for (const cell of expandCells(plan.axes)) {
    for (const strategy of plan.strategies) {
      const dir = strategyDir(sweepDir, cell.id, strategy);
      discardedRuns += listDirs(dir, CONTENDED_PATTERN).length;
      const found = listDirs(dir, RUN_PATTERN).map((name) => {
        const runDir = join(dir, name);
        return cellRunOf(sweepDir, runDir, strategy, rewrite ? writeRunReports(runDir) : buildSavedReport(runDir));
      });
      if (found.length === 0) continue;
      const byStrategy = runs.get(cell.id) ?? new Map<string, CellRun[]>();
      byStrategy.set(strategy, found);
      runs.set(cell.id, byStrategy);
    }
  }
  return { runs, discardedRuns };
}

export function writeEnvelope(sweepDir: string, envelope: Envelope): void {
  writeFormats(sweepDir, envelope, ENVELOPE_FILES, ENVELOPE_RENDERERS);
}

/** Rebuilds the envelope of a sweep directory from its saved runs alone (no process is started). */
export function reportSweep(sweepDir: string, rewriteRuns = true): Envelope {
  const plan = readSweepPlan(sweepDir);
  const state = readSweepState(sweepDir, plan);
  const { runs, discardedRuns } = collectSweepRuns(sweepDir, plan, rewriteRuns);
  const envelope = buildEnvelope({ plan, runs, discardedRuns, parallelFinal: state.parallelFinal, interrupted: state.interrupted, createdAtMs: Date.parse(plan.createdAt) });
  writeEnvelope(sweepDir, envelope);
  return envelope;
}

/**
 * The sweep directory to go on with: it must hold the very same sweep and shard. Runs an interruption
 * cut short are set aside (interrupted-NNN-K) and run again; every finished run is kept.
 */
export function resumeSweep(outDir: string | undefined, fresh: SweepPlan): { sweepDir: string; plan: SweepPlan; runs: Map<string, Map<string, CellRun[]>>; discardedRuns: number } {
  if (outDir === undefined) throw new StarveError('BAD_ARGUMENT', '--resume needs --out: the directory of the sweep to go on with.');
  const sweepDir = resolve(outDir);
  const plan = readSweepPlan(sweepDir);
  if (plan.mergedFrom.length > 0) {
    throw new StarveError('BAD_ARGUMENT', `--resume: ${outDir} was merged from shards ${plan.mergedFrom.map((s) => `${s.index}/${s.count}`).join(', ')}; a merged sweep is not run, so it cannot be resumed.`, {
      hint: "Resume each shard in its own directory (with its --shard), then merge them again into a new --out. Nothing was changed.",
    });
  }
  const sameShard = (plan.shard?.index ?? 0) === (fresh.shard?.index ?? 0) && (plan.shard?.count ?? 0) === (fresh.shard?.count ?? 0);
  if (plan.sweepId !== fresh.sweepId || !sameShard) {
    throw new StarveError('BAD_ARGUMENT', `--resume: ${outDir} holds another sweep (${plan.sweepId}, ${describeShard(plan.shard)}) than this command asks for (${fresh.sweepId}, ${describeShard(fresh.shard)}).`, {
      hint: 'Resume with the same scenario, --vary, --steps, strategies, --time-scale, --repeat and --shard. Nothing was changed.',
    });
  }
  setAsideInterruptedRuns(sweepDir, plan);
  const { runs, discardedRuns } = collectSweepRuns(sweepDir, plan, false);
  return { sweepDir, plan, runs, discardedRuns };
}
