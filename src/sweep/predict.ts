// What the rules' arithmetic (docs/semantics.md §2) predicts for a workload (pure): the best case, where the
// loop runs one handler between two ticks. Reality can only be worse (uvloop runs every request its
// poll found, asyncio more), so a cell killed where the prediction says "survives" is the map showing
// what arithmetic alone misses.
//
// Load: c closed-loop clients per worker, each cycling through a response (its handler) and a think
// time, keep the loop busy a share rho = min(1, c * loopMs / (responseMs + thinkMs)). While idle the loop
// ticks every 100 ms; while busy, once per handler. So the mean tick is 1 / ((1 - rho) / 100 + rho / h).
//   tick-count:  a heartbeat every timeout/2 / 100 ms ticks, so the gap is that many mean ticks;
//   wall-clock:  a heartbeat at the first check (every k ticks) after timeout/2: the gap is timeout/2
//                plus up to one window of k ticks (at least one whole handler); killed once a window
//                outlasts the timeout, at risk (intermittent, by alignment) before that;
//   any rule on the loop dies when a single stall outlasts the timeout; a thread never starves.
// Killed when the gap exceeds the timeout; at risk from the same share of it the analysis uses.
//
// Under the kubelet (docs/semantics.md §7) the same best case, one handler holding the loop at a time, in the
// probe's terms. A probe that waits on the loop fails when it waits past timeoutSeconds; the health
// thread's probe when the loop's last tick is older than loopStaleMs; the exec probe when the heartbeat
// file is older than maxHeartbeatAgeMs. So a stall S past that limit can fail a probe (at risk: which
// probes land in it is the probe ticker's phase), and one long enough to cover failureThreshold
// probes in a row, limit + (failureThreshold - 1) * spacing, kills whatever the phase. Failing probes come
// a period apart, or back to back when a probe that waits on the loop lasts its whole timeout and that is
// a period or more (the kubelet's ticker keeps the tick that fell meanwhile: probes/probe-worker.ts).
// tcpSocket asks only the kernel and never fails.

import { atRiskGapMs } from '../analysis/at-risk.js';
import { findNotifier } from '../notifiers/registry.js';
import { findHealthStrategy, type HealthStrategy } from '../probes/health-strategies.js';
import { failingProbeSpacingMs, type ProbeSettings } from '../probes/types.js';
import { unknownKind } from '../scenario/supervisor.js';
import type { NotifierRule } from '../notifiers/types.js';
import { NOMINAL_TICK_MS } from '../notifiers/types.js';
import { blocksLoop, type DurationSpec, type Scenario } from '../scenario/types.js';

export type PredictedOutcome = 'killed' | 'at-risk' | 'survives';

export interface Prediction {
  outcome: PredictedOutcome;
  /** The share of time the loop is busy with handlers (0..1). */
  loopBusy: number;
  meanTickMs: number;
  /** The longest a window of checks lasts (the rule's k ticks, at least one handler); null for tick counting. */
  windowMs: number | null;
  /** The heartbeat gap the arithmetic gives. */
  gapMs: number;
  /** The reason in one word: which limit the gap hit (`probe`: a stall past what the kubelet's probe tolerates). */
  limit: 'tick-count' | 'window' | 'single-stall' | 'interval' | 'probe' | 'none';
}

const meanOf = (ms: DurationSpec): number => (typeof ms === 'number' ? ms : (ms.min + ms.max) / 2);
const maxOf = (ms: DurationSpec): number => (typeof ms === 'number' ? ms : ms.max);

interface Load {
  /** Share of time the loop is busy. */
  busy: number;
  /** Mean time of one handler that blocks the loop. */
  handlerMs: number;
  /** The longest one handler blocks it. */
  longestMs: number;
  /** The longest one `gil` handler holds the GIL (0 without them): no Python thread runs meanwhile. */
  gilLongestMs: number;
}

