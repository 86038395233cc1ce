import { existsSync, mkdtempSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStarveError } from '../../src/errors.js';
import { mergeSweeps } from '../../src/pipeline/merge-sweeps.js';
import { renderEnvelopeCsv } from '../../src/report/envelope-csv.js';
import { renderEnvelopeHtml } from '../../src/report/envelope-html.js';
import { boundaryEdges } from '../../src/report/envelope-layout.js';
import { renderEnvelopeMarkdown } from '../../src/report/envelope-markdown.js';
import { PROBE_SETTINGS_DEFAULTS } from '../../src/probes/types.js';
import type { Scenario } from '../../src/scenario/types.js';
import { repeatPolicy, runsWanted } from '../../src/sweep/adaptive.js';
import { applyCell, baseValues, cpuMeanMs } from '../../src/sweep/apply-cell.js';
import { countValues, logSpaced, parseAxes, parseAxis } from '../../src/sweep/axes.js';
import { expandCells, neighbours } from '../../src/sweep/cells.js';
import { buildEnvelope, sweepTiming, type CellRun } from '../../src/sweep/envelope.js';
import { decodeSweepPlan, encodeSweepPlan, sweepIdOf, type SweepPlan } from '../../src/sweep/plan.js';
import { predictOutcome } from '../../src/sweep/predict.js';
import { inShard, parseShard } from '../../src/sweep/shards.js';

const cpuBurst = (changes: Partial<Scenario> = {}, load: Partial<Scenario['load']> = {}): Scenario => ({
  name: 'cpu-burst',
  description: 'test',
  supervisor: { kind: 'gunicorn', master: 'gunicorn-20', timeoutMs: 30_000 },
  workers: 1,
  loop: 'uvloop',
  http: 'httptools',
  pythonStack: 'system',
  strategies: ['tick-count', 'wall-clock'],
  durationMs: 75_000,
  seed: 360,
  load: { clients: 1, thinkMs: 1000, routes: [{ kind: 'cpu', weight: 1, ms: { min: 1000, max: 2000 } }], ...load },
  expect: {},
  clockSteps: [],
  realStack: '',
  ...changes,
});

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isStarveError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('sweep axes', () => {
  it('takes every whole number of a short count range, and log-spaces durations', () => {
    expect(parseAxis('clients=1..6').values).toEqual([1, 2, 3, 4, 5, 6]);
    const cpu = parseAxis('cpu=250ms..3s', 6).values;
    expect(cpu).toHaveLength(6);
    expect(cpu[0]).toBe(250);
    expect(cpu[5]).toBe(3000);
    // Log-spaced: each step multiplies by about the same factor (3000/250)^(1/5) = 1.64.
    for (let i = 1; i < cpu.length; i++) expect((cpu[i] as number) / (cpu[i - 1] as number)).toBeGreaterThan(1.5);
    expect(logSpaced(0, 2000, 4)[0]).toBe(0);
    expect(countValues(1, 64, 5)).toEqual([1, 3, 8, 23, 64]);
  });

  it('reads lists and units, and bare numbers as seconds', () => {
    expect(parseAxis('think=0,500ms,1,2s').values).toEqual([0, 500, 1000, 2000]);
    expect(parseAxis('timeout=10..30', 3).values).toEqual([10_000, 17_000, 30_000]);
    expect(parseAxis('workers=4,1,2').values).toEqual([1, 2, 4]);
  });

  it('varies an open load\'s arrival rate: log-spaced rates of two figures, written as N/s', () => {
    expect(parseAxis('arrivals=0.2..2', 4).values).toEqual([0.2, 0.43, 0.93, 2]);
    expect(parseAxis('arrivals=0.5/s,2,1').values).toEqual([0.5, 1, 2]);
    expect(parseAxis('arrivals=0.5,2').unit).toBe('rate');
    expect(() => parseAxis('arrivals=fast')).toThrow(/not a rate like 0.5 or 2\/s/);
    expect(() => parseAxis('arrivals=0..2')).toThrow(/arrivals must be from/);
  });

  it('refuses what it cannot sweep, saying what is wrong', () => {
    expect(refusal(() => parseAxis('cores=1..4'))).toMatch(/no such parameter/);
    expect(refusal(() => parseAxis('clients=1.5..4'))).toMatch(/not a whole number/);
    expect(refusal(() => parseAxis('cpu=3s..1s'))).toMatch(/must go up/);
    expect(refusal(() => parseAxis('cpu=fast'))).toMatch(/not a duration/);
    expect(refusal(() => parseAxis('clients=0..4'))).toMatch(/clients must be from 1/);
    expect(refusal(() => parseAxes(['clients=1..2', 'clients=3..4']))).toMatch(/given twice/);
    expect(refusal(() => parseAxes([]))).toMatch(/at least one --vary/);
    expect(refusal(() => parseAxes(['clients=1..40', 'cpu=1ms..1000ms', 'think=0..1000ms'], 40))).toMatch(/cells; at most/);
  });
});

