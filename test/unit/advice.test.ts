// check's pure parts: what each killer tolerates, the changes proposed for a stall, the verdict and
// the recommendation (the cheapest change that survived).
import { describe, expect, it } from 'vitest';
import { candidateOfKind, candidatesFor, RAISED_LIMITS } from '../../src/advice/candidates.js';
import { decideCheckVerdict, recommend, stallToCover, type CandidateOutcome, type HeadroomStep, type MeasuredStalls } from '../../src/advice/check-result.js';
import { describeTolerance, CHECK_RENDERERS, headroomLine } from '../../src/advice/render-check.js';
import { toleranceOf } from '../../src/advice/tolerance.js';
import { PROBE_SETTINGS_DEFAULTS } from '../../src/probes/types.js';
import type { StrategyReport } from '../../src/report/report-schema.js';
import type { Scenario } from '../../src/scenario/types.js';
import { gunicorn, scenario } from '../helpers/synthetic-run.js';

const kubelet = (probe: Partial<typeof PROBE_SETTINGS_DEFAULTS> = {}): Scenario['supervisor'] => ({ kind: 'kubelet', probe: { ...PROBE_SETTINGS_DEFAULTS, ...probe } });

describe('what each killer tolerates', () => {
  it("gunicorn with uvicorn's wall-clock rule: safe up to timeout - notify (half the timeout), killed past the timeout; a hung worker dies a check after the timeout", () => {
    expect(toleranceOf('wall-clock', scenario({ supervisor: gunicorn(30_000) }))).toEqual({ killer: 'gunicorn', stallKind: 'loop stall', safeUpToMs: 15_000, killsFromMs: 30_000, hangNoticedAfterMs: 31_000 });
  });

  it('tick counting is judged on the mean tick; a heartbeat thread on GIL holds only, and never notices a hung loop', () => {
    expect(toleranceOf('tick-count', scenario())).toMatchObject({ stallKind: 'mean tick', safeUpToMs: 200, killsFromMs: 200 });
    expect(toleranceOf('thread', scenario())).toMatchObject({ stallKind: 'GIL hold', hangNoticedAfterMs: null });
  });

  it("the kubelet: a probe on the loop fails past its timeout, failureThreshold failures a period apart kill; a slow probe's ticker spaces them a timeout apart", () => {
    const onLoop = toleranceOf('health-on-loop', scenario({ supervisor: kubelet(), strategies: ['health-on-loop'] }));
    expect(onLoop).toEqual({ killer: 'kubelet', stallKind: 'loop stall', safeUpToMs: 1000, killsFromMs: 21_000, hangNoticedAfterMs: 51_000 });
    expect(toleranceOf('health-on-loop', scenario({ supervisor: kubelet({ periodMs: 2000, timeoutMs: 3000 }) }))?.killsFromMs).toBe(9000);
    expect(toleranceOf('health-off-loop', scenario({ supervisor: kubelet() }))).toMatchObject({ safeUpToMs: 10_000, killsFromMs: 30_000 });
    expect(toleranceOf('tcp-socket', scenario({ supervisor: kubelet() }))).toMatchObject({ safeUpToMs: null, hangNoticedAfterMs: null });
    expect(toleranceOf('wall-clock', scenario({ supervisor: kubelet() }))).toBeNull();
  });

  it('says it in words, hang cost included', () => {
    const words = describeTolerance(toleranceOf('wall-clock', scenario())!).join(' ');
    expect(words).toMatch(/up to 15\.0 s never gets it killed; past 30\.0 s it is killed whatever its phase/);
    expect(words).toMatch(/killed 31\.0 s after it stops/);
  });
});

