// Finds a scenario by built-in name or file path, reads it and validates it (file input lives here).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StarveError } from '../errors.js';
import type { Scenario } from './types.js';
import { validateScenario } from './validate-scenario.js';

/** The built-in scenarios shipped with the package, as files a user can copy. */
export const BUILTIN_SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

export interface LoadedScenario {
  scenario: Scenario;
  /** The file it came from. */
  file: string;
}

export function listBuiltinScenarioFiles(): string[] {
  if (!existsSync(BUILTIN_SCENARIO_DIR)) return [];
  return readdirSync(BUILTIN_SCENARIO_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => resolve(BUILTIN_SCENARIO_DIR, name));
}

export function builtinScenarioNames(): string[] {
  return listBuiltinScenarioFiles().map((file) => basename(file, '.json'));
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
    return file;
  }
  const file = resolve(BUILTIN_SCENARIO_DIR, `${reference}.json`);
  if (!existsSync(file)) {
    throw new StarveError('UNKNOWN_SCENARIO', `Unknown scenario "${reference}".`, {
      hint: `Known scenarios: ${builtinScenarioNames().join(', ')}. A file path (./my-scenario.json) also works.`,
    });
  }
  return file;
}

export function loadScenario(reference: string): LoadedScenario {
  const file = resolveScenarioFile(reference);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new StarveError('INVALID_SCENARIO', `${file} is not valid JSON: ${(error as Error).message}`, {
      hint: 'Fix the JSON syntax (a linter or `node -e "JSON.parse(...)"` shows where).',
    });
  }
  const check = validateScenario(value);
  if (!check.ok) {
    const count = check.problems.length;
    throw new StarveError('INVALID_SCENARIO', `${file} has ${count} problem${count === 1 ? '' : 's'}:`, {
      details: check.problems.map((p) => `${p.path}: expected ${p.expected}, found ${p.found}`),
      hint: 'Fix each one and run again; nothing was started.',
    });
  }
  return { scenario: check.scenario, file };
}