/** The loop's load per worker, from the scenario's routes, clients and think time. */
export function loopLoad(scenario: Scenario): Load {
  const routes = scenario.load.routes;
  const total = routes.reduce((sum, r) => sum + r.weight, 0);
  const blocking = routes.filter((r) => blocksLoop(r.kind));
  const blockingWeight = blocking.reduce((sum, r) => sum + r.weight, 0);
  if (total === 0 || blockingWeight === 0 || scenario.load.clients === 0) return { busy: 0, handlerMs: 0, longestMs: 0, gilLongestMs: 0 };
  const handlerMs = blocking.reduce((sum, r) => sum + r.weight * meanOf(r.ms), 0) / blockingWeight;
  const loopMsPerRequest = (handlerMs * blockingWeight) / total;
  const responseMs = routes.reduce((sum, r) => sum + r.weight * (r.kind === 'http' ? 0 : meanOf(r.ms)), 0) / total;
  const workers = Math.max(1, scenario.workers);
  const arrivals = scenario.load.arrivalsPerS;
  // An open load keeps each loop busy its share of the arrivals times the loop time each needs (whatever
  // the clients do); closed clients each cycle through a response and a think time.
  const busy =
    arrivals !== undefined
      ? Math.min(1, ((arrivals / workers) * loopMsPerRequest) / 1000)
      : Math.min(1, ((scenario.load.clients / workers) * loopMsPerRequest) / Math.max(1, responseMs + scenario.load.thinkMs));
  const gil = routes.filter((r) => r.kind === 'gil');
  return { busy, handlerMs, longestMs: Math.max(...blocking.map((r) => maxOf(r.ms))), gilLongestMs: gil.length === 0 ? 0 : Math.max(...gil.map((r) => maxOf(r.ms))) };
}

/** Ticks every 100 ms while idle and once per handler while busy: the mean tick of that mix. */
function meanTickOf(load: Load): number {
  const tickRate = (1 - load.busy) / NOMINAL_TICK_MS + (load.handlerMs > 0 ? load.busy / load.handlerMs : 0);
  return tickRate > 0 ? 1 / tickRate : NOMINAL_TICK_MS;
}

/**
 * The stall that decides a probe of this strategy and how long it may last; null when nothing on the
 * loop answers it. A thread off the loop fails once the loop is stale, or while a `gil` handler keeps
 * it from answering longer than the probe waits.
 */
function probeStall(health: HealthStrategy, probe: ProbeSettings, load: Load): { stallMs: number; toleranceMs: number } | null {
  switch (health.answeredBy) {
    case 'loop':
      return { stallMs: load.longestMs, toleranceMs: probe.timeoutMs };
    case 'thread': {
      const gilToleranceMs = Math.min(probe.loopStaleMs, probe.timeoutMs);
      return load.gilLongestMs - gilToleranceMs > load.longestMs - probe.loopStaleMs ? { stallMs: load.gilLongestMs, toleranceMs: gilToleranceMs } : { stallMs: load.longestMs, toleranceMs: probe.loopStaleMs };
    }
    case 'file':
      return { stallMs: load.longestMs, toleranceMs: probe.maxHeartbeatAgeMs };
    case 'kernel':
      return null;
  }
}

/** A health strategy under the kubelet: the longest single stall against what its probe tolerates. */
function predictProbeOutcome(health: HealthStrategy, scenario: Scenario, probe: ProbeSettings): Prediction {
  const load = loopLoad(scenario);
  const meanTickMs = meanTickOf(load);
  const stall = probeStall(health, probe, load);
  const base = { loopBusy: load.busy, meanTickMs, windowMs: null, gapMs: stall?.stallMs ?? load.longestMs };
  if (stall === null || stall.stallMs <= stall.toleranceMs) return { ...base, outcome: 'survives', limit: 'none' };
  const killsAnyPhaseMs = stall.toleranceMs + (probe.failureThreshold - 1) * failingProbeSpacingMs(probe, health.answeredBy === 'loop');
  return { ...base, outcome: stall.stallMs > killsAnyPhaseMs ? 'killed' : 'at-risk', limit: 'probe' };
}