describe('the changes proposed for a measured stall', () => {
  it('gunicorn: a timeout whose safe half covers the stall with a quarter to spare, the every-tick rule, a heartbeat thread, the work off the loop, fewer clients', () => {
    const s = scenario({ supervisor: gunicorn(30_000), strategies: ['wall-clock'], load: { clients: 4, thinkMs: 0, routes: [{ kind: 'cpu', weight: 1, ms: { min: 1000, max: 2000 } }] } });
    const candidates = candidatesFor(s, 'wall-clock', 20_000);
    expect(candidates.map((c) => c.kind)).toEqual(['timeout', 'every-tick', 'thread-heartbeat', 'offload', 'fewer-clients']);
    // 20 s × 1.25 = 25 s safe: a timeout of 50 s (safe up to 25 s).
    expect(candidates[0]).toMatchObject({ change: 'gunicorn --timeout 50 (was 30)', hangNoticedAfterMs: 51_000 });
    expect(candidates[0]?.scenario.supervisor).toEqual(gunicorn(50_000));
    expect(candidates.find((c) => c.kind === 'offload')?.scenario.load.routes[0]?.kind).toBe('offload');
    expect(candidates.find((c) => c.kind === 'fewer-clients')?.scenario.load.clients).toBe(2);
    expect(candidates.find((c) => c.kind === 'thread-heartbeat')).toMatchObject({ hangNoticedAfterMs: null });
    expect(candidates.every((c) => c.scenario.strategies.length === 1)).toBe(true);
  });

  it('the kubelet: a probe timeout in whole seconds past the stall, a failureThreshold the stall cannot cover, the probe off the loop', () => {
    const s = scenario({ supervisor: kubelet(), strategies: ['health-on-loop'], load: { clients: 1, thinkMs: 0, routes: [{ kind: 'cpu', weight: 1, ms: 6000 }] } });
    const candidates = candidatesFor(s, 'health-on-loop', 6000);
    expect(candidates.map((c) => [c.kind, c.change])).toEqual([
      ['probe-timeout', 'livenessProbe.timeoutSeconds: 8 (was 1)'],
      ['failure-threshold', 'livenessProbe.failureThreshold: 4 (was 3)'],
      ['health-off-loop', expect.stringMatching(/answer \/healthz from a thread of its own/)],
      ['offload', expect.stringMatching(/off the loop/)],
    ]);
    expect(candidates[0]?.hangNoticedAfterMs).toBe(58_000);
  });

  it('sizes one kind again for a larger stall (a raised limit that still died), and has none where the kind does not apply', () => {
    const s = scenario({ supervisor: gunicorn(30_000), strategies: ['wall-clock'], load: { clients: 4, thinkMs: 0, routes: [{ kind: 'cpu', weight: 1, ms: { min: 1000, max: 2000 } }] } });
    expect(candidateOfKind('timeout', s, 'wall-clock', 20_000)?.change).toBe(candidatesFor(s, 'wall-clock', 20_000)[0]?.change);
    // 40 s × 1.25 = 50 s safe: a timeout of 100 s.
    expect(candidateOfKind('timeout', s, 'wall-clock', 40_000)?.change).toBe('gunicorn --timeout 100 (was 30)');
    expect(candidateOfKind('probe-timeout', s, 'wall-clock', 20_000)).toBeNull();
    expect(RAISED_LIMITS).toEqual(['timeout', 'probe-timeout', 'failure-threshold', 'healthcheck-timeout']);
  });
});

const report = (overrides: Partial<StrategyReport>): StrategyReport =>
  ({ name: 'wall-clock', outcome: 'survived', kills: 0, firstKillMs: null, maxHeartbeatGapMs: 16_000, ticks: { count: 40, meanIntervalMs: 1500, p99IntervalMs: 2000, maxIntervalMs: 2000, meanHandlersPerTick: 1, handlersPerTick: {} }, contention: { contended: false }, ...overrides }) as StrategyReport;

