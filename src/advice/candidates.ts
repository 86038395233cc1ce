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

/** What every candidate is sized from: the deployment with one strategy, and the stall to cover. */
interface Sizing {
  base: Scenario;
  strategy: string;
  /** The measured stall with STALL_MARGIN: what the new safe limit must reach. */
  needed: number;
  /** How long a truly hung worker lives under `s` (null: never noticed). */
  noticed: (s: Scenario, name?: string) => number | null;
}

type Build = (sizing: Sizing) => Candidate | null;

/** gunicorn's --timeout, grown in steps of 10 s until its safe limit (timeout - notify) covers the stall. */
const timeoutCandidate: Build = ({ base, strategy, needed, noticed }) => {
  const { supervisor } = base;
  const tolerance = toleranceOf(strategy, base);
  if (supervisor.kind !== 'gunicorn' || tolerance === null || tolerance.stallKind !== 'loop stall' || tolerance.safeUpToMs === null) return null;
  let timeoutMs = supervisor.timeoutMs;
  for (let i = 0; i < 360 && (toleranceOf(strategy, { ...base, supervisor: { ...supervisor, timeoutMs } })?.safeUpToMs ?? 0) < needed && timeoutMs < LIMITS.timeoutMs; i += 1) timeoutMs = ceilTo(timeoutMs + 1, 10 * SECOND);
  if (timeoutMs <= supervisor.timeoutMs) return null;
  const s = { ...base, supervisor: { ...supervisor, timeoutMs } };
  return { kind: 'timeout', change: `gunicorn --timeout ${timeoutMs / SECOND} (was ${supervisor.timeoutMs / SECOND})`, scenario: s, hangNoticedAfterMs: noticed(s) };
};

/** Counting ticks, the heartbeat waits for a number of them however long they take: no timeout helps (uvicorn #360). */
const upgradeCandidate: Build = ({ base, strategy, noticed }) => {
  if (base.supervisor.kind !== 'gunicorn' || strategy !== 'tick-count') return null;
  const s = withStrategy(base, 'wall-clock');
  return { kind: 'upgrade-uvicorn', change: 'upgrade uvicorn (>= 0.7.2 compares the wall clock instead of counting ticks; uvicorn #360)', scenario: s, hangNoticedAfterMs: noticed(s, 'wall-clock') };
};

const everyTickCandidate: Build = ({ base, strategy, noticed }) => {
  if (base.supervisor.kind !== 'gunicorn' || !['tick-count', 'wall-clock', 'wall-clock-full-timeout'].includes(strategy)) return null;
  const s = withStrategy(base, 'every-tick');
  return { kind: 'every-tick', change: "a worker that checks the clock on every tick (a UvicornWorker subclass; uvicorn's own checks every 10 ticks)", scenario: s, hangNoticedAfterMs: noticed(s, 'every-tick') };
};

const threadCandidate: Build = ({ base, strategy }) => {
  if (base.supervisor.kind !== 'gunicorn' || strategy === 'thread') return null;
  return { kind: 'thread-heartbeat', change: 'send the heartbeat from a thread of its own (a UvicornWorker subclass)', scenario: withStrategy(base, 'thread'), hangNoticedAfterMs: null };
};

/** livenessProbe.timeoutSeconds: at least a second more, up to the stall. */
const probeTimeoutCandidate: Build = ({ base, strategy, needed, noticed }) => {
  const { supervisor } = base;
  if (supervisor.kind !== 'kubelet' || strategy !== 'health-on-loop') return null;
  const { probe } = supervisor;
  const timeoutMs = Math.min(LIMITS.timeoutMs, Math.max(probe.timeoutMs + SECOND, ceilTo(needed, SECOND)));
  const s = { ...base, supervisor: { ...supervisor, probe: { ...probe, timeoutMs } } };
  return { kind: 'probe-timeout', change: `livenessProbe.timeoutSeconds: ${timeoutMs / SECOND} (was ${probe.timeoutMs / SECOND})`, scenario: s, hangNoticedAfterMs: noticed(s) };
};

/** failureThreshold: more failures in a row than the stall can cover, whatever its phase. */
const failureThresholdCandidate: Build = ({ base, strategy, needed, noticed }) => {
  const { supervisor } = base;
  if (supervisor.kind !== 'kubelet' || strategy !== 'health-on-loop') return null;
  const { probe } = supervisor;
  const spacing = Math.max(probe.periodMs, probe.timeoutMs);
  const threshold = Math.min(100, Math.max(probe.failureThreshold + 1, Math.ceil(Math.max(0, needed - probe.timeoutMs) / spacing) + 2));
  const s = { ...base, supervisor: { ...supervisor, probe: { ...probe, failureThreshold: threshold } } };
  return { kind: 'failure-threshold', change: `livenessProbe.failureThreshold: ${threshold} (was ${probe.failureThreshold})`, scenario: s, hangNoticedAfterMs: noticed(s) };
};

