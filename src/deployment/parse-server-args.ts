// Parses a gunicorn or uvicorn argument list the way each does (pure): gunicorn's argparse (`--opt value`,
// `--opt=value`, `-w4`, and a long option's unambiguous prefix, since argparse allows abbreviations);
// uvicorn's click (`--opt value`, `--opt=value`, no abbreviations). Which options take a value comes
// from their own definitions (server-options.ts); an option neither knows is kept as written.

import { StarveError } from '../errors.js';
import type { ServerOption } from './server-options.js';

export interface ParsedServerArgs {
  /** Setting name → every value given, in order (a flag's value is "true"). */
  values: Map<string, string[]>;
  /** The option each setting was given with, as typed (for messages). */
  spelled: Map<string, string>;
  positionals: string[];
  /** Options neither server knows, as typed. */
  unknown: string[];
}

function findOption(table: readonly ServerOption[], flag: string, abbreviations: boolean, server: string): ServerOption | null {
  const exact = table.find((option) => option.flags.includes(flag));
  if (exact !== undefined) return exact;
  if (!abbreviations || !flag.startsWith('--')) return null;
  const matches = table.filter((option) => option.flags.some((f) => f.startsWith('--') && f.startsWith(flag)));
  if (matches.length > 1) {
    throw new StarveError('BAD_ARGUMENT', `${server}'s option ${flag} is ambiguous: it could be ${matches.map((m) => m.flags.find((f) => f.startsWith(flag))).join(', ')}.`, { hint: `Spell the option out in full, as ${server} itself would ask you to.` });
  }
  return matches[0] ?? null;
}

export function parseServerArgs(argv: readonly string[], table: readonly ServerOption[], server: 'gunicorn' | 'uvicorn'): ParsedServerArgs {
  const abbreviations = server === 'gunicorn';
  const parsed: ParsedServerArgs = { values: new Map(), spelled: new Map(), positionals: [], unknown: [] };
  const add = (option: ServerOption, typed: string, value: string): void => {
    parsed.values.set(option.setting, [...(parsed.values.get(option.setting) ?? []), value]);
    parsed.spelled.set(option.setting, typed);
  };
  for (let i = 0; i < argv.length; i += 1) {
    const word = argv[i] ?? '';
    if (word === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      parsed.positionals.push(word);
      continue;
    }
    const equals = word.indexOf('=');
    const isLong = word.startsWith('--');
    // -w4: a short option with its value attached.
    const flag = isLong ? (equals > 0 ? word.slice(0, equals) : word) : word.slice(0, 2);
    const attached = isLong ? (equals > 0 ? word.slice(equals + 1) : null) : word.length > 2 ? word.slice(2).replace(/^=/, '') : null;
    const option = findOption(table, flag, abbreviations, server);
    if (option === null) {
      parsed.unknown.push(word);
      continue;
    }
    if (!option.takesValue) {
      add(option, flag, 'true');
      continue;
    }
    const value = attached ?? argv[i + 1];
    if (value === undefined) throw new StarveError('BAD_ARGUMENT', `${server}'s option ${flag} needs a value, and the command line ends there.`, { hint: `Give it as ${server} would take it, e.g. \`${flag} 30\`.` });
    if (attached === null) i += 1;
    add(option, flag, value);
  }
  return parsed;
}
