// A 2×2 sweep at compressed time through the real CLI: once whole, once in two shards merged. The
// cells are chosen away from any boundary (tick-count at 50 ms handlers survives, at 2 s it is killed;
// the thread heartbeat never starves), so both sweeps must give the same envelope.

import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../src/sweep/envelope.js';
import type { Report } from '../../src/report/build-report.js';
import { CLI, descendants, isAlive, runCli, waitUntil, warmNpx, type CliResult } from '../helpers/run-cli.js';

const SWEEP = ['sweep', 'cpu-burst', '--vary', 'clients=1,2', '--vary', 'cpu=50ms,2s', '--strategies', 'tick-count,thread', '--duration', '45', '--time-scale', '0.1', '--max-repeat', '1', '--parallel', '1', '--quiet'];

let out: string;
const results = new Map<string, CliResult>();
const readEnvelope = (dir: string): Envelope => JSON.parse(readFileSync(join(out, dir, 'envelope.json'), 'utf8')) as Envelope;
// Judged runs: a run the host contended is not judged and gets one more (sweep/adaptive.ts), so a busy
// CI host may add runs; the verdicts and the judged count are what a sweep of this grid must give.
const sides = (envelope: Envelope): string[] => envelope.cells.flatMap((cell) => cell.strategies.map((s) => `${cell.id} ${cell.label} ${s.strategy} ${s.measured} ${s.judged}`));

