// `merge` interrupted through the CLI, as a user or a runner does it: Ctrl-C and SIGTERM while it copies
// leave neither --out nor its staging directory and exit 130 / 143; SIGKILL leaves only the staging
// directory, which the next merge removes before it writes a whole --out. (The library's abort is in
// test/unit/sweep.test.ts.) The shards are made by hand, each cell holding many small files, so the copy
// lasts long enough to be interrupted; they hold no runs, so a finished merge reports its cells missing.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listBuiltinScenarioFiles, loadScenario } from '../../src/io/load-scenario.js';
import { repeatPolicy } from '../../src/sweep/adaptive.js';
import { parseAxes } from '../../src/sweep/axes.js';
import { encodeSweepPlan, sweepIdOf, type SweepPlan } from '../../src/sweep/plan.js';
import { CLI, runCli, waitUntil } from '../helpers/run-cli.js';

const out = mkdtempSync(join(tmpdir(), 'starve-lab-merge-int-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Two shards of one 4-cell sweep, every cell holding `files` small files. */
async function makeShards(name: string, files: number): Promise<[string, string]> {
  const file = listBuiltinScenarioFiles().find((f) => basename(f) === 'cpu-burst.json') ?? '';
  const { scenario } = await loadScenario(file);
  const identity = { scenario, axes: parseAxes(['clients=1..2', 'cpu=100ms,1.5s']), strategies: ['tick-count', 'wall-clock'], timeScale: 0.1, stack: 'model' as const, app: null, appDir: null, repeat: repeatPolicy(1) };
  const base: SweepPlan = { schemaVersion: 1, sweepId: sweepIdOf(identity), ...identity, scenarioFile: file, module: null, cellCount: 4, shard: null, mergedFrom: [], parallel: 1, createdAt: '2026-12-03T00:00:00.000Z' };
  const dirs: [string, string] = [join(out, name, 'a'), join(out, name, 'b')];
  dirs.forEach((dir, index) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'sweep.json'), encodeSweepPlan({ ...base, shard: { index: index + 1, count: 2 } }));
    for (const cell of index === 0 ? ['c0000', 'c0002'] : ['c0001', 'c0003']) {
      const trace = join(dir, 'cells', cell, 'runs');
      mkdirSync(trace, { recursive: true });
      for (let i = 0; i < files; i++) writeFileSync(join(trace, `part-${i}.jsonl`), '{"type":"tick"}\n');
    }
  });
  return dirs;
}

const staging = (target: string): string[] => readdirSync(dirname(target)).filter((name) => name.startsWith(`${basename(target)}.merging-`));

describe('merge, interrupted through the CLI', () => {
  it.each([
    ['Ctrl-C', 'SIGINT', 130],
    ['SIGTERM (a runner cancelling)', 'SIGTERM', 143],
  ] as const)('on %s while it copies: exits 128 + the signal, leaves neither --out nor its staging directory', async (_what, signal, code) => {
    const [a, b] = await makeShards(`stop-${signal}`, 4000);
    const target = join(out, `stop-${signal}`, 'merged');
    const child = spawn(process.execPath, [CLI, 'merge', a, b, '--out', target], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
    expect(await waitUntil(() => staging(target).length > 0, 20_000), 'the merge started copying').toBe(true);
    child.kill(signal);
    expect(await exited, stderr).toBe(code);
    expect(stderr).toContain('was not written');
    expect(existsSync(target)).toBe(false);
    expect(staging(target)).toEqual([]);
  }, 60_000);

  it('after SIGKILL mid-copy, the next merge removes the abandoned staging directory and writes a whole --out', async () => {
    const [a, b] = await makeShards('killed', 4000);
    const target = join(out, 'killed', 'merged');
    const child = spawn(process.execPath, [CLI, 'merge', a, b, '--out', target], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    expect(await waitUntil(() => staging(target).length > 0, 20_000)).toBe(true);
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(target)).toBe(false);
    expect(staging(target)).toHaveLength(1);
    const again = await runCli(['merge', a, b, '--out', target]);
    // The hand-made cells hold no runs, so the merged envelope says they are missing (exit 3): written whole all the same.
    expect(again.code, again.stderr).toBe(3);
    expect(again.stderr).toContain('the merged sweep lacks 4 of 4 cells');
    expect(staging(target)).toEqual([]);
    expect(readdirSync(join(target, 'cells')).sort()).toEqual(['c0000', 'c0001', 'c0002', 'c0003']);
    expect(existsSync(join(target, 'envelope.json'))).toBe(true);
  }, 60_000);
});