describe('the grid', () => {
  const axes = parseAxes(['clients=1..2', 'cpu=1s,2s,3s']);

  it('numbers every combination, the last axis fastest', () => {
    const cells = expandCells(axes);
    expect(cells.map((c) => c.id)).toEqual(['c0000', 'c0001', 'c0002', 'c0003', 'c0004', 'c0005']);
    expect(cells[1]?.values).toEqual({ clients: 1, cpu: 2000 });
    expect(cells[3]?.values).toEqual({ clients: 2, cpu: 1000 });
    expect(neighbours(axes, cells, cells[4] as never).map((c) => c.id).sort()).toEqual(['c0001', 'c0003', 'c0005']);
  });

  it('puts every cell in exactly one shard, for any number of shards', () => {
    for (const count of [1, 2, 3, 4, 7, 16]) {
      const seen = new Map<number, number>();
      for (let index = 1; index <= count; index++) {
        const shard = parseShard(`${index}/${count}`);
        for (let cell = 0; cell < 53; cell++) if (inShard(cell, shard)) seen.set(cell, (seen.get(cell) ?? 0) + 1);
      }
      expect([...seen.keys()].length).toBe(53);
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
    }
    expect(refusal(() => parseShard('0/2'))).toMatch(/i\/n/);
    expect(refusal(() => parseShard('3/2'))).toMatch(/i\/n/);
    expect(refusal(() => parseShard('two'))).toMatch(/i\/n/);
  });

  it("sets a cell's values on the scenario; cpu keeps each route's spread", () => {
    const base = cpuBurst();
    expect(cpuMeanMs(base.load.routes)).toBe(1500);
    expect(baseValues(base)).toMatchObject({ clients: 1, cpu: 1500, think: 1000, timeout: 30_000 });
    const cell = applyCell(base, { cpu: 3000, clients: 4, timeout: 10_000 });
    expect(cell.load.routes[0]?.ms).toEqual({ min: 2000, max: 4000 });
    expect(cell.load.clients).toBe(4);
    expect(cell.supervisor).toMatchObject({ kind: 'gunicorn', timeoutMs: 10_000 });
    expect(base.load.clients).toBe(1);
  });

  it('turns a cell into an open load at its arrival rate, dropping the think time, and predicts its loop share', () => {
    const base = cpuBurst();
    const cell = applyCell(base, { arrivals: 0.5, clients: 8 });
    expect(cell.load).toMatchObject({ clients: 8, thinkMs: 0, arrivalsPerS: 0.5 });
    expect(baseValues(cell)).toMatchObject({ arrivals: 0.5 });
    expect(base.load.arrivalsPerS).toBeUndefined();
    // 0.5/s of 1.5 s handlers keeps the loop 75% busy: tick-count's 150 ticks then take far longer than 30 s.
    expect(predictOutcome('tick-count', cell)?.outcome).toBe('killed');
    expect(predictOutcome('thread', applyCell(base, { arrivals: 0.05 }))?.outcome).toBe('survives');
  });

  it("sets the kubelet's probe knobs on a kubelet scenario and refuses them on a gunicorn one", () => {
    const base = cpuBurst({ supervisor: { kind: 'kubelet', probe: { ...PROBE_SETTINGS_DEFAULTS } } });
    expect(baseValues(base)).toMatchObject({ 'probe-timeout': 1000, 'probe-period': 10_000, 'failure-threshold': 3 });
    const cell = applyCell(base, { 'probe-timeout': 5000, 'probe-period': 20_000, 'failure-threshold': 6 });
    expect(cell.supervisor).toMatchObject({ kind: 'kubelet', probe: { timeoutMs: 5000, periodMs: 20_000, failureThreshold: 6, path: '/healthz' } });
    expect(base.supervisor).toMatchObject({ probe: { timeoutMs: 1000 } });
    expect(parseAxis('probe-timeout=1s..10s', 3)).toEqual({ param: 'probe-timeout', unit: 'ms', values: [1000, 3200, 10_000] });
    expect(parseAxis('failure-threshold=1,3,5').values).toEqual([1, 3, 5]);
    expect(refusal(() => parseAxis('probe-period=500ms'))).toMatch(/from 1s/);
    // A gunicorn scenario has no probe to change.
    expect(applyCell(cpuBurst(), { 'probe-timeout': 5000 }).supervisor).toEqual(cpuBurst().supervisor);
  });
});

