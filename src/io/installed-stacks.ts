// The stacks `stacks install` left in the cache: read from their stack.json, checked to be whole.

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { StarveError } from '../errors.js';
import { readJsonFile } from './read-json-file.js';
import { cacheRoot, stacksDir } from '../stacks/stack-cache.js';
import { decodeStackRecord, STACK_RECORD_FILE, STACK_SITE_DIR, type InstalledStack, type StackListing, type StackRecord } from '../stacks/stack-record.js';
import { findStackName, installCommand, STACK_NAMES, stackNames, SYSTEM_STACK } from '../stacks/stack-names.js';

export type { InstalledStack, StackListing };

export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return cacheRoot(env, homedir());
}

/** The named stack as installed, or null when it is not. A damaged one is refused with the command that reinstalls it. */
export function readInstalledStack(root: string, name: string): InstalledStack | null {
  const dir = join(stacksDir(root), name);
  const file = join(dir, STACK_RECORD_FILE);
  if (!existsSync(file)) return null;
  let record: StackRecord;
  try {
    record = readJsonFile(file, 'stack record', decodeStackRecord);
  } catch (error) {
    if (!(error instanceof StarveError)) throw error;
    throw new StarveError('BAD_ARGUMENT', `The installed stack "${name}" is damaged: ${error.message}`, { hint: `Install it again: ${installCommand(name)}` });
  }
  const sitePath = join(dir, STACK_SITE_DIR);
  if (!existsSync(join(sitePath, 'gunicorn')) || !existsSync(join(sitePath, 'uvicorn'))) {
    throw new StarveError('BAD_ARGUMENT', `The installed stack "${name}" lacks its gunicorn or uvicorn (${sitePath}).`, { hint: `Install it again: ${installCommand(name)}` });
  }
  return { record, sitePath };
}

/**
 * The PYTHONPATH entries of the stack a run asks for: none for the interpreter's own packages; for an
 * installed stack its site directory. Unknown or not installed: refused before anything starts.
 */
export function stackSitePath(name: string, root: string = defaultCacheRoot()): string[] {
  const known = findStackName(name);
  if (known === undefined) throw new StarveError('BAD_ARGUMENT', `No Python stack named "${name}"; the stacks are ${stackNames().join(', ')}.`, { hint: 'See them with: npx starve-lab stacks list' });
  if (name === SYSTEM_STACK) return [];
  const installed = readInstalledStack(root, name);
  if (installed === null) throw new StarveError('BAD_ARGUMENT', `The Python stack "${name}" (${known.summary}) is not installed.`, { hint: `Install it (apt, from the machine's Debian mirror, into ${stacksDir(root)}): ${installCommand(name)}. Nothing was started.` });
  return [installed.sitePath];
}


export function listStacks(root: string = defaultCacheRoot()): StackListing[] {
  return STACK_NAMES.map((known) => {
    if (known.suite === null) return { name: known.name, suite: null, summary: known.summary, installed: null, problem: null };
    try {
      return { name: known.name, suite: known.suite, summary: known.summary, installed: readInstalledStack(root, known.name), problem: null };
    } catch (error) {
      if (!(error instanceof StarveError)) throw error;
      return { name: known.name, suite: known.suite, summary: known.summary, installed: null, problem: error.message };
    }
  });
}
