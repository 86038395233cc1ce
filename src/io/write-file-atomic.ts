// Writes a whole file or nothing: a temporary sibling renamed into place, so an interrupted run
// never leaves a half-written report.

import { renameSync, writeFileSync } from 'node:fs';

export function writeFileAtomic(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}
