// Reads a JSON file a run wrote and decodes it once, or says which file and field is wrong (BAD_TRACE).

import { readFileSync, statSync } from 'node:fs';
import { StarveError } from '../errors.js';

/** Strips a UTF-8 byte-order mark, which editors on some systems add. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads `file` as text, or throws BAD_TRACE naming it (missing, a directory, unreadable). */
export function readRunFile(file: string, what: string): string {
  try {
    if (statSync(file).isDirectory()) throw new StarveError('BAD_TRACE', `${file} is a directory, not ${what}.`);
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof StarveError) throw error;
    throw new StarveError('BAD_TRACE', `Cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
}

/** Parses `file` as JSON and decodes it; `decode` returns the value or a one-line problem. */
export function readJsonFile<T>(file: string, what: string, decode: (value: unknown) => { ok: true; value: T } | { ok: false; problem: string }): T {
  let value: unknown;
  try {
    value = JSON.parse(stripBom(readRunFile(file, what)));
  } catch (error) {
    if (error instanceof StarveError) throw error;
    throw new StarveError('BAD_TRACE', `${file} is not valid JSON: ${(error as Error).message}`);
  }
  const decoded = decode(value);
  if (!decoded.ok) {
    throw new StarveError('BAD_TRACE', `${file} is not a valid ${what}: ${decoded.problem}.`, {
      hint: 'It was edited or written by another tool; re-run the scenario to get a fresh one.',
    });
  }
  return decoded.value;
}
