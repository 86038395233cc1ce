// Reads what `calibrate` is given: a grid file (scenarios/calibration/*.json) of cases, or one scenario
// (a built-in name or file), and loads every case's scenario with its changes, validated.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { applyChanges, decodeGrid, looksLikeGrid, type Grid } from '../calibration/grid.js';
import { StarveError } from '../errors.js';
import { describeProblems } from '../scenario/describe-problems.js';
import { validateScenario } from '../scenario/validate-scenario.js';
import { loadScenario, type LoadedScenario } from './load-scenario.js';
import { stripBom } from './read-json-file.js';

export interface CalibrationCase {
  name: string;
  loaded: LoadedScenario;
}

export interface LoadedGrid {
  name: string;
  cases: CalibrationCase[];
}

function readGridFile(file: string): Grid | null {
  if (extname(file) !== '.json' || !existsSync(file)) return null;
  let value: unknown;
  try {
    value = JSON.parse(stripBom(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new StarveError('INVALID_SCENARIO', `${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!looksLikeGrid(value)) return null;
  const decoded = decodeGrid(value);
  if (!decoded.ok) throw new StarveError('INVALID_SCENARIO', `${file} is not a valid calibration grid: ${decoded.problem}.`, { hint: 'A grid is { "name", "cases": [{ "scenario": "cpu-burst" | "./file.json" | { ... }, "changes": { ... } }] }.' });
  return decoded.value;
}

const CASE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/;

export async function loadCalibrationInput(reference: string): Promise<LoadedGrid> {
  const file = resolve(reference);
  const grid = readGridFile(file);
  if (grid === null) {
    const loaded = await loadScenario(reference);
    // One scenario: its case directory is its name made safe, as a run directory's is (create-run-dir.ts).
    const name = loaded.scenario.name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[.-]/, '_').slice(0, 100);
    return { name: loaded.scenario.name, cases: [{ name, loaded }] };
  }
  const cases: CalibrationCase[] = [];
  for (const [index, gridCase] of grid.cases.entries()) {
    const changes = gridCase.changes ?? {};
    let loaded: LoadedScenario;
    if (typeof gridCase.scenario === 'string') {
      const ref = /[/\\]|\.(json|mjs|js)$/.test(gridCase.scenario) ? resolve(dirname(file), gridCase.scenario) : gridCase.scenario;
      loaded = await loadScenario(ref, (raw) => applyChanges(raw, changes));
    } else {
      const raw = structuredClone(gridCase.scenario);
      applyChanges(raw, changes);
      const check = validateScenario(raw);
      if (!check.ok) throw describeProblems(`${file} cases[${index}]`, check.problems);
      loaded = { scenario: check.scenario, file, module: null };
    }
    const name = gridCase.name ?? loaded.scenario.name;
    // A case's name is the directory its runs are saved in under --out: one plain path segment.
    if (!CASE_NAME.test(name)) {
      throw new StarveError('INVALID_SCENARIO', `${file} cases[${index}]: the case name ${JSON.stringify(name)} cannot name a directory.`, {
        hint: 'Give the case a "name" of letters, digits, ".", "_" and "-" (not starting with "." or "-"), at most 100 characters.',
      });
    }
    if (cases.some((c) => c.name === name)) throw new StarveError('INVALID_SCENARIO', `${file}: two cases are named "${name}".`, { hint: 'Give each case its own "name".' });
    cases.push({ name, loaded: { ...loaded, scenario: { ...loaded.scenario, name } } });
  }
  return { name: grid.name, cases };
}