const healthOffLoopCandidate: Build = ({ base, strategy, noticed }) => {
  const { supervisor } = base;
  if (supervisor.kind !== 'kubelet' || strategy !== 'health-on-loop') return null;
  const { probe } = supervisor;
  const off = withStrategy(base, 'health-off-loop');
  return { kind: 'health-off-loop', change: `answer ${probe.path} from a thread of its own, 200 while the loop ticked within ${probe.loopStaleMs / SECOND} s (503 once it is stale, so a hung loop still fails)`, scenario: off, hangNoticedAfterMs: noticed(off, 'health-off-loop') };
};

/** uvicorn --timeout-worker-healthcheck: at least a second more, up to the stall. */
const healthcheckTimeoutCandidate: Build = ({ base, strategy, needed, noticed }) => {
  const { supervisor } = base;
  if (supervisor.kind !== 'uvicorn' || strategy !== 'holds-gil') return null;
  const timeoutMs = Math.min(LIMITS.timeoutMs, Math.max(supervisor.healthcheckTimeoutMs + SECOND, ceilTo(needed, SECOND)));
  const s = { ...base, supervisor: { ...supervisor, healthcheckTimeoutMs: timeoutMs } };
  return { kind: 'healthcheck-timeout', change: `uvicorn --timeout-worker-healthcheck ${timeoutMs / SECOND} (was ${supervisor.healthcheckTimeoutMs / SECOND}; uvicorn >= 0.37)`, scenario: s, hangNoticedAfterMs: noticed(s) };
};

const offloadCandidate: Build = ({ base, noticed }) => {
  const blocking = base.load.routes.some((r) => r.kind === 'cpu' || r.kind === 'script');
  if (!blocking || base.supervisor.kind === 'uvicorn') return null;
  const s = { ...base, load: { ...base.load, routes: base.load.routes.map((r) => (r.kind === 'cpu' ? { ...r, kind: 'offload' as const } : r)) } };
  return { kind: 'offload', change: 'move the CPU-bound work off the loop (await loop.run_in_executor(pool, work), or a task queue)', scenario: s, hangNoticedAfterMs: noticed(s) };
};

const fewerClientsCandidate: Build = ({ base, noticed }) => {
  if (base.load.clients <= 1 || base.load.arrivalsPerS !== undefined) return null;
  const clients = Math.ceil(base.load.clients / 2);
  const s = { ...base, load: { ...base.load, clients } };
  return { kind: 'fewer-clients', change: `half the concurrent requests per worker (${clients} instead of ${base.load.clients}): twice the workers or replicas for the same traffic`, scenario: s, hangNoticedAfterMs: noticed(s) };
};

/** Each kind's sizing, in the order check runs them. */
const BUILDERS: ReadonlyArray<readonly [CandidateKind, Build]> = [
  ['timeout', timeoutCandidate],
  ['upgrade-uvicorn', upgradeCandidate],
  ['every-tick', everyTickCandidate],
  ['thread-heartbeat', threadCandidate],
  ['probe-timeout', probeTimeoutCandidate],
  ['failure-threshold', failureThresholdCandidate],
  ['health-off-loop', healthOffLoopCandidate],
  ['healthcheck-timeout', healthcheckTimeoutCandidate],
  ['offload', offloadCandidate],
  ['fewer-clients', fewerClientsCandidate],
];

/** Kinds that raise a limit: a run that still dies can get the same change sized for a larger stall. */
export const RAISED_LIMITS: readonly CandidateKind[] = ['timeout', 'probe-timeout', 'failure-threshold', 'healthcheck-timeout'];

function sizingOf(scenario: Scenario, strategy: string, measuredStallMs: number): Sizing {
  return { base: withStrategy(scenario, strategy), strategy, needed: measuredStallMs * STALL_MARGIN, noticed: (s, name = strategy) => toleranceOf(name, s)?.hangNoticedAfterMs ?? null };
}

/**
 * The candidates for `strategy` of `scenario`, given the longest loop stall (or heartbeat gap, for a
 * rule that waits windows of ticks) measured at the stated load.
 */
export function candidatesFor(scenario: Scenario, strategy: string, measuredStallMs: number): Candidate[] {
  const sizing = sizingOf(scenario, strategy, measuredStallMs);
  return BUILDERS.flatMap(([, build]) => build(sizing) ?? []);
}

/** One kind of change, sized for `measuredStallMs`; null where it does not apply. */
export function candidateOfKind(kind: CandidateKind, scenario: Scenario, strategy: string, measuredStallMs: number): Candidate | null {
  const build = BUILDERS.find(([k]) => k === kind)?.[1];
  return build === undefined ? null : build(sizingOf(scenario, strategy, measuredStallMs));
}
