// The stack at kill time, captured from a really blocked worker through the V8 inspector; and a worker
// blocked outside JavaScript, whose capture fails while the kill goes ahead.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeFindings } from '../../src/report/wording.js';
import { runCli } from '../helpers/run-cli.js';
import { latestRunDir, readReport } from '../helpers/lab-processes.js';

const out = mkdtempSync(join(tmpdir(), 'starve-lab-stacks-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('--stacks', () => {
  it('names the CPU-bound handler as the blocking frame of a worker killed mid-block', async () => {
    const result = await runCli(['run', 'long-block', '--stacks', '--strategies', 'tick-count,thread', '--time-scale', '0.1', '--out', out, '--quiet']);
    expect(result.code, result.stderr).toBe(0);
    const runDir = latestRunDir(out, 'long-block');
    const report = readReport(runDir);
    const tickCount = report.strategies.find((s) => s.name === 'tick-count');
    expect(tickCount?.kills).toBeGreaterThanOrEqual(1);
    expect(tickCount?.stacksUnavailable).toEqual([]);
    const stacks = tickCount?.stacksAtKill ?? [];
    expect(stacks.reduce((sum, stack) => sum + stack.count, 0)).toBe(tickCount?.kills);
    for (const stack of stacks) {
      expect(stack.blocking).toMatchObject({ functionName: 'burnCpu' });
      expect(stack.blocking?.url).toMatch(/\/lab\/workers\/burn-cpu\.js$/);
      expect(stack.blocking?.line).toBeGreaterThan(0);
      // Called from the cpu route's handler in the worker, run from uvloop's ready batch.
      expect(stack.frames.some((f) => /\/lab\/workers\/worker-main\.js$/.test(f.url))).toBe(true);
      expect(stack.frames.map((f) => f.functionName)).toContain('runIteration');
    }
    expect(describeFindings(tickCount?.findings ?? []).join('\n')).toMatch(/the loop was running burnCpu \(lab\/workers\/burn-cpu\.js:\d+\)/);
    expect(readFileSync(join(runDir, 'report.md'), 'utf8')).toContain('burnCpu (lab/workers/burn-cpu.js:');
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toContain('JavaScript stack at the kill');
  }, 60_000);

  it('still kills a worker blocked outside JavaScript, and says why its stack is unavailable', async () => {
    const file = join(out, 'native-block.mjs');
    writeFileSync(
      file,
      `import { execFileSync } from 'node:child_process';
      export default {
        name: 'native-block', timeoutMs: 30000, strategies: ['tick-count', 'wall-clock'], durationMs: 60000,
        load: { clients: 1, routes: [{ kind: 'script', handler: 'sleepInNative', ms: 45000 }] },
        // spawnSync waits in its own native loop: no JavaScript runs, so no interrupt is served.
        handlers: { sleepInNative({ ms }) { execFileSync('sleep', [String(ms / 1000)]); } },
      };\n`,
    );
    const result = await runCli(['run', file, '--stacks', '--time-scale', '0.1', '--out', out, '--quiet']);
    expect(result.code, result.stderr).toBe(0);
    const report = readReport(latestRunDir(out, 'native-block'));
    for (const strategy of report.strategies) {
      expect(strategy.kills).toBeGreaterThanOrEqual(1);
      expect(strategy.stacksAtKill).toEqual([]);
      expect(strategy.stacksUnavailable[0]?.reason).toMatch(/did not pause within \d+ ms/);
      expect(describeFindings(strategy.findings).join('\n')).toContain('is unavailable');
    }
  }, 60_000);
});
