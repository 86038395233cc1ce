// Finds a scenario by built-in name or file path, reads it (JSON, or an ES module that default-exports
// the same shape and may supply handler functions) and validates it. File input lives here.

import { nearestName } from '../suggest.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { StarveError } from '../errors.js';
import { looksLikeGrid } from '../calibration/grid.js';
import { stripBom } from './read-json-file.js';
import type { Scenario } from '../scenario/types.js';
import { describeProblems } from '../scenario/describe-problems.js';
import { validateScenario } from '../scenario/validate-scenario.js';

/** The built-in scenarios shipped with the package, as files a user can copy. */
export const BUILTIN_SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

const SCRIPT_EXTENSIONS = ['.mjs', '.js'];
const SCENARIO_EXTENSIONS = ['.json', ...SCRIPT_EXTENSIONS];

export interface LoadedScenario {
  scenario: Scenario;
  /** The file it came from. */
  file: string;
  /** Set for a scenario script: the worker imports it to find its handlers. */
  module: string | null;
}

export function listBuiltinScenarioFiles(): string[] {
  if (!existsSync(BUILTIN_SCENARIO_DIR)) return [];
  return readdirSync(BUILTIN_SCENARIO_DIR)
    .filter((name) => SCENARIO_EXTENSIONS.includes(extname(name)))
    .sort()
    .map((name) => resolve(BUILTIN_SCENARIO_DIR, name));
}

export function builtinScenarioNames(): string[] {
  return listBuiltinScenarioFiles().map((file) => basename(file, extname(file)));
}

function looksLikePath(reference: string): boolean {
  return reference.includes('/') || reference.includes('\\') || extname(reference) !== '';
}

function resolveScenarioFile(reference: string): string {
  if (looksLikePath(reference)) {
    const file = resolve(reference);
    if (!existsSync(file)) {
      throw new StarveError('UNKNOWN_SCENARIO', `Scenario file not found: ${file}`, {
        hint: 'Check the path, or run `starve-lab list` for the built-in scenarios.',
      });
    }
    if (!SCENARIO_EXTENSIONS.includes(extname(file))) {
      throw new StarveError('INVALID_SCENARIO', `${file}: a scenario is a .json file or an ES module (.mjs or .js).`);
    }
    return file;
  }
  const file = listBuiltinScenarioFiles().find((candidate) => basename(candidate, extname(candidate)) === reference);
  if (file === undefined) {
    const near = nearestName(reference, builtinScenarioNames());
    throw new StarveError('UNKNOWN_SCENARIO', `Unknown scenario "${reference}"${near === null ? '.' : `; did you mean ${near}?`}`, {
      hint: `Known scenarios: ${builtinScenarioNames().join(', ')}. A file path (./my-scenario.json) also works.`,
    });
  }
  return file;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(stripBom(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new StarveError('INVALID_SCENARIO', `${file} is not valid JSON: ${(error as Error).message}`, {
      hint: 'Fix the JSON syntax; nothing was started.',
    });
  }
}

async function importScript(file: string): Promise<{ value: unknown; handlers: string[] }> {
  let exported: unknown;
  try {
    exported = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
  } catch (error) {
    throw new StarveError('INVALID_SCENARIO', `${file} could not be imported: ${(error as Error).message}`, {
      hint: 'A scenario script is an ES module whose default export is the scenario object.',
    });
  }
  if (typeof exported !== 'object' || exported === null) {
    throw new StarveError('INVALID_SCENARIO', `${file} has no default export of a scenario object.`, {
      hint: 'Write `export default { name: ..., timeoutMs: ..., ... }`.',
    });
  }
  const handlers = (exported as { handlers?: unknown }).handlers;
  const names =
    typeof handlers === 'object' && handlers !== null
      ? Object.entries(handlers)
          .filter(([, fn]) => typeof fn === 'function')
          .map(([name]) => name)
      : [];
  return { value: exported, handlers: names };
}

/** Reads and validates a scenario; `override` may change the raw object first (command-line flags). */
export async function loadScenario(reference: string, override: (raw: Record<string, unknown>) => void = () => {}): Promise<LoadedScenario> {
  const file = resolveScenarioFile(reference);
  const script = SCRIPT_EXTENSIONS.includes(extname(file));
  const { value, handlers } = script ? await importScript(file) : { value: readJson(file), handlers: null };
  if (looksLikeGrid(value)) {
    throw new StarveError('INVALID_SCENARIO', `${file} is a calibration grid (it lists "cases"), not a scenario.`, {
      hint: `Run it with \`starve-lab calibrate ${reference}\`, or run one of its cases' scenarios.`,
    });
  }
  const raw = typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : value;
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) override(raw as Record<string, unknown>);
  const check = validateScenario(raw, handlers);
  if (!check.ok) throw describeProblems(file, check.problems);
  return { scenario: check.scenario, file, module: script ? file : null };
}
