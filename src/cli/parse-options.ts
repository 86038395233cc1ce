// node:util parseArgs with exact messages: what was wrong and what to do.

import { StarveError } from '../errors.js';
import { TIME_SCALE_RANGE } from '../pipeline/run-options.js';

/** Runs a node:util parseArgs call, turning its errors into a clear BAD_ARGUMENT. */
export function withArgumentErrors<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new StarveError('BAD_ARGUMENT', (error as Error).message.replace(/\. To specify.*$/s, '.'), {
      hint: `Run \`starve-lab ${command} --help\` for the options.`,
    });
  }
}

export function parseTimeScale(raw: string | undefined): number {
  if (raw === undefined) return 1;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < TIME_SCALE_RANGE.min || value > TIME_SCALE_RANGE.max) {
    throw new StarveError('BAD_ARGUMENT', `Expected --time-scale to be a number from ${TIME_SCALE_RANGE.min} to ${TIME_SCALE_RANGE.max}, got \`${raw}\`.`, {
      hint: 'Use 1 for real timing, 0.1 to run ten times faster.',
    });
  }
  return value;
}

export function parseWhole(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new StarveError('BAD_ARGUMENT', `Expected --${flag} to be a whole number from ${min} to ${max}, got \`${raw}\`.`);
  }
  return value;
}
