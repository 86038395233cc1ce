// Makes reports/<scenario>/<timestamp>/ and checks it is writable before anything starts.

import { accessSync, constants, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StarveError } from '../errors.js';

/** A timestamp that sorts and is safe in a path on every OS: 2026-11-24T09-30-00-123Z. */
export function runDirName(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

export function createRunDir(outDir: string, scenarioName: string, date: Date): string {
  const base = resolve(outDir);
  const safeName = scenarioName.replace(/[^A-Za-z0-9._-]/g, '_');
  const runDir = join(base, safeName, runDirName(date));
  try {
    mkdirSync(runDir, { recursive: true });
    accessSync(runDir, constants.W_OK);
  } catch (error) {
    throw new StarveError('OUTPUT_NOT_WRITABLE', `Cannot write runs under ${base}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, {
      hint: 'Pass --out with a directory you can write to.',
      cause: error,
    });
  }
  return runDir;
}
