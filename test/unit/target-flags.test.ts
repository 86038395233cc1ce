// --stack, --app and --app-dir as run, check and sweep read them (cli/parse-options.ts parseTargetFlags).

import { describe, expect, it } from 'vitest';
import { parseTargetFlags } from '../../src/cli/parse-options.js';
import { StarveError } from '../../src/errors.js';

function refusal(values: Parameters<typeof parseTargetFlags>[0]): string {
  try {
    parseTargetFlags(values);
  } catch (error) {
    expect(error).toBeInstanceOf(StarveError);
    expect((error as StarveError).code).toBe('BAD_ARGUMENT');
    return (error as StarveError).message;
  }
  throw new Error('accepted');
}

describe('parseTargetFlags', () => {
  it('passes on what was given, and only that', () => {
    expect(parseTargetFlags({})).toEqual({});
    expect(parseTargetFlags({ stack: 'real', app: 'main:app', 'app-dir': 'srv' })).toEqual({ stack: 'real', app: 'main:app', appDir: 'srv' });
    expect(parseTargetFlags({ app: './server.mjs' })).toEqual({ app: './server.mjs' });
  });

  it('refuses a stack it does not know and an --app-dir without --app, saying which', () => {
    expect(refusal({ stack: 'python' })).toContain('`python`');
    expect(refusal({ 'app-dir': 'srv' })).toContain('--app-dir goes with --app');
  });
});
