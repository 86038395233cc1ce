// Writes a whole file or nothing: a temporary sibling renamed into place, so an interrupted run
// never leaves a half-written report. `checkCanWrite` tries exactly that before anything starts.

import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';

const temporaryFor = (path: string): string => `${path}.${process.pid}.tmp`;

export function writeFileAtomic(path: string, text: string): void {
  const temporary = temporaryFor(path);
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/**
 * Throws (the system's error) unless a file can be written at `path` as writeFileAtomic will: its
 * temporary sibling is created and removed. access(2) is not enough: it says yes to root under /proc
 * and on some read-only mounts, where the write itself then fails after a whole run.
 */
export function checkCanWrite(path: string): void {
  // rename(2) onto a directory fails only at the end, after the whole run: say so now.
  if (existsSync(path) && statSync(path).isDirectory()) throw Object.assign(new Error(`${path} is a directory`), { code: 'EISDIR' });
  const temporary = temporaryFor(path);
  writeFileSync(temporary, '');
  rmSync(temporary, { force: true });
}
