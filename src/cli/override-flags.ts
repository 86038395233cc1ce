// The command-line flags that override a scenario's common fields: parsed here into ScenarioOverrides.

import { StarveError } from '../errors.js';
import type { ScenarioOverrides } from '../scenario/apply-overrides.js';
import { describeLimit, LIMITS } from '../scenario/limits.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** "30" and "30s" are seconds (gunicorn's --timeout is in seconds); "1500ms" and "2m" also work. */
export function parseDurationFlag(flag: string, raw: string, maxMs: number): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(raw.trim());
  if (match === null) throw new StarveError('BAD_ARGUMENT', `Expected --${flag} to be a duration like 30, 30s, 1500ms or 2m, got \`${raw}\`.`);
  const ms = Number(match[1]) * (UNITS[match[2] ?? 's'] ?? 1000);
  if (ms > maxMs) throw new StarveError('BAD_ARGUMENT', `--${flag} ${raw} is more than starve-lab accepts (${describeLimit(maxMs)}).`, { hint: 'No real case needs that much; check for an extra zero or a unit.' });
  return ms;
}

export function parseWholeFlag(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) throw new StarveError('BAD_ARGUMENT', `Expected --${flag} to be a whole number from ${min} to ${max}, got \`${raw}\`.`);
  return value;
}

/** A rate in requests per second: a number from 0 to `max` (0 turns the open load off). */
export function parseRateFlag(flag: string, raw: string, max: number): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > max) throw new StarveError('BAD_ARGUMENT', `Expected --${flag} to be requests per second from 0 to ${max} (0: closed-loop clients), got \`${raw}\`.`);
  return value;
}

export function parseListFlag(flag: string, raw: string): string[] {
  const items = raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
  if (items.length === 0) throw new StarveError('BAD_ARGUMENT', `Expected --${flag} to be a comma-separated list, got \`${raw}\`.`);
  return items;
}

export function readOverrides(values: Record<string, string | boolean | undefined>): ScenarioOverrides {
  const text = (key: string): string | undefined => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  const overrides: ScenarioOverrides = {};
  const timeout = text('timeout');
  if (timeout !== undefined) overrides.timeoutMs = parseDurationFlag('timeout', timeout, LIMITS.timeoutMs);
  const duration = text('duration');
  if (duration !== undefined) overrides.durationMs = parseDurationFlag('duration', duration, LIMITS.durationMs);
  const clients = text('clients');
  if (clients !== undefined) overrides.clients = parseWholeFlag('clients', clients, 0, LIMITS.clients);
  const workers = text('workers');
  if (workers !== undefined) overrides.workers = parseWholeFlag('workers', workers, 1, LIMITS.workers);
  const seed = text('seed');
  if (seed !== undefined) overrides.seed = parseWholeFlag('seed', seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const strategies = text('strategies');
  if (strategies !== undefined) overrides.strategies = parseListFlag('strategies', strategies);
  const loop = text('loop');
  if (loop !== undefined) overrides.loop = loop;
  const http = text('http');
  if (http !== undefined) overrides.http = http;
  const arrivals = text('arrivals');
  if (arrivals !== undefined) overrides.arrivalsPerS = parseRateFlag('arrivals', arrivals, LIMITS.arrivalsPerS);
  const pythonStack = text('python-stack');
  if (pythonStack !== undefined) overrides.pythonStack = pythonStack;
  const client = text('client');
  if (client !== undefined) overrides.client = client;
  const proxy = text('proxy');
  if (proxy !== undefined) overrides.proxy = proxy;
  const master = text('master');
  if (master !== undefined) overrides.master = master;
  return overrides;
}

/** The flags `run` accepts for overrides, for parseArgs and the help text. */
export const OVERRIDE_OPTIONS = {
  timeout: { type: 'string' },
  duration: { type: 'string' },
  clients: { type: 'string' },
  workers: { type: 'string' },
  seed: { type: 'string' },
  strategies: { type: 'string' },
  loop: { type: 'string' },
  http: { type: 'string' },
  arrivals: { type: 'string' },
  client: { type: 'string' },
  proxy: { type: 'string' },
  master: { type: 'string' },
  'python-stack': { type: 'string' },
} as const;
