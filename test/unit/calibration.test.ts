import { describe, expect, it } from 'vitest';
import { analyseRun } from '../../src/analysis/analyse-run.js';
import { combine, compareCase, compareStrategy, judgingOf, medianOf, mediansSeenOnBothSides, splitResets } from '../../src/calibration/compare-reports.js';
import { applyChanges, decodeGrid } from '../../src/calibration/grid.js';
import { buildReference, compactReport, decodeReference, encodeReference } from '../../src/calibration/reference.js';
import { buildReport, type StrategyReport } from '../../src/report/build-report.js';
import type { TraceEvent } from '../../src/trace/events.js';
import { killedTrace, params, survivingTrace } from '../helpers/synthetic-run.js';

const reportOf = (tickCount: TraceEvent[], wallClock: TraceEvent[]) => buildReport(params(), analyseRun(params(), new Map([['tick-count', tickCount], ['wall-clock', wallClock]])));

/** The killed trace with every time after boot stretched by `factor` (a later or earlier first kill). */
function stretched(factor: number): TraceEvent[] {
  return killedTrace().map((event) => (event.type === 'worker-timeout' ? { ...event, t: event.t * factor, ageMs: event.ageMs * factor } : event));
}

describe('calibration: the model against the real stack', () => {
  it('agrees on identical runs, figure by figure', () => {
    const report = reportOf(killedTrace(), survivingTrace());
    const result = compareCase('same', report, report);
    expect(result.agrees).toBe(true);
    expect(result.strategies[0]?.figures.find((f) => f.figure === 'first kill')).toMatchObject({ model: 30_650, real: 30_650, agrees: true });
    // Not comparable where neither side was killed.
    expect(result.strategies[1]?.figures.find((f) => f.figure === 'first kill')?.agrees).toBeNull();
  });

  it('disagrees when one side is killed and the other survives outside the at-risk band', () => {
    const model = reportOf(survivingTrace(), survivingTrace());
    const real = reportOf(killedTrace(), survivingTrace());
    const result = compareCase('fates differ', model, real);
    expect(result.agrees).toBe(false);
    expect(result.strategies[0]?.figures[0]).toMatchObject({ figure: 'outcome', model: 'survived', real: 'killed', agrees: false });
  });

  it('lets the outcome differ inside the at-risk band', () => {
    const model = reportOf(survivingTrace(23_500), survivingTrace());
    const real = reportOf(killedTrace(), survivingTrace());
    const strategy = compareStrategy(model.strategies[0] as StrategyReport, real.strategies[0] as StrategyReport, { timeoutMs: 30_000, firstKillSlackMs: 1100 });
    expect(strategy.atRiskBand).toBe(true);
    expect(strategy.figures[0]?.agrees).toBe(true);
  });

  it('holds the first kill to 10%', () => {
    const real = reportOf(killedTrace(), survivingTrace());
    const near = compareCase('near', reportOf(stretched(1.05), survivingTrace()), real);
    const far = compareCase('far', reportOf(stretched(1.2), survivingTrace()), real);
    expect(near.strategies[0]?.figures.find((f) => f.figure === 'first kill')?.agrees).toBe(true);
    expect(far.strategies[0]?.figures.find((f) => f.figure === 'first kill')?.agrees).toBe(false);
  });

  it('is inconclusive when a side could not be judged', () => {
    const real = reportOf(killedTrace(), survivingTrace());
    const empty = buildReport(params(), analyseRun(params(), new Map()));
    expect(compareCase('empty', empty, real).agrees).toBeNull();
    expect(combine([true, null])).toBeNull();
    expect(combine([true, null, false])).toBe(false);
  });

  it('tells resets by kills from drops by keep-alive', () => {
    const report = reportOf(killedTrace(), survivingTrace());
    const strategy = { ...(report.strategies[0] as StrategyReport), timeline: { ...(report.strategies[0] as StrategyReport).timeline, requests: [[30_700, 'reset'], [12_000, 'reset'], [13_000, 'completed']] as Array<[number, 'reset' | 'completed']> } };
    expect(splitResets(strategy)).toEqual({ byKills: 1, byKeepAlive: 1 });
  });

  it('counts the connections a container closes when it shuts down after SIGTERM as the kill\'s, however late', () => {
    const report = reportOf(killedTrace(), survivingTrace());
    const base = report.strategies[0] as StrategyReport;
    const kill = base.killTimesMs[0] ?? 0;
    // uvicorn saw the kubelet's SIGTERM at its loop's next tick, 6.8 s later, and reset the requests it had not read.
    const exit = { t: kill + 6_900, kind: 'exit' as const, label: 'pid 2 shut down after SIGTERM' };
    const requests: Array<[number, 'reset']> = [[kill + 6_800, 'reset'], [kill + 6_810, 'reset'], [kill + 20_000, 'reset']];
    const graceful = { ...base, timeline: { ...base.timeline, markers: [...base.timeline.markers.filter((m) => m.kind !== 'exit'), exit], requests } };
    expect(splitResets(graceful)).toEqual({ byKills: 2, byKeepAlive: 1 });
    // Without the exit, only the 2 s after the kill count.
    const abrupt = { ...graceful, timeline: { ...graceful.timeline, markers: base.timeline.markers.filter((m) => m.kind !== 'exit') } };
    expect(splitResets(abrupt)).toEqual({ byKills: 0, byKeepAlive: 3 });
  });

  it("allows a first kill one probe period apart under the kubelet (the probe ticker's phase against the load is the container's start-up), the check phase under gunicorn", () => {
    const gunicorn = reportOf(killedTrace(), survivingTrace()).params;
    expect(judgingOf(gunicorn)).toEqual({ timeoutMs: 30_000, firstKillSlackMs: 1100 });
    const probe = { path: '/healthz', initialDelayMs: 0, periodMs: 10_000, timeoutMs: 1_000, failureThreshold: 3, successThreshold: 1, terminationGracePeriodMs: 30_000, probeTerminationGracePeriodMs: null, kubeletStart: 'steady' as const, maxHeartbeatAgeMs: 10_000, loopStaleMs: 10_000 };
    expect(judgingOf({ ...gunicorn, supervisor: { kind: 'kubelet', probe } }).firstKillSlackMs).toBe(10_000);
    const model = reportOf(stretched(1.2), survivingTrace()).strategies[0] as StrategyReport;
    const real = reportOf(killedTrace(), survivingTrace()).strategies[0] as StrategyReport;
    const firstKill = (judging: { timeoutMs: number; firstKillSlackMs: number }): boolean | null | undefined => compareStrategy(model, real, judging).figures.find((f) => f.figure === 'first kill')?.agrees;
    expect(firstKill(judgingOf(gunicorn))).toBe(false);
    expect(firstKill(judgingOf({ ...gunicorn, supervisor: { kind: 'kubelet', probe } }))).toBe(true);
  });
});