describe("the rules' arithmetic", () => {
  it('predicts the seed: tick-count killed, wall-clock safe', () => {
    expect(predictOutcome('tick-count', cpuBurst())?.outcome).toBe('killed');
    expect(predictOutcome('wall-clock', cpuBurst())?.outcome).toBe('survives');
    expect(predictOutcome('every-tick', cpuBurst())?.outcome).toBe('survives');
  });

  it('puts one client back-to-back at risk for wall-clock (a 15 s window against 30 s) and kills tick-count', () => {
    const backToBack = cpuBurst({}, { thinkMs: 0 });
    const wall = predictOutcome('wall-clock', backToBack);
    expect(wall?.outcome).toBe('at-risk');
    expect(wall?.meanTickMs).toBeCloseTo(1500, 0);
    expect(wall?.windowMs).toBeCloseTo(15_000, -2);
    expect(predictOutcome('tick-count', backToBack)?.outcome).toBe('killed');
  });

  it('dies once ticks average more than timeout/150 for tick-count, whatever the timeout', () => {
    // 200-400 ms handlers back-to-back: ticks of 300 ms > 200 ms.
    const short = cpuBurst({}, { thinkMs: 0, routes: [{ kind: 'cpu', weight: 1, ms: { min: 200, max: 400 } }] });
    expect(predictOutcome('tick-count', short)?.outcome).toBe('killed');
    expect(predictOutcome('tick-count', { ...short, supervisor: { kind: 'gunicorn', master: 'gunicorn-20', timeoutMs: 120_000 } })?.outcome).toBe('killed');
    expect(predictOutcome('wall-clock', short)?.outcome).toBe('survives');
  });

  it('stops the heartbeat thread for the length of a call that keeps the GIL, and not for pure-Python work', () => {
    const block = (kind: 'cpu' | 'gil', ms: number): Scenario => cpuBurst({}, { thinkMs: 20_000, routes: [{ kind, weight: 1, ms }] });
    expect(predictOutcome('thread', block('cpu', 45_000))?.outcome).toBe('survives');
    expect(predictOutcome('thread', block('gil', 45_000))).toMatchObject({ outcome: 'killed', limit: 'single-stall' });
    // 15 s between the thread's notifies plus a 20 s hold: a beat can be 35 s late, past the 30 s timeout.
    expect(predictOutcome('thread', block('gil', 20_000))?.outcome).toBe('at-risk');
    expect(predictOutcome('thread', block('gil', 2_000))?.outcome).toBe('survives');
    expect(predictOutcome('wall-clock', block('gil', 45_000))?.outcome).toBe('killed');
  });

  it("kills gunicorn's ASGI worker only by a stall past the timeout: its task beats 1 s after the loop frees", () => {
    expect(predictOutcome('gunicorn-asgi', cpuBurst())?.outcome).toBe('survives');
    const block = (ms: number): Scenario => cpuBurst({}, { thinkMs: 20_000, routes: [{ kind: 'cpu', weight: 1, ms }] });
    expect(predictOutcome('gunicorn-asgi', block(45_000))).toMatchObject({ outcome: 'killed', limit: 'single-stall' });
    // 29.5 s: a beat due just before the stall is late by 1 s + 29.5 s, past the timeout by phase.
    expect(predictOutcome('gunicorn-asgi', block(29_500))?.outcome).toBe('at-risk');
    expect(predictOutcome('gunicorn-asgi', block(10_000))?.outcome).toBe('survives');
  });

  it("fails the off-loop health thread's probe while a GIL-holding call outlasts the probe's timeout", () => {
    const probe = { ...PROBE_SETTINGS_DEFAULTS, path: '/healthz', periodMs: 10_000, timeoutMs: 1000, failureThreshold: 3, loopStaleMs: 10_000 };
    const pod = (kind: 'cpu' | 'gil', ms: number): Scenario => cpuBurst({ supervisor: { kind: 'kubelet', probe } }, { thinkMs: 0, clients: 4, routes: [{ kind, weight: 1, ms }] });
    // 5 s on the loop: younger than loopStaleMs, so the thread answers 200 in time; held in the GIL it cannot answer within 1 s.
    expect(predictOutcome('health-off-loop', pod('cpu', 5000))?.outcome).toBe('survives');
    expect(predictOutcome('health-off-loop', pod('gil', 5000))).toMatchObject({ outcome: 'at-risk', limit: 'probe', gapMs: 5000 });
    // One hold through three probes (1 s + 2 periods) kills at any phase.
    expect(predictOutcome('health-off-loop', pod('gil', 25_000))).toMatchObject({ outcome: 'killed', limit: 'probe' });
  });

  it('kills every rule on the loop when one stall outlasts the timeout, but not the thread', () => {
    const block = cpuBurst({ supervisor: { kind: 'gunicorn', master: 'gunicorn-20', timeoutMs: 10_000 } }, { routes: [{ kind: 'cpu', weight: 1, ms: 15_000 }] });
    for (const rule of ['tick-count', 'wall-clock', 'every-tick']) expect(predictOutcome(rule, block)).toMatchObject({ outcome: 'killed', limit: 'single-stall' });
    expect(predictOutcome('thread', block)?.outcome).toBe('survives');
  });

  it('keeps an idle worker alive except under 0.11.4, and has no prediction for a strategy it does not know', () => {
    const idle = cpuBurst({}, { clients: 0 });
    expect(predictOutcome('tick-count', idle)).toMatchObject({ outcome: 'survives', loopBusy: 0, meanTickMs: 100 });
    expect(predictOutcome('wall-clock-full-timeout', idle)?.outcome).toBe('killed');
    expect(predictOutcome('no-such-rule', idle)).toBeNull();
  });

  it('under the kubelet: a stall past what the probe tolerates puts it at risk, one covering failureThreshold probes kills', () => {
    const probe = { ...PROBE_SETTINGS_DEFAULTS };
    const kubelet = (ms: Scenario['load']['routes'][number]['ms'], changes: Partial<typeof probe> = {}): Scenario =>
      cpuBurst({ supervisor: { kind: 'kubelet', probe: { ...probe, ...changes } } }, { clients: 4, thinkMs: 0, routes: [{ kind: 'cpu', weight: 1, ms }] });
    // 1-2 s handlers against a 1 s probe timeout: a probe on the loop can wait past it, a thread's never.
    const seed = kubelet({ min: 1000, max: 2000 });
    expect(predictOutcome('health-on-loop', seed)).toMatchObject({ outcome: 'at-risk', limit: 'probe', gapMs: 2000 });
    expect(predictOutcome('health-off-loop', seed)?.outcome).toBe('survives');
    expect(predictOutcome('health-exec-file', seed)?.outcome).toBe('survives');
    expect(predictOutcome('tcp-socket', seed)?.outcome).toBe('survives');
    // A probe timeout above the longest handler: nothing on the loop can make it fail.
    expect(predictOutcome('health-on-loop', kubelet({ min: 1000, max: 2000 }, { timeoutMs: 2000 }))?.outcome).toBe('survives');
    // 25 s stalls: past 1 s + 2 periods of 10 s for the loop's probe; past 10 s for the thread's only at risk.
    const long = kubelet(25_000);
    expect(predictOutcome('health-on-loop', long)?.outcome).toBe('killed');
    expect(predictOutcome('health-off-loop', long)?.outcome).toBe('at-risk');
    expect(predictOutcome('health-exec-file', long)?.outcome).toBe('at-risk');
    expect(predictOutcome('health-off-loop', kubelet(35_000))?.outcome).toBe('killed');
    expect(predictOutcome('tcp-socket', kubelet(35_000))?.outcome).toBe('survives');
    // More failures in a row need a longer stall.
    expect(predictOutcome('health-on-loop', kubelet(25_000, { failureThreshold: 5 }))?.outcome).toBe('at-risk');
    // A timeout longer than the period: failing probes on the loop come back to back, a timeout apart
    // (3 s + 2 x 3 s = 9 s), where a period apart would have said 3 s + 2 x 2 s = 7 s.
    const slow = { periodMs: 2000, timeoutMs: 3000 };
    expect(predictOutcome('health-on-loop', kubelet(8000, slow))?.outcome).toBe('at-risk');
    expect(predictOutcome('health-on-loop', kubelet(9500, slow))?.outcome).toBe('killed');
    // The thread answers at once, so its failing probes stay a period apart: 10 s + 2 x 2 s.
    expect(predictOutcome('health-off-loop', kubelet(14_500, { ...slow, loopStaleMs: 10_000 }))?.outcome).toBe('killed');
  });

  it('spreads clients over workers', () => {
    const four = cpuBurst({}, { clients: 4 });
    expect(predictOutcome('wall-clock', four)?.loopBusy).toBe(1);
    expect(predictOutcome('wall-clock', { ...four, workers: 4 })?.loopBusy).toBeCloseTo(0.6, 5);
  });
});

