// `calibrate --real-from DIR` (and `--model-from DIR`): the runs of an earlier calibration (or of
// scripts/measure-real-grid.mjs), reused so the model can be re-calibrated after a change without
// another hour of real runs, or a comparison re-made after a change of tolerance without any run. A saved run counts only if it finished and was made with the same
// parameters the case has now; anything else is refused before anything starts.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StarveError } from '../errors.js';
import type { CalibrationCase } from '../io/load-grid.js';
import { readRunParams } from '../io/read-run-dir.js';
import type { Scenario } from '../scenario/types.js';
import { scenarioToFile } from '../scenario/scenario-file.js';
import { isSeriesDir, seriesRunDirs } from './series-dir.js';
import { decodeReference } from '../calibration/reference.js';
import { readJsonFile } from '../io/read-json-file.js';
import type { Report } from '../report/report-schema.js';

/** Where calibrate keeps a case's side: `<dir>/<case>/<side>/<scenario>/<timestamp>`. */
export function sideDir(dir: string, caseName: string, side: 'model' | 'real'): string {
  return join(dir, caseName, side);
}

/** The fields of a scenario file that decide what a run measured (its name and description do not), named as a file names them. */
const MEASURED_FIELDS = ['master', 'timeoutMs', 'probe', 'workers', 'loop', 'http', 'strategies', 'durationMs', 'seed', 'load', 'clockSteps'] as const;

/** The measured fields two scenario files differ in; a missing `http` is httptools (runs made before it existed). */
function fileDifferences(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const value = (file: Record<string, unknown>, key: string): string => JSON.stringify(file[key] ?? (key === 'http' ? 'httptools' : null));
  return MEASURED_FIELDS.filter((key) => value(a, key) !== value(b, key));
}

function differences(saved: Scenario, wanted: Scenario): string[] {
  return fileDifferences(scenarioToFile(saved), scenarioToFile(wanted));
}

/** Whether `--real-from` names a stored real-stack reference (a file) rather than a calibration directory. */
export function isReferenceFile(path: string): boolean {
  const file = resolve(path);
  return existsSync(file) && statSync(file).isFile();
}

/**
 * The real report of each case from a stored reference (calibration/reference.ts), by case name; a case
 * it lacks is left out (the real stack runs for it). Throws BAD_ARGUMENT naming every case the
 * reference holds with other parameters, and refuses --repeat: a reference holds one real run a case.
 */
export function findReferenceRuns(file: string, cases: readonly CalibrationCase[], repeat: number): Map<string, Report> {
  const path = resolve(file);
  if (repeat !== 1) throw new StarveError('BAD_ARGUMENT', `--real-from ${path} is a stored reference, with one real run per case; --repeat ${repeat} asks for ${repeat}.`, { hint: 'Drop --repeat, or give a calibration directory made with the same --repeat.' });
  const reference = readJsonFile(path, 'real-stack reference', decodeReference);
  const found = new Map<string, Report>();
  const problems: string[] = [];
  for (const c of cases) {
    const stored = reference.cases.find((candidate) => candidate.name === c.name);
    if (stored === undefined) continue;
    if (stored.report.stack !== 'real' || stored.report.interrupted) {
      problems.push(`${c.name}: the stored run is not a finished run of the real stack`);
      continue;
    }
    const changed = fileDifferences(stored.scenario, scenarioToFile(c.loaded.scenario));
    if (changed.length > 0) problems.push(`${c.name}: the stored run was made with a different ${changed.join(', ')}`);
    else found.set(c.name, stored.report);
  }
  if (problems.length > 0) {
    throw new StarveError('BAD_ARGUMENT', `Some cases of ${path} cannot stand in for the grid's:`, {
      details: problems,
      hint: 'Re-measure the reference (calibrate the grid with --write-reference) after changing a case. Nothing was started.',
    });
  }
  return found;
}

function newestRunDir(root: string): string | null {
  if (!existsSync(root) || !statSync(root).isDirectory()) return null;
  const found: string[] = [];
  for (const scenario of readdirSync(root)) {
    const scenarioDir = join(root, scenario);
    if (!statSync(scenarioDir).isDirectory()) continue;
    for (const stamp of readdirSync(scenarioDir)) found.push(join(scenarioDir, stamp));
  }
  return found.sort().at(-1) ?? null;
}

/**
 * The saved real run (or series) of each case, by case name; a case with none is left out (the real
 * stack runs for it). Throws BAD_ARGUMENT naming every case whose saved run cannot stand in.
 */
export function findSavedRuns(fromDir: string, cases: readonly CalibrationCase[], repeat: number, side: 'model' | 'real' = 'real', timeScale = 1): Map<string, string> {
  const root = resolve(fromDir);
  const flag = side === 'real' ? '--real-from' : '--model-from';
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new StarveError('BAD_ARGUMENT', `${flag} ${root} is not a directory.`, { hint: 'Give a calibration directory that `starve-lab calibrate` printed.' });
  }
  const saved = new Map<string, string>();
  const problems: string[] = [];
  for (const c of cases) {
    const dir = newestRunDir(sideDir(root, c.name, side));
    if (dir === null) continue;
    const runs = isSeriesDir(dir) ? seriesRunDirs(dir) : [dir];
    if (runs.length !== repeat) {
      problems.push(`${c.name}: ${runs.length} saved ${side} run(s), but --repeat ${repeat} asks for ${repeat}`);
      continue;
    }
    const params = readRunParams(runs[0] ?? dir);
    if (params.stack !== side) problems.push(`${c.name}: ${dir} is not a run of the ${side === 'real' ? 'real stack' : 'model'}`);
    else if (params.finishedAt === null || params.interrupted) problems.push(`${c.name}: the saved ${side} run did not finish (${dir})`);
    else if (params.timeScale !== timeScale) problems.push(`${c.name}: the saved ${side} run ran at time scale ${params.timeScale}, this calibration at ${timeScale}`);
    else {
      const changed = differences(params.scenario, c.loaded.scenario);
      if (changed.length > 0) problems.push(`${c.name}: the saved ${side} run was made with a different ${changed.join(', ')}`);
      else saved.set(c.name, dir);
    }
  }
  if (problems.length === 0 && saved.size === 0) {
    throw new StarveError('BAD_ARGUMENT', `${flag} ${root} holds no saved ${side} run of any case (${cases.map((c) => c.name).join(', ')}).`, {
      hint: `Give the calibration directory those cases were measured into (it has <case>/${side}/ inside), or drop ${flag} to run the ${side === 'real' ? 'real stack' : 'model'}. Nothing was started.`,
    });
  }
  if (problems.length > 0) {
    throw new StarveError('BAD_ARGUMENT', `Some saved ${side} runs under ${root} cannot stand in for the cases:`, {
      details: problems,
      hint: `Re-measure those cases (drop ${flag}, or delete their ${side}/ directories). Nothing was started.`,
    });
  }
  return saved;
}
