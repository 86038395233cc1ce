// A gunicorn or uvicorn command line's arguments into the settings that decide a worker's liveness (pure).
// A value the shell would fill in when the container starts (`$WORKERS`) cannot be read here: it is
// kept as not given, and `init` lists it as not mapped.

import { StarveError } from '../errors.js';
import { parseServerArgs, type ParsedServerArgs } from './parse-server-args.js';
import { GUNICORN_OPTIONS, UVICORN_OPTIONS } from './server-options.js';
import type { GunicornSettings, UvicornSettings } from './types.js';

/** A value left to the shell or the environment (`$WORKERS`, `${PORT}`): known only when the container starts. */
export function isDeferred(value: string): boolean {
  return value.includes('$');
}

function last(parsed: ParsedServerArgs, setting: string): string | null {
  const values = parsed.values.get(setting);
  return values === undefined ? null : (values[values.length - 1] ?? null);
}

/** A whole number setting as the server reads it (int()), or null when not given or deferred; refused when malformed. */
function wholeNumber(parsed: ParsedServerArgs, setting: string, server: string, min: number): number | null {
  const raw = last(parsed, setting);
  if (raw === null || isDeferred(raw)) return null;
  const value = Number(raw.trim());
  if (!/^[+-]?\d+$/.test(raw.trim()) || value < min || !Number.isSafeInteger(value)) {
    const flag = parsed.spelled.get(setting) ?? setting;
    throw new StarveError('INVALID_SCENARIO', `${server} ${flag} ${raw}: ${server} takes a whole number${min > 0 ? ` of at least ${min}` : ''} there and would refuse to start.`, { hint: `Fix ${flag} in the command line (e.g. \`${flag} 30\`).` });
  }
  return value;
}

/** Every option given that is not one of the settings read, as typed, plus the ones deferred to the shell. */
function others(parsed: ParsedServerArgs, read: readonly string[], tableFlags: ReadonlyMap<string, string>): string[] {
  const notes: string[] = [];
  for (const [setting, values] of parsed.values) {
    const flag = parsed.spelled.get(setting) ?? tableFlags.get(setting) ?? setting;
    const value = values[values.length - 1] ?? '';
    if (!read.includes(setting)) notes.push(value === 'true' ? flag : `${flag} ${value}`);
    else if (isDeferred(value)) notes.push(`${flag} ${value}`);
  }
  return [...notes, ...parsed.unknown];
}

const GUNICORN_READ = ['worker_class', 'workers', 'timeout', 'keepalive', 'graceful_timeout', 'threads', 'config'];

export function readGunicornArgs(argv: readonly string[]): GunicornSettings {
  const parsed = parseServerArgs(argv, GUNICORN_OPTIONS, 'gunicorn');
  const flags = new Map(GUNICORN_OPTIONS.map((o) => [o.setting, o.flags[o.flags.length - 1] ?? o.setting]));
  const workerClass = last(parsed, 'worker_class');
  return {
    workerClass: workerClass === null || isDeferred(workerClass) ? null : workerClass,
    workers: wholeNumber(parsed, 'workers', 'gunicorn', 1),
    timeoutS: wholeNumber(parsed, 'timeout', 'gunicorn', 0),
    keepaliveS: wholeNumber(parsed, 'keepalive', 'gunicorn', 0),
    gracefulTimeoutS: wholeNumber(parsed, 'graceful_timeout', 'gunicorn', 0),
    threads: wholeNumber(parsed, 'threads', 'gunicorn', 1),
    configFile: last(parsed, 'config'),
    app: parsed.positionals[0] ?? null,
    other: [...others(parsed, GUNICORN_READ, flags), ...parsed.positionals.slice(1)],
  };
}

const UVICORN_READ = ['workers', 'timeout_worker_healthcheck', 'loop', 'http', 'timeout_keep_alive'];

export function readUvicornArgs(argv: readonly string[]): UvicornSettings {
  const parsed = parseServerArgs(argv, UVICORN_OPTIONS, 'uvicorn');
  const flags = new Map(UVICORN_OPTIONS.map((o) => [o.setting, o.flags[0] ?? o.setting]));
  const choice = (setting: string): string | null => {
    const raw = last(parsed, setting);
    return raw === null || isDeferred(raw) ? null : raw;
  };
  return {
    workers: wholeNumber(parsed, 'workers', 'uvicorn', 1),
    healthcheckTimeoutS: wholeNumber(parsed, 'timeout_worker_healthcheck', 'uvicorn', 1),
    loop: choice('loop'),
    http: choice('http'),
    keepAliveS: wholeNumber(parsed, 'timeout_keep_alive', 'uvicorn', 0),
    app: parsed.positionals[0] ?? null,
    other: [...others(parsed, UVICORN_READ, flags), ...parsed.positionals.slice(1)],
  };
}
