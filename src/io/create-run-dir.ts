// Makes reports/<scenario>/<timestamp>/ and checks it is writable before anything starts.

import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { checkCanWrite } from './write-file-atomic.js';
import { dirname, join, resolve } from 'node:path';
import { StarveError } from '../errors.js';

/** Whether a path a command would write into already holds something: a file, or a directory that is not empty. */
export function isOccupied(path: string): boolean {
  return existsSync(path) && (!statSync(path).isDirectory() || readdirSync(path).length > 0);
}

/** A timestamp that sorts and is safe in a path on every OS: 2026-11-24T09-30-00-123Z. */
export function runDirName(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/**
 * mkdir -p, one level at a time: Node's own recursive mkdirSync never returns for some paths
 * (under /proc, for one), and a clear error beats a hang.
 */
export function makeDirectories(path: string): void {
  try {
    if (statSync(path).isDirectory()) return;
  } catch {
    // Missing: make its parent first.
  }
  const parent = dirname(path);
  if (parent !== path) makeDirectories(parent);
  try {
    mkdirSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** `outDir/<scenario>/<timestamp>`, or `outDir` itself when no date is given (a run of a series). */
export function createRunDir(outDir: string, scenarioName: string, date: Date | null): string {
  const base = resolve(outDir);
  const safeName = scenarioName.replace(/[^A-Za-z0-9._-]/g, '_');
  const runDir = date === null ? base : join(base, safeName, runDirName(date));
  try {
    makeDirectories(runDir);
    checkCanWrite(join(runDir, 'params.json'));
  } catch (error) {
    throw new StarveError('OUTPUT_NOT_WRITABLE', `Cannot write runs under ${base}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, {
      hint: 'Pass --out with a directory you can write to.',
      cause: error,
    });
  }
  return runDir;
}
