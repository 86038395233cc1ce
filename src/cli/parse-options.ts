// node:util parseArgs with exact messages: what was wrong and what to do.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { StarveError } from '../errors.js';
import { TIME_SCALE_RANGE } from '../pipeline/run-options.js';
import { nearestName } from '../suggest.js';

/** parseArgs's own error, said in our words: which flag, what was wrong, the nearest known flag. */
function describeArgumentError(error: Error & { code?: string }, known: readonly string[]): string {
  const flag = /Option '(-{1,2}[\w-]+)/.exec(error.message)?.[1] ?? /'(-{1,2}[\w-]+)'/.exec(error.message)?.[1];
  if (/argument is ambiguous/.test(error.message) && flag !== undefined) {
    return `${flag} needs a value, and the word after it starts with "-". A value that starts with "-" is written ${flag}=VALUE (and no option here takes a negative number).`;
  }
  if (/argument missing/.test(error.message) && flag !== undefined) return `${flag} needs a value (e.g. ${flag} 10).`;
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag !== undefined) {
    const near = nearestName(flag.replace(/^-+/, ''), known);
    return `Unknown option ${flag}${near === null ? '.' : `; did you mean --${near}?`}`;
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag !== undefined && /does not take an argument/.test(error.message)) {
    return `${flag} takes no value (it is a switch).`;
  }
  return error.message.replace(/\. To specify.*$/s, '.');
}

/** node:util parseArgs for a command, its errors turned into a clear BAD_ARGUMENT. */
export function parseCommandArgs<T extends ParseArgsConfig>(command: string, config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new StarveError('BAD_ARGUMENT', describeArgumentError(error as Error, Object.keys(config.options ?? {})), {
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

/** What --stack, --app and --app-dir choose, as run, check and sweep take them. */
export interface TargetFlags {
  stack?: 'model' | 'real';
  app?: string;
  appDir?: string;
}

/** --stack is `model` or `real`; --app-dir only with --app (the directory the app is imported from). */
export function parseTargetFlags(values: { stack?: string | undefined; app?: string | undefined; 'app-dir'?: string | undefined }): TargetFlags {
  const { stack, app } = values;
  const appDir = values['app-dir'];
  if (stack !== undefined && stack !== 'model' && stack !== 'real') throw new StarveError('BAD_ARGUMENT', `Expected --stack to be \`model\` or \`real\`, got \`${stack}\`.`);
  if (appDir !== undefined && app === undefined) {
    throw new StarveError('BAD_ARGUMENT', '--app-dir goes with --app (the directory your app is imported from).', { hint: 'Give --app too: a Node server file, or module:attribute with --stack real.' });
  }
  return { ...(stack === undefined ? {} : { stack }), ...(app === undefined ? {} : { app }), ...(appDir === undefined ? {} : { appDir }) };
}