/** The arithmetic's outcome for one strategy; null for one it does not know. */
export function predictOutcome(strategy: string, scenario: Scenario): Prediction | null {
  const { supervisor } = scenario;
  switch (supervisor.kind) {
    case 'gunicorn': {
      const rule = findNotifier(strategy);
      return rule === undefined ? null : predictHeartbeatOutcome(rule, scenario, supervisor.timeoutMs);
    }
    case 'kubelet': {
      const health = findHealthStrategy(strategy);
      return health === undefined ? null : predictProbeOutcome(health, scenario, supervisor.probe);
    }
    case 'uvicorn':
      // No arithmetic yet for the answering thread's GIL takings under queued holds: measured only.
      return null;
    default:
      return unknownKind(supervisor);
  }
}

/** A heartbeat rule under gunicorn: the heartbeat gap against the timeout. */
function predictHeartbeatOutcome(rule: NotifierRule, scenario: Scenario, timeoutMs: number): Prediction {
  const load = loopLoad(scenario);
  const meanTickMs = meanTickOf(load);
  const notifyMs = rule.notifyIntervalMs({ timeoutMs, tickMs: NOMINAL_TICK_MS });
  const judge = (gapMs: number, windowMs: number | null, limit: Prediction['limit']): Prediction => {
    let outcome: PredictedOutcome = 'survives';
    if (gapMs > timeoutMs) outcome = 'killed';
    else if (gapMs >= atRiskGapMs(timeoutMs)) outcome = 'at-risk';
    return { outcome, loopBusy: load.busy, meanTickMs, windowMs, gapMs, limit: outcome === 'survives' ? 'none' : limit };
  };
  // A heartbeat thread never starves on pure-Python work; a `gil` handler stops it for its whole length.
  if (rule.drivenBy === 'thread') {
    if (load.gilLongestMs > timeoutMs) return { ...judge(load.gilLongestMs, null, 'single-stall'), outcome: 'killed', limit: 'single-stall' };
    const worst = judge(notifyMs + load.gilLongestMs, null, load.gilLongestMs > 0 ? 'single-stall' : 'none');
    // Past the timeout only when the hold starts just before a notify was due: at risk (by phase).
    return worst.outcome === 'killed' ? { ...worst, outcome: 'at-risk' } : worst;
  }
  // gunicorn's ASGI worker: its task beats every interval when the loop gets to it, so a beat is at most
  // one interval plus one stall (or one batch of handlers) late: past the timeout by phase only, unless one stall is.
  if (rule.drivenBy === 'timer') {
    const stallMs = Math.max(load.longestMs, meanTickMs);
    if (stallMs > timeoutMs) return { ...judge(stallMs, null, 'single-stall'), outcome: 'killed', limit: 'single-stall' };
    const worst = judge(notifyMs + stallMs, null, 'single-stall');
    return worst.outcome === 'killed' ? { ...worst, outcome: 'at-risk' } : worst;
  }
  // One stall longer than the timeout: no rule on the loop can beat in time.
  if (load.longestMs > timeoutMs) return { ...judge(load.longestMs, null, 'single-stall'), outcome: 'killed', limit: 'single-stall' };
  if (rule.checkEveryTicks === null) return judge((notifyMs / NOMINAL_TICK_MS) * meanTickMs, null, 'tick-count');
  const windowMs = Math.max(rule.checkEveryTicks * meanTickMs, load.longestMs);
  // The notify interval alone at or past the timeout (0.11.4): killed even when idle.
  if (notifyMs >= timeoutMs) return { ...judge(notifyMs + windowMs, windowMs, 'interval'), outcome: 'killed', limit: 'interval' };
  const limit = windowMs > load.longestMs ? 'window' : 'single-stall';
  const worst = judge(notifyMs + windowMs, windowMs, limit);
  // A window past the timeout kills whatever the alignment; shorter ones only when a check falls just
  // short of the interval and the heartbeat waits a whole window more: at risk (intermittent).
  if (windowMs > timeoutMs) return { ...worst, outcome: 'killed', limit };
  return worst.outcome === 'killed' ? { ...worst, outcome: 'at-risk' } : worst;
}