describe('adaptive repetition', () => {
  const policy = repeatPolicy(1);

  it('runs every cell once, a cell near the boundary three times, a mixed one up to the max', () => {
    expect(policy).toEqual({ base: 1, near: 3, max: 6 });
    expect(runsWanted([], 'survives', policy)).toEqual({ runs: 1, reason: 'base' });
    expect(runsWanted(['survived'], 'survives', policy)).toEqual({ runs: 1, reason: 'settled' });
    expect(runsWanted(['killed'], 'killed', policy)).toEqual({ runs: 1, reason: 'settled' });
    expect(runsWanted(['at-risk'], 'survives', policy)).toEqual({ runs: 3, reason: 'near-boundary' });
    expect(runsWanted(['survived'], 'at-risk', policy)).toEqual({ runs: 3, reason: 'near-boundary' });
    expect(runsWanted(['survived', 'at-risk', 'killed'], 'at-risk', policy)).toEqual({ runs: 6, reason: 'mixed' });
    expect(runsWanted(['killed', 'killed', 'killed'], 'at-risk', policy)).toEqual({ runs: 3, reason: 'near-boundary' });
  });

  it('tries an inconclusive cell once more, not forever', () => {
    expect(runsWanted(['inconclusive'], null, policy)).toEqual({ runs: 2, reason: 'inconclusive' });
    expect(runsWanted(['inconclusive', 'inconclusive'], null, policy)).toEqual({ runs: 2, reason: 'settled' });
  });

  it('does no more than --repeat when --max-repeat equals it', () => {
    const fixed = repeatPolicy(2, 2);
    expect(runsWanted(['killed', 'survived'], 'at-risk', fixed).runs).toBe(2);
  });
});

