// Calibration as one library call: every case runs on the model, then on the real stack, one side at a
// time (both burn CPU; on two cores they would distort each other's tick timing), with the same
// parameters and seed; the comparison and its report land in one calibration directory.

import { writeFormats } from '../io/write-formats.js';
import { combine, compareCase, compareSeries } from '../calibration/compare-reports.js';
import { CALIBRATION_FILES, CALIBRATION_RENDERERS, type CalibratedCase, type CalibrationSummary, type CalibrationVerdict } from '../calibration/render-calibration.js';
import { StarveError } from '../errors.js';
import { createRunDir } from '../io/create-run-dir.js';
import { loadCalibrationInput } from '../io/load-grid.js';
import { findPythonStack } from '../lab/targets/python-target.js';
import { buildLabPlan } from '../scenario/scale-time.js';
import { realStackProblems } from './choose-stack.js';
import { readSavedResult, type RunResult, type SeriesResult } from './report-run.js';
import { runScenario } from './run-scenario.js';
import { findReferenceRuns, findSavedRuns, isReferenceFile, sideDir } from './saved-runs.js';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { buildReference, encodeReference } from '../calibration/reference.js';
import { writeFileAtomic } from '../io/write-file-atomic.js';
import type { Report } from '../report/report-schema.js';
import { scenarioToFile } from '../scenario/scenario-file.js';
import type { RunEventListener } from './run-events.js';

export interface CalibrateOptions {
  /** Runs per side and case; more than 1 compares kill rates. */
  repeat?: number;
  /** The model's time scale (the real stack always runs at 1). */
  timeScale?: number;
  outDir?: string;
  /** A directory of earlier real runs (a calibration directory), or a stored real-stack reference file, to reuse instead of running the real stack. */
  realFrom?: string;
  /** Store the real side of every case as a reference file here (calibration/reference.ts) once all cases ran. */
  writeReference?: string;
  /** The same for the model's runs (re-comparing saved runs, e.g. after a change of tolerance). */
  modelFrom?: string;
  signal?: AbortSignal;
  /** Progress of each side's run (the events runScenario emits), and which case and side it is. */
  onEvent?: (side: { caseName: string; stack: 'model' | 'real' }, ...event: Parameters<RunEventListener>) => void;
}

export { CALIBRATION_FILES };

