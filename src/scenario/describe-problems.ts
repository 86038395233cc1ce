// Every problem of a scenario as one error: the file, then one line per JSON path (pure).

import { StarveError } from '../errors.js';
import type { ScenarioProblem } from './validate-scenario.js';

export function describeProblems(file: string, problems: readonly ScenarioProblem[]): StarveError {
  const count = problems.length;
  return new StarveError('INVALID_SCENARIO', `${file} has ${count} problem${count === 1 ? '' : 's'}:`, {
    details: problems.map((p) => `${p.path}: expected ${p.expected}, found ${p.found}`),
    hint: 'Fix each one and run again; nothing was started.',
  });
}

