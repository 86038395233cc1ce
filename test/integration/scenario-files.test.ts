// A user's own scenario files: a JSON file with mistakes, and a script whose handler runs in the worker.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventsOfType } from '../../src/trace/events.js';
import { decodeTrace } from '../../src/trace/decode-trace.js';
import { runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'starve-lab-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('user scenario files', () => {
  it('answers a file with three mistakes with three messages and exit 2, starting nothing', async () => {
    const file = join(dir, 'mine.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'mine',
        timeoutMs: -30,
        strategies: ['tick-count', 'wall-clok'],
        durationMs: 60000,
        load: { clients: 0, routes: [{ kind: 'cpu', ms: { min: 1000, max: 2000 } }] },
      }),
    );
    const out = join(dir, 'runs');
    const result = await runCli(['run', file, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file} has 3 problems:`);
    expect(result.stderr).toContain('$.timeoutMs: expected a timeout in ms from 0 to 3600000 (1 hour; 0 disables the check), found -30');
    expect(result.stderr).toContain('$.strategies[1]: expected one of tick-count, wall-clock');
    expect(result.stderr).toContain('$.load.clients: expected at least 1 client when routes are given, found 0');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(() => readdirSync(out)).toThrow();
  });

  it('names a calibration grid given to run, and says which command runs it', async () => {
    const out = join(dir, 'grid-runs');
    const result = await runCli(['run', 'scenarios/calibration/at-risk.json', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('at-risk.json is a calibration grid (it lists "cases"), not a scenario.');
    expect(result.stderr).toContain('starve-lab calibrate scenarios/calibration/at-risk.json');
    expect(() => readdirSync(out)).toThrow();
  });

  it('exits after refusing a script scenario that left a timer running, as it does for a file', async () => {
    const file = join(dir, 'lingering.mjs');
    writeFileSync(file, `setInterval(() => {}, 1000);\nexport default { name: 'lingering', strategies: ['tick-count'], durationMs: -1, load: { clients: 0 } };\n`);
    // A CLI kept alive by the module's timer never exits: the test's own timeout would end it.
    const result = await runCli(['run', file, '--out', join(dir, 'lingering-runs')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('durationMs');
  }, 30_000);

  it('runs a script scenario whose own handler blocks the loop, with command-line overrides', async () => {
    const file = join(dir, 'blocker.mjs');
    writeFileSync(
      file,
      `export default {
        name: 'blocker', timeoutMs: 30000, strategies: ['tick-count', 'wall-clock'], durationMs: 60000,
        load: { clients: 1, routes: [{ kind: 'script', handler: 'spin', ms: 400 }] },
        expect: { 'tick-count': 'killed' },
        handlers: { spin({ ms }) { const until = Date.now() + ms; while (Date.now() < until); return 'spun'; } },
      };\n`,
    );
    const out = join(dir, 'script-runs');
    const result = await runCli(['run', file, '--out', out, '--time-scale', '0.1', '--timeout', '20', '--duration', '50', '--quiet']);
    expect(result.code, result.stderr).toBe(0);
    const runDir = join(out, 'blocker', readdirSync(join(out, 'blocker'))[0] ?? '');
    const params = JSON.parse(readFileSync(join(runDir, 'params.json'), 'utf8')) as { scenario: { timeoutMs: number; durationMs: number } };
    expect(params.scenario).toMatchObject({ timeoutMs: 20_000, durationMs: 50_000 });
    const events = decodeTrace(readFileSync(join(runDir, 'tick-count', 'trace.jsonl'), 'utf8')).events;
    const ended = eventsOfType(events, 'request-end');
    expect(eventsOfType(events, 'request-start').every((e) => e.route === 'script')).toBe(true);
    expect(ended.length).toBeGreaterThan(0);
    expect(ended.every((e) => e.status === 200)).toBe(true);
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as { strategies: Array<{ name: string; outcome: string }> };
    expect(report.strategies.find((s) => s.name === 'tick-count')?.outcome).toBe('killed');
  }, 60_000);
});
