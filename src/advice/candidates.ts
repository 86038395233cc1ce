// The changes `check` tries on a deployment that is killed or at risk (pure): each says what to change
// in the deployment as the user writes it, what that is in the scenario, and what it costs. They are
// run, not assumed (pipeline/check-scenario.ts); which ones apply depends on the killer.
//
// The sizes come from the arithmetic (tolerance.ts) and the stall measured at the stated load: a
// limit is raised until the measured stall sits a quarter below the new safe limit, in the units the
// user writes (whole seconds for Kubernetes and gunicorn). Offloading and fewer clients keep every limit.

import { LIMITS } from '../scenario/limits.js';
import type { Scenario } from '../scenario/types.js';
import { toleranceOf } from './tolerance.js';

export type CandidateKind = 'upgrade-uvicorn' | 'timeout' | 'probe-timeout' | 'failure-threshold' | 'healthcheck-timeout' | 'health-off-loop' | 'every-tick' | 'thread-heartbeat' | 'offload' | 'fewer-clients';

export interface Candidate {
  kind: CandidateKind;
  /** The change as the user makes it: `gunicorn --timeout 60 (was 30)`, `livenessProbe.timeoutSeconds: 4 (was 1)`. */
  change: string;
  /** The scenario with the change, one strategy: what the lab runs. */
  scenario: Scenario;
  /** What the change costs: how long a truly hung worker then lives (null: never noticed), against before. */
  hangNoticedAfterMs: number | null;
}

/** Room kept between the measured stall and the new safe limit. */
export const STALL_MARGIN = 1.25;

const SECOND = 1000;
const ceilTo = (ms: number, step: number): number => Math.ceil(ms / step) * step;

function withStrategy(scenario: Scenario, strategy: string): Scenario {
  return { ...scenario, strategies: [strategy], expect: {} };
}

/**
 * The candidates for `strategy` of `scenario`, given the longest loop stall (or heartbeat gap, for a
 * rule that waits windows of ticks) measured at the stated load.
 */
