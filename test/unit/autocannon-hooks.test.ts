// The load process hooks three internal methods of autocannon's per-connection client (think time,
// and settling every request exactly once; see lab/load/load-main.ts). An autocannon upgrade that renames or
// drops one fails here, before a run would.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

describe('the autocannon internals the load process hooks', () => {
  it('still exist on its HTTP client', () => {
    const Client = require('autocannon/lib/httpClient.js') as { prototype: Record<string, unknown> };
    for (const method of ['_doRequest', '_connect', '_destroyConnection', 'getRequestBuffer', 'destroy']) {
      expect(typeof Client.prototype[method], method).toBe('function');
    }
  });

  it('is the major version the hooks were written against', () => {
    const { version } = require('autocannon/package.json') as { version: string };
    expect(['8', '9']).toContain(version.split('.')[0]);
  });
});
