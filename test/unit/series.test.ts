import { describe, expect, it } from 'vitest';
import { aggregateSeries } from '../../src/report/aggregate-series.js';
import { wilsonInterval } from '../../src/analysis/kill-tally.js';
import { analyseRun } from '../../src/analysis/analyse-run.js';
import { buildReport } from '../../src/report/build-report.js';
import { renderJunit } from '../../src/report/render-junit.js';
import { killedTrace, params, survivingTrace } from '../helpers/synthetic-run.js';

const run = (expect: Record<string, unknown>, wallClockKilled: boolean) => {
  const p = params({}, { expect: expect as never });
  return buildReport(p, analyseRun(p, new Map([['tick-count', killedTrace()], ['wall-clock', wallClockKilled ? killedTrace() : survivingTrace()]])));
};

describe('repeated runs', () => {
  it('gives the Wilson 95% interval of a kill rate', () => {
    const [low, high] = wilsonInterval(0, 20) ?? [NaN, NaN];
    expect(low).toBe(0);
    expect(high).toBeCloseTo(0.1611, 3);
    const [low3, high3] = wilsonInterval(3, 7) ?? [NaN, NaN];
    expect(low3).toBeCloseTo(0.1582, 3);
    expect(high3).toBeCloseTo(0.7495, 3);
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it('requires a plain expectation in every run and judges a rate expectation on the rate', () => {
    const plain = { 'tick-count': 'killed', 'wall-clock': 'survives' };
    const series = aggregateSeries([run(plain, false), run(plain, false), run(plain, true)]);
    const wall = series.strategies.find((s) => s.name === 'wall-clock');
    expect(wall).toMatchObject({ judged: 3, killedRuns: 1, metRuns: 2, met: false });
    expect(wall?.killRate).toBeCloseTo(1 / 3, 9);
    expect(series.verdict).toBe('unexpected');

    const rate = { 'tick-count': 'killed', 'wall-clock': { killRate: { max: 0.4 } } };
    const rated = aggregateSeries([run(rate, false), run(rate, false), run(rate, true)]);
    expect(rated.strategies.find((s) => s.name === 'wall-clock')?.met).toBe(true);
    expect(rated.verdict).toBe('as-expected');
  });
});

describe('JUnit', () => {
  it('has one test case per strategy and a failure for an unmet expectation', () => {
    const xml = renderJunit(run({ 'tick-count': 'survives' }, false));
    expect(xml).toContain('tests="2" failures="1" errors="0" skipped="1"');
    expect(xml).toContain('<failure message="tick-count was killed 1×, expected survives">');
    expect(xml).toContain('name="wall-clock: no expectation"');
  });
});