const run = (outcome: CellRun['outcome'], startedAtMs = 1000, finishedAtMs: number | null = 2000): CellRun => ({
  dir: 'x',
  outcome,
  kills: outcome === 'killed' ? 1 : 0,
  firstKillMs: outcome === 'killed' ? 30_000 : null,
  maxGapMs: outcome === 'killed' ? 30_100 : 16_000,
  contended: false,
  cpuShare: 0.98,
  interrupted: false,
  startedAtMs,
  finishedAtMs,
});

function plan(changes: Partial<SweepPlan> = {}): SweepPlan {
  const axes = parseAxes(['clients=1..2', 'cpu=100ms,1.5s']);
  const identity = { scenario: cpuBurst(), axes, strategies: ['tick-count', 'wall-clock'], timeScale: 0.1, stack: 'model' as const, app: null, appDir: null, repeat: repeatPolicy(1) };
  return { schemaVersion: 1, sweepId: sweepIdOf(identity), ...identity, scenarioFile: 'x', module: null, cellCount: 4, shard: null, mergedFrom: [], parallel: 2, createdAt: '2026-11-25T00:00:00.000Z', ...changes };
}

describe('the envelope', () => {
  const runs = new Map([
    ['c0000', new Map([['tick-count', [run('survived')]], ['wall-clock', [run('survived')]]])],
    ['c0001', new Map([['tick-count', [run('killed')]], ['wall-clock', [run('killed'), run('survived'), run('at-risk')]]])],
    ['c0003', new Map([['tick-count', [run('killed')]], ['wall-clock', [run('killed')]]])],
  ]);
  const envelope = buildEnvelope({ plan: plan(), runs, discardedRuns: 0, parallelFinal: 2, interrupted: false, createdAtMs: 0 });

  it('gives each cell and strategy a kill rate with its interval, and lists the missing cells', () => {
    expect(envelope.cells.map((c) => c.id)).toEqual(['c0000', 'c0001', 'c0003']);
    expect(envelope.missingCells).toEqual(['c0002']);
    const wall = envelope.cells[1]?.strategies.find((s) => s.strategy === 'wall-clock');
    expect(wall).toMatchObject({ runs: 3, judged: 3, killed: 1, measured: 'survives' });
    expect(wall?.killRate).toBeCloseTo(1 / 3, 9);
    expect(wall?.killRateInterval?.[0]).toBeGreaterThan(0);
    expect(envelope.seed).toEqual({ values: { clients: 1, cpu: 1500 }, cellId: 'c0001', onGrid: true });
  });

  it('names the cells where reality was worse than the arithmetic', () => {
    const wall = envelope.boundaries.find((b) => b.strategy === 'wall-clock');
    // clients=2 cpu=1.5s: predicted at risk (a window of 15 s), killed here.
    expect(wall?.worseThanPredicted).toEqual(['c0003']);
    expect(envelope.boundaries.find((b) => b.strategy === 'tick-count')?.worseThanPredicted).toEqual([]);
  });

  it('counts the time with no run going as the sweep’s overhead', () => {
    const timing = sweepTiming(0, [run('killed', 1000, 5000), run('killed', 3000, 6000), run('killed', 8000, 9000)]);
    expect(timing).toEqual({ wallMs: 9000, busyMs: 6000, overheadMs: 3000, runs: 3, runMs: 8000 });
    expect(sweepTiming(0, [run('killed', 1000, null)])).toBeNull();
  });

  it('draws a boundary between neighbours on different sides only', () => {
    expect(boundaryEdges([['survives', 'killed'], [null, 'killed']])).toEqual([{ x1: 1, y1: 0, x2: 1, y2: 1 }]);
    expect(boundaryEdges([['killed', 'killed']])).toEqual([]);
  });

  it('renders the same cells in every format', () => {
    const csv = renderEnvelopeCsv(envelope).trim().split('\n');
    expect(csv[0]).toMatch(/^cell,clients,cpu_ms,strategy,runs,judged,killed,kill_rate/);
    expect(csv).toHaveLength(1 + 3 * 2);
    const html = renderEnvelopeHtml(envelope);
    expect(html.match(/<svg class="map" data-strategy=/g)).toHaveLength(2);
    expect(html).toContain('class="seed"');
    expect(html).toContain('class="measured"');
    expect(html).not.toMatch(/<script(?! type="application\/json")/);
    const md = renderEnvelopeMarkdown(envelope);
    expect(md).toContain('### `wall-clock`');
    expect(md).toContain('1/3◆');
    expect(md).toContain('Missing 1 cell: c0002');
  });
});

