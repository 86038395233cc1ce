import { describe, expect, it } from 'vitest';
import { createRequestPlan, pickRoute, requestPath } from '../../src/lab/load/request-plan.js';
import { createRandom } from '../../src/lab/load/seeded-random.js';
import { buildLabPlan, H11_PARSE_MS, H11_WRITE_MS } from '../../src/scenario/scale-time.js';
import { scenario } from '../helpers/synthetic-run.js';

describe('request plan', () => {
  it('is the same sequence for the same seed, within the distribution', () => {
    const routes = [{ kind: 'cpu' as const, weight: 1, ms: { min: 1000, max: 2000 } }];
    const a = createRequestPlan(routes, createRandom(360));
    const b = createRequestPlan(routes, createRandom(360));
    const first = Array.from({ length: 50 }, a);
    expect(Array.from({ length: 50 }, b)).toEqual(first);
    expect(first.every((r) => r.ms >= 1000 && r.ms <= 2000)).toBe(true);
    expect(first.map((r) => r.id)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(requestPath({ id: 1, route: 'cpu', ms: 1234.5, handler: null, request: null })).toBe('/cpu?ms=1234.5');
    expect(requestPath({ id: 2, route: 'script', ms: 0, handler: 'parse big', request: null })).toBe('/script/parse%20big?ms=0');
  });

  it('sends an http route to the app\'s own path', () => {
    expect(requestPath({ id: 3, route: 'http', ms: 0, handler: null, request: { method: 'POST', path: '/portfolio/score?positions=5' } })).toBe('/portfolio/score?positions=5');
  });

  it('picks routes by weight', () => {
    const random = createRandom(7);
    const routes = [
      { kind: 'cpu' as const, weight: 3, ms: 1 },
      { kind: 'wait' as const, weight: 1, ms: 1 },
    ];
    const picks = Array.from({ length: 4000 }, () => pickRoute(routes, random).kind);
    const share = picks.filter((k) => k === 'cpu').length / picks.length;
    expect(share).toBeGreaterThan(0.72);
    expect(share).toBeLessThan(0.78);
  });
});

describe('time scaling', () => {
  it('scales every duration by one factor', () => {
    const plan = buildLabPlan(scenario({ clockSteps: [{ atMs: 40_000, stepMs: -20_000 }] }), 0.1);
    expect(plan.clockSteps).toEqual([{ atMs: 4000, stepMs: -2000 }]);
    expect(plan.timing).toEqual({ tickMs: 10, masterPeriodMs: 100, timeoutMs: 3000, keepAliveMs: 200, spawnPauseMaxMs: 10, workerBootMs: 9, durationMs: 6000, thinkMs: 100, pollGranularityMs: 0.1, secondMs: 100, plegRelistMs: 100, backoffInitialMs: 1000, backoffMaxMs: 30_000, arrivalGapMs: 0, httpParseMs: 0, httpWriteMs: 0 });
    expect(plan.routes[0]?.ms).toEqual({ min: 100, max: 200 });
  });

  it("scales h11's extra loop time per request with the rest, and gives httptools none", () => {
    const h11 = buildLabPlan(scenario({ http: 'h11' }), 0.1).timing;
    expect(h11.httpParseMs).toBeCloseTo(H11_PARSE_MS * 0.1, 9);
    expect(h11.httpWriteMs).toBeCloseTo(H11_WRITE_MS * 0.1, 9);
    expect(H11_PARSE_MS + H11_WRITE_MS).toBeCloseTo(0.042, 3);
  });
});