export function candidatesFor(scenario: Scenario, strategy: string, measuredStallMs: number): Candidate[] {
  const base = withStrategy(scenario, strategy);
  const tolerance = toleranceOf(strategy, base);
  const needed = measuredStallMs * STALL_MARGIN;
  const out: Candidate[] = [];
  const noticed = (s: Scenario, name = strategy): number | null => toleranceOf(name, s)?.hangNoticedAfterMs ?? null;
  const { supervisor } = base;
  const blocking = base.load.routes.some((r) => r.kind === 'cpu' || r.kind === 'script');
  if (supervisor.kind === 'gunicorn') {
    if (tolerance !== null && tolerance.stallKind === 'loop stall' && tolerance.safeUpToMs !== null) {
      // Safe limit is timeout - notify (a share of the timeout): grow the timeout in steps of 10 s until it covers the stall.
      let timeoutMs = supervisor.timeoutMs;
      for (let i = 0; i < 360 && (toleranceOf(strategy, { ...base, supervisor: { ...supervisor, timeoutMs } })?.safeUpToMs ?? 0) < needed && timeoutMs < LIMITS.timeoutMs; i += 1) timeoutMs = ceilTo(timeoutMs + 1, 10 * SECOND);
      if (timeoutMs > supervisor.timeoutMs) {
        const s = { ...base, supervisor: { ...supervisor, timeoutMs } };
        out.push({ kind: 'timeout', change: `gunicorn --timeout ${timeoutMs / SECOND} (was ${supervisor.timeoutMs / SECOND})`, scenario: s, hangNoticedAfterMs: noticed(s) });
      }
    }
    if (strategy === 'tick-count') {
      // Counting ticks, the heartbeat waits for a number of them however long they take: no timeout helps (uvicorn #360).
      const s = withStrategy(base, 'wall-clock');
      out.push({ kind: 'upgrade-uvicorn', change: 'upgrade uvicorn (>= 0.7.2 compares the wall clock instead of counting ticks; uvicorn #360)', scenario: s, hangNoticedAfterMs: noticed(s, 'wall-clock') });
    }
    if (strategy === 'tick-count' || strategy === 'wall-clock' || strategy === 'wall-clock-full-timeout') {
      const s = withStrategy(base, 'every-tick');
      out.push({ kind: 'every-tick', change: "a worker that checks the clock on every tick (a UvicornWorker subclass; uvicorn's own checks every 10 ticks)", scenario: s, hangNoticedAfterMs: noticed(s, 'every-tick') });
    }
    if (strategy !== 'thread') {
      const s = withStrategy(base, 'thread');
      out.push({ kind: 'thread-heartbeat', change: 'send the heartbeat from a thread of its own (a UvicornWorker subclass)', scenario: s, hangNoticedAfterMs: null });
    }
  }
  if (supervisor.kind === 'kubelet') {
    const { probe } = supervisor;
    const answeredOnLoop = strategy === 'health-on-loop';
    if (answeredOnLoop) {
      const timeoutMs = Math.min(LIMITS.timeoutMs, Math.max(probe.timeoutMs + SECOND, ceilTo(needed, SECOND)));
      const s = { ...base, supervisor: { ...supervisor, probe: { ...probe, timeoutMs } } };
      out.push({ kind: 'probe-timeout', change: `livenessProbe.timeoutSeconds: ${timeoutMs / SECOND} (was ${probe.timeoutMs / SECOND})`, scenario: s, hangNoticedAfterMs: noticed(s) });
      // failureThreshold: more failures in a row than the stall can cover, whatever its phase.
      const spacing = Math.max(probe.periodMs, probe.timeoutMs);
      const threshold = Math.min(100, Math.max(probe.failureThreshold + 1, Math.ceil(Math.max(0, needed - probe.timeoutMs) / spacing) + 2));
      const t = { ...base, supervisor: { ...supervisor, probe: { ...probe, failureThreshold: threshold } } };
      out.push({ kind: 'failure-threshold', change: `livenessProbe.failureThreshold: ${threshold} (was ${probe.failureThreshold})`, scenario: t, hangNoticedAfterMs: noticed(t) });
      const off = withStrategy(base, 'health-off-loop');
      out.push({ kind: 'health-off-loop', change: `answer ${probe.path} from a thread of its own, 200 while the loop ticked within ${probe.loopStaleMs / SECOND} s (503 once it is stale, so a hung loop still fails)`, scenario: off, hangNoticedAfterMs: noticed(off, 'health-off-loop') });
    }
  }
  if (supervisor.kind === 'uvicorn' && strategy === 'holds-gil') {
    const timeoutMs = Math.min(LIMITS.timeoutMs, Math.max(supervisor.healthcheckTimeoutMs + SECOND, ceilTo(needed, SECOND)));
    const s = { ...base, supervisor: { ...supervisor, healthcheckTimeoutMs: timeoutMs } };
    out.push({ kind: 'healthcheck-timeout', change: `uvicorn --timeout-worker-healthcheck ${timeoutMs / SECOND} (was ${supervisor.healthcheckTimeoutMs / SECOND}; uvicorn >= 0.37)`, scenario: s, hangNoticedAfterMs: noticed(s) });
  }
  if (blocking && supervisor.kind !== 'uvicorn') {
    const s = { ...base, load: { ...base.load, routes: base.load.routes.map((r) => (r.kind === 'cpu' ? { ...r, kind: 'offload' as const } : r)) } };
    out.push({ kind: 'offload', change: 'move the CPU-bound work off the loop (await loop.run_in_executor(pool, work), or a task queue)', scenario: s, hangNoticedAfterMs: noticed(s) });
  }
  if (base.load.clients > 1 && base.load.arrivalsPerS === undefined) {
    const clients = Math.ceil(base.load.clients / 2);
    const s = { ...base, load: { ...base.load, clients } };
    out.push({ kind: 'fewer-clients', change: `half the concurrent requests per worker (${clients} instead of ${base.load.clients}): twice the workers or replicas for the same traffic`, scenario: s, hangNoticedAfterMs: noticed(s) });
  }
  return out;
}