describe('merging shards', () => {
  function shardDir(p: SweepPlan): string {
    const dir = mkdtempSync(join(tmpdir(), 'starve-shard-'));
    writeFileSync(join(dir, 'sweep.json'), encodeSweepPlan(p));
    return dir;
  }

  it('refuses shards of different sweeps, before writing anything', async () => {
    const a = shardDir(plan({ shard: { index: 1, count: 2 } }));
    const other = plan({ timeScale: 0.2 });
    const b = shardDir({ ...other, sweepId: sweepIdOf(other), shard: { index: 2, count: 2 } });
    const out = join(tmpdir(), `starve-merge-${process.pid}-a`);
    await expect(mergeSweeps([a, b], out)).rejects.toThrow(/shards of different sweeps/);
  });

  it('leaves no --out behind when a shard is damaged (the merge is built beside it and renamed into place)', async () => {
    const p = plan({ shard: { index: 1, count: 2 } });
    const a = shardDir(p);
    const b = shardDir({ ...p, shard: { index: 2, count: 2 } });
    writeFileSync(join(b, 'sweep-state.json'), '{ not json');
    const out = join(tmpdir(), `starve-merge-${process.pid}-c`);
    await expect(mergeSweeps([a, b], out)).rejects.toThrow(/sweep-state\.json/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith(`starve-merge-${process.pid}-c.merging`))).toEqual([]);
  });

  it('stops on an abort (Ctrl-C) before the cells are whole, leaving neither --out nor its staging directory', async () => {
    const p = plan({ shard: { index: 1, count: 2 } });
    const a = shardDir(p);
    const b = shardDir({ ...p, shard: { index: 2, count: 2 } });
    mkdirSync(join(a, 'cells', 'c0000'), { recursive: true });
    mkdirSync(join(b, 'cells', 'c0001'), { recursive: true });
    const out = join(tmpdir(), `starve-merge-${process.pid}-d`);
    const aborted = new AbortController();
    aborted.abort();
    await expect(mergeSweeps([a, b], out, aborted.signal)).rejects.toThrow(/interrupted; nothing was written/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith(`starve-merge-${process.pid}-d.merging`))).toEqual([]);
    // A merge SIGKILLed mid-copy left its staging directory (pid 2^22 + 1 is past Linux's pid_max: no such process): the next merge removes it.
    mkdirSync(`${out}.merging-4194305`, { recursive: true });
    const merged = await mergeSweeps([a, b], out);
    expect(merged.dir).toBe(out);
    expect(existsSync(`${out}.merging-4194305`)).toBe(false);
  });

  it('refuses the same cell twice', async () => {
    const p = plan({ shard: { index: 1, count: 2 } });
    const a = shardDir(p);
    const b = shardDir(p);
    for (const dir of [a, b]) mkdirSync(join(dir, 'cells', 'c0000'), { recursive: true });
    await expect(mergeSweeps([a, b], join(tmpdir(), `starve-merge-${process.pid}-b`))).rejects.toThrow(/same cells/);
  });

  it('gives shards of one sweep one id whatever the shard, and another id for another sweep', () => {
    expect(plan({ shard: { index: 1, count: 3 } }).sweepId).toBe(plan().sweepId);
    const other = plan();
    expect(sweepIdOf({ ...other, strategies: ['tick-count'] })).not.toBe(other.sweepId);
  });
});