beforeAll(async () => {
  // npx's first use of the package, whole, before a test signals it (run-cli.ts, warmNpx).
  warmNpx();
  out = mkdtempSync(join(tmpdir(), 'starve-lab-sweep-'));
  results.set('whole', await runCli([...SWEEP, '--out', join(out, 'whole')]));
  results.set('shard-1', await runCli([...SWEEP, '--shard', '1/2', '--out', join(out, 'shard-1')]));
  results.set('shard-2', await runCli([...SWEEP, '--shard', '2/2', '--out', join(out, 'shard-2')]));
  results.set('merged', await runCli(['merge', join(out, 'shard-1'), join(out, 'shard-2'), '--out', join(out, 'merged')]));
}, 240_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('starve-lab sweep, sharded and merged (compressed time)', () => {
  it('runs every cell of each shard and exits 0', () => {
    for (const [name, result] of results) expect(result.code, `${name}: ${result.stderr}`).toBe(0);
    const [one, two] = [readEnvelope('shard-1'), readEnvelope('shard-2')];
    expect(one.cells.map((c) => c.id)).toEqual(['c0000', 'c0002']);
    expect(two.cells.map((c) => c.id)).toEqual(['c0001', 'c0003']);
    expect(one.missingCells).toEqual([]);
    expect(one.sweepId).toBe(two.sweepId);
  });

  it('merges two shards into the envelope of one unsharded sweep of the same seed', () => {
    const [whole, merged] = [readEnvelope('whole'), readEnvelope('merged')];
    expect(merged.sweepId).toBe(whole.sweepId);
    expect(merged.cells).toHaveLength(4);
    expect(merged.missingCells).toEqual([]);
    expect(merged.mergedFrom).toEqual([{ index: 1, count: 2 }, { index: 2, count: 2 }]);
    expect(sides(merged)).toEqual(sides(whole));
    // Not a foregone conclusion: the grid straddles tick-count's boundary, and the thread never dies.
    expect(sides(whole)).toEqual([
      'c0000 clients=1 cpu=50ms tick-count survives 1',
      'c0000 clients=1 cpu=50ms thread survives 1',
      'c0001 clients=1 cpu=2s tick-count killed 1',
      'c0001 clients=1 cpu=2s thread survives 1',
      'c0002 clients=2 cpu=50ms tick-count survives 1',
      'c0002 clients=2 cpu=50ms thread survives 1',
      'c0003 clients=2 cpu=2s tick-count killed 1',
      'c0003 clients=2 cpu=2s thread survives 1',
    ]);
    for (const file of ['envelope.csv', 'envelope.md', 'envelope.html']) expect(existsSync(join(out, 'merged', file))).toBe(true);
    expect(results.get('merged')?.stdout).toContain('Survival envelope: cpu-burst');
  });

  it('sweeps a kubelet scenario in two shards, merges them, and reports the merged envelope again', async () => {
    // Two clients of 1-2 s handlers: a probe answered on the loop waits for the rest of the tick it
    // arrived in (at most two handlers, 4 s) and for at most one handler ahead of it in the next batch
    // (2 s), so it cannot wait 8 s; at 1 s it fails unless it lands in a tick's last second with nothing
    // ahead. (At the scenario's 4 clients the wait reaches 8 s: measured 1 kill in 5 runs there.)
    const KUBE = ['sweep', 'liveness-probe', '--vary', 'probe-timeout=1s,8s', '--clients', '2', '--strategies', 'health-on-loop', '--time-scale', '0.1', '--duration', '60', '--max-repeat', '1', '--parallel', '1', '--quiet'];
    const shard1 = await runCli([...KUBE, '--shard', '1/2', '--out', join(out, 'kube-1')]);
    const shard2 = await runCli([...KUBE, '--shard', '2/2', '--out', join(out, 'kube-2')]);
    expect(shard1.code, shard1.stderr).toBe(0);
    expect(shard2.code, shard2.stderr).toBe(0);
    const merged = await runCli(['merge', join(out, 'kube-1'), join(out, 'kube-2'), '--out', join(out, 'kube-merged'), '--json']);
    expect(merged.code, merged.stderr).toBe(0);
    const envelope = readEnvelope('kube-merged');
    expect(envelope.missingCells).toEqual([]);
    expect(sides(envelope)).toEqual(['c0000 probe-timeout=1s health-on-loop killed 1', 'c0001 probe-timeout=8s health-on-loop survives 1']);
    const again = await runCli(['report', join(out, 'kube-merged'), '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(sides(JSON.parse(again.stdout) as Envelope)).toEqual(sides(envelope));
    // A shard resumed has nothing left to run and gives its envelope again; the merged directory is not resumable, said once.
    const resumed = await runCli([...KUBE, '--shard', '1/2', '--out', join(out, 'kube-1'), '--resume', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(sides(JSON.parse(resumed.stdout) as Envelope)).toEqual(sides(envelope).slice(0, 1));
    const mergedResume = await runCli([...KUBE, '--out', join(out, 'kube-merged'), '--resume']);
    expect(mergedResume.code).toBe(2);
    expect(mergedResume.stderr).toContain('was merged from shards 1/2, 2/2; a merged sweep is not run, so it cannot be resumed.');
  }, 180_000);

  it('sweeps an open load\'s arrival rate: a trickle spares tick-count, a flood kills it', async () => {
    const result = await runCli(['sweep', 'cpu-burst', '--vary', 'arrivals=0.05,2', '--clients', '16', '--strategies', 'tick-count', '--duration', '45', '--time-scale', '0.1', '--max-repeat', '1', '--parallel', '1', '--quiet', '--out', join(out, 'arrivals'), '--json']);
    expect(result.code, result.stderr).toBe(0);
    const envelope = JSON.parse(result.stdout) as Envelope;
    expect(sides(envelope)).toEqual(['c0000 arrivals=0.05/s tick-count survives 1', 'c0001 arrivals=2/s tick-count killed 1']);
    const run = JSON.parse(readFileSync(join(out, 'arrivals', envelope.cells[1]?.strategies[0]?.runDirs[0] ?? '', 'report.json'), 'utf8')) as Report;
    expect(run.params.load).toMatchObject({ clients: 16, thinkMs: 0, arrivalsPerS: 2 });
    expect(readFileSync(join(out, 'arrivals', 'envelope.csv'), 'utf8')).toMatch(/^cell,arrivals_per_s,strategy/);
  }, 120_000);

  it('uses the same seed per run in every shard: the run of a cell is the same request plan', () => {
    const params = (dir: string): unknown => (JSON.parse(readFileSync(join(out, dir, 'cells', 'c0003', 'tick-count', 'run-001', 'params.json'), 'utf8')) as { scenario: unknown }).scenario;
    expect(params('shard-2')).toEqual(params('whole'));
  });

  it('rebuilds the envelope from the saved runs alone', async () => {
    const before = readEnvelope('merged');
    const rebuilt = await runCli(['report', join(out, 'merged'), '--json']);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(sides(JSON.parse(rebuilt.stdout) as Envelope)).toEqual(sides(before));
  });

  it('refuses a shard given twice, and reports a missing one', async () => {
    const twice = await runCli(['merge', join(out, 'shard-1'), join(out, 'shard-1'), '--out', join(out, 'twice')]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/hold the same cells/);
    expect(existsSync(join(out, 'twice'))).toBe(false);
    const half = await runCli(['merge', join(out, 'shard-1'), '--out', join(out, 'half')]);
    expect(half.code).toBe(3);
    expect(half.stderr).toMatch(/lacks 2 of 4 cells \(c0001, c0003\)/);
  });

  it('goes on with a sweep that was cut short, running only what is missing (--resume)', async () => {
    const dir = join(out, 'resumed');
    cpSync(join(out, 'whole'), dir, { recursive: true });
    rmSync(join(dir, 'cells', 'c0003', 'tick-count', 'run-001'), { recursive: true });
    const kept = readFileSync(join(dir, 'cells', 'c0000', 'tick-count', 'run-001', 'params.json'), 'utf8');
    const resumed = await runCli([...SWEEP, '--out', dir, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(sides(readEnvelope('resumed'))).toEqual(sides(readEnvelope('whole')));
    expect(readFileSync(join(dir, 'cells', 'c0000', 'tick-count', 'run-001', 'params.json'), 'utf8')).toBe(kept);
    const other = await runCli([...SWEEP, '--time-scale', '0.2', '--out', dir, '--resume']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/holds another sweep/);
  });

  it.each([
    ['SIGTERM to the CLI', 'SIGTERM', false, false, 143],
    ['SIGKILL to its whole process group (a runner ending the job)', 'SIGKILL', true, false, null],
    ["SIGTERM to the npx wrapper's group", 'SIGTERM', true, true, 'any'],
  ] as const)('after %s: no process is left, and --resume finishes the sweep', async (_what, signal, group, npx, code) => {
    const dir = join(out, `killed-${signal}-${npx ? 'npx' : 'cli'}`);
    const SMALL = ['sweep', 'cpu-burst', '--vary', 'clients=1,2', '--strategies', 'tick-count', '--duration', '60', '--time-scale', '0.1', '--max-repeat', '1', '--parallel', '1', '--quiet', '--out', dir];
    const options = { env: { ...process.env, NO_COLOR: '1' }, stdio: 'ignore' as const, detached: true };
    const child = npx ? spawn('npx', ['--no-install', 'starve-lab', ...SMALL], { ...options, cwd: dirname(dirname(CLI)) }) : spawn(process.execPath, [CLI, ...SMALL], options);
    const exited = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(await waitUntil(() => descendants(child.pid ?? -1).length >= 3, 20_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const children = descendants(child.pid ?? -1);
    process.kill(group ? -(child.pid ?? 0) : (child.pid ?? 0), signal);
    // Through npx the exit status is npm's; the run below must still be whole.
    if (code === 'any') expect(await exited).not.toBe(0);
    else expect(await exited).toBe(code);
    // Even SIGKILLed, the lab's processes notice their parent is gone and leave.
    expect(await waitUntil(() => children.filter(isAlive).length === 0, 10_000)).toBe(true);
    const resumed = await runCli([...SMALL, '--resume', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const envelope = JSON.parse(resumed.stdout) as Envelope;
    expect(envelope.interrupted).toBe(false);
    expect(envelope.missingCells).toEqual([]);
    expect(envelope.cells.map((cell) => cell.strategies[0]?.judged)).toEqual([1, 1]);
  }, 120_000);

  it('on Ctrl-C stops every run, leaves no process, and writes the envelope marked interrupted', async () => {
    const dir = join(out, 'cut-short');
    // Runs of 30 s (300 s of scenario time at x0.1), two at a time: the signal lands while both are going.
    const child = spawn(process.execPath, [CLI, ...SWEEP.filter((arg) => arg !== '--quiet'), '--duration', '300', '--parallel', '2', '--out', dir], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.resume();
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Each run: a master, a worker (through sh), a load; two runs at once.
    expect(await waitUntil(() => descendants(child.pid ?? -1).length >= 6, 20_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const children = descendants(child.pid ?? -1);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(children.filter(isAlive)).toEqual([]);
    const envelope = JSON.parse(readFileSync(join(dir, 'envelope.json'), 'utf8')) as Envelope;
    expect(envelope.interrupted).toBe(true);
    expect(envelope.missingCells.length).toBeGreaterThan(0);
    expect(stdout).toMatch(/cut short/);
    // Every run that started says it did not finish; nothing is half-written.
    const runDirs = envelope.cells.flatMap((cell) => cell.strategies.flatMap((s) => s.runDirs));
    expect(runDirs.length).toBeGreaterThan(0);
    for (const run of runDirs) {
      const report = JSON.parse(readFileSync(join(dir, run, 'report.json'), 'utf8')) as Report;
      expect(report.interrupted).toBe(true);
    }
    const files = readdirSync(dir, { recursive: true }).map(String);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60_000);

  it('refuses bad input before anything starts', async () => {
    const bad = await runCli(['sweep', 'cpu-burst', '--vary', 'cpu=3s..1s', '--out', join(out, 'bad')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/range must go up/);
    expect(bad.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(existsSync(join(out, 'bad'))).toBe(false);
    // A knob of the other supervisor: gunicorn's timeout under the kubelet, a probe's under gunicorn.
    const timeout = await runCli(['sweep', 'liveness-probe', '--vary', 'timeout=10s,30s', '--out', join(out, 'bad')]);
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toMatch(/--vary timeout: liveness-probe runs under kubelet/);
    expect(timeout.stderr).toMatch(/probe-timeout, probe-period, failure-threshold/);
    const probe = await runCli(['sweep', 'cpu-burst', '--vary', 'probe-timeout=1s,5s', '--out', join(out, 'bad')]);
    expect(probe.code).toBe(2);
    expect(probe.stderr).toMatch(/only a "master": "kubelet" scenario has/);
    expect(existsSync(join(out, 'bad'))).toBe(false);
    const endless = await runCli(['sweep', 'cpu-burst', '--vary', 'clients=1..40', '--vary', 'cpu=100ms..4s', '--steps', '40', '--repeat', '1000', '--out', join(out, 'bad')]);
    expect(endless.code).toBe(2);
    expect(endless.stderr).toContain('The sweep could come to 3200000 runs (1600 cells × 2 strategies × up to 1000 runs a cell); at most 20000.');
    expect(existsSync(join(out, 'bad'))).toBe(false);
    const emptyShard = await runCli(['sweep', 'cpu-burst', '--vary', 'clients=1,2', '--shard', '3/3', '--out', join(out, 'bad')]);
    expect(emptyShard.code).toBe(2);
    expect(emptyShard.stderr).toContain('--shard 3/3: the sweep has 2 cells, so some of 3 shards would hold none.');
    expect(existsSync(join(out, 'bad'))).toBe(false);
    const taken = await runCli([...SWEEP, '--out', join(out, 'whole')]);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toMatch(/already exists and is not empty/);
  });
});