/** Read through a call, so the compiler does not assume an earlier check still holds after an await. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function verdictOf(cases: readonly CalibratedCase[], interrupted: boolean): CalibrationVerdict {
  const agrees = combine(cases.map((c) => c.agrees));
  if (agrees === false) return 'disagrees';
  return agrees === null || interrupted ? 'inconclusive' : 'agrees';
}

export async function calibrate(reference: string, options: CalibrateOptions = {}): Promise<{ dir: string; summary: CalibrationSummary }> {
  const grid = await loadCalibrationInput(reference);
  const timeScale = options.timeScale ?? 1;
  const repeat = options.repeat ?? 1;
  // Everything the real stack cannot run is refused for every case before anything starts.
  const problems = grid.cases.flatMap((c) => realStackProblems(buildLabPlan(c.loaded.scenario, 1, c.loaded.module), { clinic: false, stacks: false }).map((p) => `${c.name}: ${p}`));
  if (problems.length > 0) throw new StarveError('BAD_ARGUMENT', `${grid.name} has cases the real stack cannot run:`, { details: problems, hint: 'Nothing was started.' });
  // --real-from names either a stored reference (a file) or an earlier calibration directory.
  const referenceFile = options.realFrom !== undefined && isReferenceFile(options.realFrom) ? resolve(options.realFrom) : null;
  if (options.writeReference !== undefined && repeat !== 1) throw new StarveError('BAD_ARGUMENT', `--write-reference stores one real run per case; --repeat ${repeat} asks for ${repeat}.`, { hint: 'Drop --repeat.' });
  const referenceRuns = referenceFile === null ? new Map<string, Report>() : findReferenceRuns(referenceFile, grid.cases, repeat);
  const savedReal = options.realFrom === undefined || referenceFile !== null ? new Map<string, string>() : findSavedRuns(options.realFrom, grid.cases, repeat);
  const savedModel = options.modelFrom === undefined ? new Map<string, string>() : findSavedRuns(options.modelFrom, grid.cases, repeat, 'model', timeScale);
  if (grid.cases.some((c) => !savedReal.has(c.name) && !referenceRuns.has(c.name))) for (const http of new Set(grid.cases.map((c) => c.loaded.scenario.http))) findPythonStack(grid.cases.some((c) => c.loaded.scenario.loop === 'uvloop'), process.env, http);
  const dir = createRunDir(options.outDir ?? 'reports', `calibrate-${grid.name}`, new Date());
  const startedAt = new Date().toISOString();
  const cases: CalibratedCase[] = [];
  const measured: Array<{ name: string; scenario: Record<string, unknown>; report: Report }> = [];
  const write = (interrupted: boolean): CalibrationSummary => {
    const summary: CalibrationSummary = { schemaVersion: 1, name: grid.name, modelTimeScale: timeScale, repeat, startedAt, interrupted, verdict: verdictOf(cases, interrupted), cases };
    writeFormats(dir, summary, CALIBRATION_FILES, CALIBRATION_RENDERERS);
    return summary;
  };
  for (const c of grid.cases) {
    if (isAborted(options.signal)) break;
    const side = async (stack: 'model' | 'real'): Promise<RunResult | SeriesResult> =>
      runScenario(c.loaded, {
        stack,
        // Strategies one at a time too: together, each burns a core and they distort each other.
        sequential: true,
        timeScale: stack === 'model' ? timeScale : 1,
        outDir: sideDir(dir, c.name, stack),
        ...(repeat > 1 ? { repeat } : {}),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        onEvent: (event) => options.onEvent?.({ caseName: c.name, stack }, event),
      });
    // A side saved by an earlier calibration (--model-from, --real-from) is re-read, not re-run.
    const runOrReuse = async (stack: 'model' | 'real', saved: ReadonlyMap<string, string>): Promise<RunResult | SeriesResult> => {
      const stored = stack === 'real' ? referenceRuns.get(c.name) : undefined;
      if (stored !== undefined) return { kind: 'run', runDir: `${referenceFile}#${c.name}`, report: stored };
      const dir = saved.get(c.name);
      return dir === undefined ? side(stack) : readSavedResult(dir);
    };
    const model = await runOrReuse('model', savedModel);
    if (isAborted(options.signal)) break;
    const real = await runOrReuse('real', savedReal);
    const comparison =
      model.kind === 'run' && real.kind === 'run'
        ? compareCase(c.name, model.report, real.report)
        : model.kind === 'series' && real.kind === 'series'
          ? compareSeries(c.name, model.series, real.series, model.runs.flatMap((run, i) => (real.runs[i] === undefined ? [] : [[run.report, real.runs[i].report] as const])))
          : null;
    if (comparison === null) continue;
    if (real.kind === 'run') measured.push({ name: c.name, scenario: scenarioToFile(c.loaded.scenario), report: real.report });
    cases.push({ ...comparison, modelDir: model.kind === 'run' ? model.runDir : model.seriesDir, realDir: real.kind === 'run' ? real.runDir : real.seriesDir });
    write(false);
  }
  const interrupted = isAborted(options.signal) || cases.length < grid.cases.length;
  // Only a whole grid makes a reference: a partial one would silently send later cases to the real stack.
  if (options.writeReference !== undefined && !interrupted) {
    const how = `starve-lab calibrate ${grid.name} on ${availableParallelism()} cores, one side and one strategy at a time, nothing else running`;
    writeFileAtomic(resolve(options.writeReference), encodeReference(buildReference(grid.name, how, measured)));
  }
  return { dir, summary: write(interrupted) };
}