describe('repeated calibration runs', () => {
  it('shows the median of each side\'s runs, a value one of them had', () => {
    expect(medianOf([3, 9, 7, 7, 7, 5])).toBe(7);
    expect(medianOf([1, 2])).toBe(1);
    expect(medianOf([null, 'killed', 4])).toBe(4);
    expect(medianOf([null])).toBeNull();
  });

  it('judges an intermittent first kill by the chances both sides took, not by where six picks put the median', () => {
    const bound = (): number => 1100;
    // The at-risk case measured: kills at the same three chances (11, 21.5, 40.6 s), in different proportions.
    expect(mediansSeenOnBothSides([21_500, 11_400, null, 10_500, null, null], [21_500, 11_500, 40_600, 21_500, 40_600, null], bound)).toBe(true);
    // The model kills only at a chance the real stack never took.
    expect(mediansSeenOnBothSides([31_000, 31_200, 30_900], [11_500, 21_500, 40_600], bound)).toBe(false);
    // Each median must fall among the other's kills: here the real median (40.6 s) is beyond all of the model's.
    expect(mediansSeenOnBothSides([10_500, 11_000, 40_600], [40_600, 40_600, 40_700], bound)).toBe(false);
    expect(mediansSeenOnBothSides([null, null], [21_500], bound)).toBeNull();
  });
});