describe('sweep.json', () => {
  it('reads back what a kubelet sweep writes: its probe axes and its scenario in the file\'s shape', () => {
    const scenario = cpuBurst({ supervisor: { kind: 'kubelet', probe: { ...PROBE_SETTINGS_DEFAULTS } }, strategies: ['health-on-loop', 'health-off-loop'] });
    const axes = parseAxes(['probe-timeout=1s,5s', 'clients=1,4']);
    const written = plan({ scenario, axes, strategies: scenario.strategies, sweepId: sweepIdOf({ scenario, axes, strategies: scenario.strategies, timeScale: 0.1, stack: 'model', app: null, appDir: null, repeat: repeatPolicy(1) }) });
    const text = encodeSweepPlan(written);
    expect(JSON.parse(text).scenario).toMatchObject({ master: 'kubelet', probe: { timeoutMs: 1000 } });
    const decoded = decodeSweepPlan(JSON.parse(text));
    expect(decoded.ok && decoded.value).toEqual(written);
  });

  it('refuses what a hand or another sweep changed: strategies outside the scenario, out-of-bound axes, wrong counts, a stale id', () => {
    const problem = (change: (raw: Record<string, unknown>) => void): string | null => {
      const raw = JSON.parse(encodeSweepPlan(plan())) as Record<string, unknown>;
      change(raw);
      const decoded = decodeSweepPlan(raw);
      return decoded.ok ? null : decoded.problem;
    };
    expect(problem(() => {})).toBeNull();
    // A strategy name becomes a directory name: ../../../x would write outside the sweep.
    expect(problem((raw) => (raw['strategies'] = ['../../../x']))).toMatch(/field "strategies"/);
    expect(problem((raw) => (raw['axes'] = [{ param: 'clients', unit: 'count', values: Array.from({ length: 1000 }, (_, i) => i + 1) }]))).toMatch(/at most 40/);
    expect(problem((raw) => (raw['axes'] = [{ param: 'clients', unit: 'count', values: [4, 2] }]))).toMatch(/must ascend/);
    expect(problem((raw) => (raw['axes'] = [{ param: 'clients', unit: 'count', values: [1] }, { param: 'clients', unit: 'count', values: [2] }]))).toMatch(/twice/);
    expect(problem((raw) => (raw['cellCount'] = 5))).toMatch(/field "cellCount"/);
    expect(problem((raw) => (raw['repeat'] = { base: 1, near: 3, max: 100000 }))).toMatch(/field "repeat"/);
    expect(problem((raw) => (raw['shard'] = { index: 3, count: 2 }))).toMatch(/field "shard"/);
    // Anything that decides the runs, changed without the id: another sweep's content under this id.
    expect(problem((raw) => (raw['timeScale'] = 0.2))).toMatch(/field "sweepId"/);
  });

  it('refuses a scenario in it that is not one, naming the field', () => {
    const raw = JSON.parse(encodeSweepPlan(plan())) as { scenario: Record<string, unknown> };
    raw.scenario['master'] = 'apache';
    const decoded = decodeSweepPlan(raw);
    expect(decoded.ok ? null : decoded.problem).toMatch(/field "scenario\.master"/);
  });
});

