// Finds the gunicorn or uvicorn command in what a container or a shell runs (pure): a command line as
// typed (`gunicorn main:app -k uvicorn.workers.UvicornWorker -w 4`), or a container's command and args,
// through the wrappers production puts in front (`exec`, `sh -c "…"`, env assignments, `python -m`,
// `poetry run`, `ddtrace-run`, `tini --`…). Words are split as a POSIX shell does, by shell-quote.

import { parse } from 'shell-quote';

export type ServerName = 'gunicorn' | 'uvicorn';

export interface ServerCommand {
  server: ServerName;
  /** The arguments after the server's name. */
  argv: string[];
}

/** A shell command line in words, one list per simple command (`a && b; c` gives three); `$VAR` is kept as written. */
export function splitCommandLine(text: string): string[][] {
  const segments: string[][] = [[]];
  for (const entry of parse(text, (key) => `$${key}`)) {
    if (typeof entry === 'string') segments[segments.length - 1]?.push(entry);
    else if ('op' in entry && entry.op === 'glob') segments[segments.length - 1]?.push(entry.pattern);
    else if ('op' in entry) segments.push([]);
    // comments end nothing but add no word
  }
  return segments.filter((segment) => segment.length > 0);
}

const basename = (word: string): string => word.slice(word.lastIndexOf('/') + 1);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh']);
const PYTHON = /^python(\d+(\.\d+)?)?$/;
/** Wrappers that run the rest of the line as a command: a name, then how many of their own words follow. */
const RUNNERS: ReadonlyArray<{ words: string[]; then: (rest: string[]) => string[] }> = [
  { words: ['exec'], then: (rest) => rest },
  { words: ['nice'], then: (rest) => (rest[0] === '-n' ? rest.slice(2) : rest) },
  { words: ['tini'], then: (rest) => (rest[0] === '--' ? rest.slice(1) : rest) },
  { words: ['dumb-init'], then: (rest) => (rest[0] === '--' ? rest.slice(1) : rest) },
  { words: ['ddtrace-run'], then: (rest) => rest },
  { words: ['opentelemetry-instrument'], then: (rest) => dropOptions(rest) },
  { words: ['newrelic-admin', 'run-program'], then: (rest) => rest },
  { words: ['poetry', 'run'], then: (rest) => rest },
  { words: ['pipenv', 'run'], then: (rest) => rest },
  { words: ['pdm', 'run'], then: (rest) => rest },
  { words: ['uv', 'run'], then: (rest) => dropOptions(rest) },
  { words: ['hatch', 'run'], then: (rest) => rest },
];

/** Drops a wrapper's leading `--flag` words, up to and including `--` (an option taking a value is not known here). */
function dropOptions(words: string[]): string[] {
  const end = words.findIndex((word) => !word.startsWith('-') || word === '--');
  if (end < 0) return [];
  return words.slice(words[end] === '--' ? end + 1 : end);
}

/** The server command in one simple command's words, or null. Bounded: at most 20 wrappers deep. */
export function findServerCommand(words: readonly string[], depth = 0): ServerCommand | null {
  if (depth > 20) return null;
  let rest = [...words];
  // VAR=value before the command, and `env [VAR=value…]`.
  while (rest.length > 0 && (/^[A-Za-z_]\w*=/.test(rest[0] ?? '') || rest[0] === 'env')) rest = rest.slice(1);
  const [first, ...after] = rest;
  if (first === undefined) return null;
  const name = basename(first);
  if (name === 'gunicorn' || name === 'uvicorn') return { server: name, argv: after };
  if (SHELLS.has(name)) {
    const c = after.indexOf('-c');
    const script = c >= 0 ? after[c + 1] : undefined;
    if (script === undefined) return null;
    for (const segment of splitCommandLine(script)) {
      const found = findServerCommand(segment, depth + 1);
      if (found !== null) return found;
    }
    return null;
  }
  if (PYTHON.test(name)) {
    // python [-u -O -X opt …] -m gunicorn|uvicorn …
    for (let i = 0; i < after.length; i += 1) {
      const word = after[i] ?? '';
      if (word === '-m') {
        const module = after[i + 1];
        return module === 'gunicorn' || module === 'uvicorn' ? { server: module, argv: after.slice(i + 2) } : null;
      }
      if (!word.startsWith('-')) return null;
      if (word === '-X' || word === '-W') i += 1;
    }
    return null;
  }
  for (const runner of RUNNERS) {
    if (runner.words.every((word, i) => (i === 0 ? basename(rest[0] ?? '') : rest[i]) === word)) {
      return findServerCommand(runner.then(rest.slice(runner.words.length)), depth + 1);
    }
  }
  return null;
}

/** The server command anywhere in a command line (the first simple command that runs one), or null. */
export function findServerInLine(text: string): ServerCommand | null {
  for (const segment of splitCommandLine(text)) {
    const found = findServerCommand(segment);
    if (found !== null) return found;
  }
  return null;
}