describe('calibration grids', () => {
  it('decodes a grid and lays changes over a scenario, one level into load', () => {
    expect(decodeGrid({ name: 'g', cases: [{ scenario: 'cpu-burst', changes: { timeoutMs: 10_000 } }] }).ok).toBe(true);
    const bad = decodeGrid({ name: 'g', cases: [] });
    expect(bad.ok).toBe(false);
    const raw: Record<string, unknown> = { timeoutMs: 30_000, load: { clients: 1, thinkMs: 1000, routes: [] } };
    applyChanges(raw, { timeoutMs: 10_000, load: { clients: 4 } });
    expect(raw).toEqual({ timeoutMs: 10_000, load: { clients: 4, thinkMs: 1000, routes: [] } });
  });
});

describe('a stored real-stack reference', () => {
  const withRequests = (report: ReturnType<typeof reportOf>): ReturnType<typeof reportOf> => ({
    ...report,
    stack: 'real',
    strategies: report.strategies.map((s) => ({ ...s, timeline: { ...s.timeline, requests: [[30_700, 'reset'], [12_000, 'reset'], [13_000, 'completed'], [14_000, 'completed']] as Array<[number, 'reset' | 'completed']> } })),
  });

  it('keeps only what calibration compares, and compares exactly as the full report does', () => {
    const real = withRequests(reportOf(killedTrace(), survivingTrace()));
    const model = reportOf(stretched(1.05), survivingTrace());
    const compact = compactReport(real);
    expect(compareCase('case', model, compact)).toEqual(compareCase('case', model, real));
    const [tickCount] = compact.strategies;
    expect(tickCount?.timeline.requests).toEqual([[30_700, 'reset'], [12_000, 'reset']]);
    expect(tickCount?.timeline.tickIntervals).toEqual([]);
    expect(tickCount?.timeline.markers.every((m) => m.kind === 'exit')).toBe(true);
    expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(real).length / 2);
  });

  it('round-trips through its file and refuses a file that is not one, saying where', () => {
    const reference = buildReference('grid', 'by hand', [{ name: 'case', scenario: { name: 'x' }, report: withRequests(reportOf(killedTrace(), survivingTrace())) }]);
    const decoded = decodeReference(JSON.parse(encodeReference(reference)));
    expect(decoded.ok && decoded.value.cases[0]?.name).toBe('case');
    const broken = decodeReference({ ...reference, cases: [{ name: 'case', scenario: {} }] });
    expect(broken).toEqual({ ok: false, problem: expect.stringMatching(/^cases\.0\.report: /) as unknown as string });
  });
});

describe('a calibration grid file', () => {
  it('refuses a case name that is not one plain directory name, before anything runs', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadCalibrationInput } = await import('../../src/io/load-grid.js');
    const dir = mkdtempSync(join(tmpdir(), 'starve-grid-'));
    const file = join(dir, 'grid.json');
    const gridWith = (name: string): void => writeFileSync(file, JSON.stringify({ name: 'g', cases: [{ name, scenario: 'idle' }] }));
    try {
      for (const bad of ['../../x', 'a/b', '.hidden', 'with space']) {
        gridWith(bad);
        await expect(loadCalibrationInput(file)).rejects.toThrow(/cannot name a directory/);
      }
      gridWith('t10-ok_case.1');
      expect((await loadCalibrationInput(file)).cases[0]?.name).toBe('t10-ok_case.1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