describe('the verdict and the recommendation', () => {
  const tolerance = toleranceOf('wall-clock', scenario())!;

  it('killed when the lab killed it; at risk when a stall passed what is safe whatever its phase; inconclusive when contended', () => {
    expect(decideCheckVerdict(report({ outcome: 'killed', kills: 1 }), tolerance)).toBe('killed');
    expect(decideCheckVerdict(report({}), tolerance)).toBe('safe');
    expect(decideCheckVerdict(report({ ticks: { count: 3, meanIntervalMs: 9000, p99IntervalMs: 16_000, maxIntervalMs: 16_000, meanHandlersPerTick: 1, handlersPerTick: {} } }), tolerance)).toBe('at-risk');
    expect(decideCheckVerdict(report({ contention: { contended: true } as StrategyReport['contention'] }), tolerance)).toBe('inconclusive');
  });

  it('a killed worker must be covered past what killed it: the safe limit plus one more stall', () => {
    const measured: MeasuredStalls = { longestStallMs: 2000, p99StallMs: 2000, longestHeartbeatGapMs: 30_000, slowestProbeMs: null, longestFailureStreak: null, kills: 1, firstKillMs: 30_000 };
    expect(stallToCover(measured, tolerance)).toBe(17_000);
  });

  it('recommends the survivor that still notices a hung worker soonest, offloading first among equals; none when nothing survived', () => {
    const outcome = (kind: CandidateOutcome['kind'], survived: boolean, hangNoticedAfterMs: number | null): CandidateOutcome => ({ kind, change: kind, outcome: survived ? 'survived' : 'killed', survived, hangNoticedAfterMs, runDir: '', scenarioFile: {} });
    expect(recommend([outcome('timeout', true, 61_000), outcome('thread-heartbeat', true, null), outcome('offload', true, 31_000), outcome('every-tick', false, 31_000)])).toBe('offload');
    expect(recommend([outcome('thread-heartbeat', true, null), outcome('timeout', true, 61_000)])).toBe('timeout');
    expect(recommend([outcome('timeout', false, 61_000)])).toBeNull();
  });

  it('prints the recommendation with its cost, in the terminal and in Markdown', () => {
    const result = {
      scenario: 'api', strategy: 'wall-clock', killer: 'gunicorn' as const, clients: 4, timeScale: 0.1, stack: 'model' as const, tolerance,
      measured: { longestStallMs: 2000, p99StallMs: 2000, longestHeartbeatGapMs: 30_000, slowestProbeMs: null, longestFailureStreak: null, kills: 1, firstKillMs: 30_000 },
      verdict: 'killed' as const, runDir: '/tmp/x',
      candidates: [{ kind: 'timeout' as const, change: 'gunicorn --timeout 50 (was 30)', outcome: 'survived' as const, survived: true, hangNoticedAfterMs: 51_000, runDir: '', scenarioFile: {} }],
      recommendation: 'timeout' as const, headroom: null, interrupted: false,
    };
    const text = CHECK_RENDERERS.terminal(result, { colorLevel: 0 });
    expect(text).toMatch(/KILLED at the stated load/);
    expect(text).toMatch(/✓ survived {2}gunicorn --timeout 50 \(was 30\)/);
    expect(text).toMatch(/Recommended: gunicorn --timeout 50 \(was 30\)\. It survived in the lab, and a hung worker killed after 51\.0 s \(was 31\.0 s\)\./);
    expect(CHECK_RENDERERS.markdown(result, { colorLevel: 0 })).toMatch(/\| gunicorn --timeout 50 \(was 30\) \| ✓ survived \|/);
    expect(text).not.toMatch(/Headroom/);
  });

  it('says how far a safe load grew before a kill (--headroom), or that it survived the largest', () => {
    const step = (factor: number, survived: boolean): HeadroomStep => ({ factor, clients: factor, arrivalsPerS: null, outcome: survived ? 'survived' : 'killed', survived, runDir: '' });
    const safe = {
      scenario: 'api', strategy: 'wall-clock', killer: 'gunicorn' as const, clients: 1, timeScale: 0.1, stack: 'model' as const, tolerance,
      measured: { longestStallMs: 2000, p99StallMs: 2000, longestHeartbeatGapMs: 6000, slowestProbeMs: null, longestFailureStreak: null, kills: 0, firstKillMs: null },
      verdict: 'safe' as const, runDir: '/tmp/x', candidates: [], recommendation: null, interrupted: false,
    };
    expect(headroomLine({ ...safe, headroom: [step(2, true), step(4, false)] })).toBe('Headroom: killed at 4 clients, 4× the stated load; survived at 2 clients.');
    expect(headroomLine({ ...safe, headroom: [step(2, false)] })).toBe('Headroom: killed at 2 clients, 2× the stated load.');
    expect(headroomLine({ ...safe, headroom: [step(2, true), step(4, true)] })).toBe('Headroom: survived at 4 clients, 4× the stated load.');
    expect(headroomLine({ ...safe, headroom: [{ ...step(2, true), arrivalsPerS: 5 }] })).toBe('Headroom: survived at 5 requests/s, 2× the stated load.');
    expect(headroomLine({ ...safe, headroom: null })).toBeNull();
    expect(CHECK_RENDERERS.terminal({ ...safe, headroom: [step(2, true), step(4, false)] }, { colorLevel: 0 })).toMatch(/Headroom: killed at 4 clients/);
    expect(CHECK_RENDERERS.markdown({ ...safe, headroom: [step(2, false)] }, { colorLevel: 0 })).toMatch(/Headroom: killed at 2 clients/);
  });
});
