// The load as production sends it: an open load's requests arrive at their rate whatever the server
// does, where a closed-loop client waits for its response. Against a worker whose loop is blocked, the
// open load keeps arriving and every request is still accounted for.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-schema.js';
import { runCli } from '../helpers/run-cli.js';

const SCENARIO = fileURLToPath(new URL('../fixtures/scenarios/open-stalled.json', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'starve-lab-open-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function requestsOf(args: string[]): Promise<Report['strategies'][number]['requests']> {
  const result = await runCli(['run', SCENARIO, '--time-scale', '0.2', '--out', out, '--json', ...args]);
  expect(result.code, result.stderr).toBe(0);
  const report = JSON.parse(result.stdout) as Report;
  const requests = report.strategies[0]?.requests;
  if (requests === undefined) throw new Error('no strategy in the report');
  return requests;
}

describe('an open load', () => {
  it('keeps arriving at a blocked worker, where one closed-loop client waits on its first request; nothing vanishes', async () => {
    const open = await requestsOf(['--arrivals', '4', '--clients', '64']);
    // 4/s for 15 s: 60 arrivals on average (a Poisson count: 45-75 nearly always).
    expect(open.sent).toBeGreaterThan(35);
    expect(open.completed).toBe(0);
    expect(open.vanished).toBe(0);
    expect(open.completed + open.failedStatus + open.reset + open.refused + open.timedOut + open.cutAtEnd).toBe(open.sent);
    const closed = await requestsOf([]);
    expect(closed.sent).toBe(1);
  }, 120_000);
});
