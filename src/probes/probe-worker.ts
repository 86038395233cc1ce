// The kubelet's liveness probe worker (pkg/kubelet/prober/worker.go, doProbe), as pure state: a run of
// equal results is counted; `failureThreshold` failures in a row fail the container, which is then
// killed, and the worker holds (probes nothing) until it sees the restarted container.

import type { LivenessProbe, ProbeResult } from './types.js';

export interface ProbeWorkerState {
  lastResult: ProbeResult | null;
  /** How many probes in a row gave `lastResult`. */
  run: number;
  /** After a failure killed the container: no probing until a new container starts. */
  onHold: boolean;
}

export const INITIAL_PROBE_STATE: ProbeWorkerState = { lastResult: null, run: 0, onHold: false };

/**
 * Whether a probe tick at `nowMs` probes: not on hold, and past the initial delay in whole seconds (the
 * kubelet truncates the container's running time); `secondMs` is a second at the run's time scale.
 */
export function probeDue(state: ProbeWorkerState, probe: Pick<LivenessProbe, 'initialDelayMs'>, containerStartedAtMs: number | null, nowMs: number, secondMs = 1000): boolean {
  if (state.onHold || containerStartedAtMs === null) return false;
  return Math.trunc((nowMs - containerStartedAtMs) / secondMs) * secondMs >= probe.initialDelayMs;
}

export interface ProbeVerdict {
  state: ProbeWorkerState;
  /** The container failed its liveness probe: kill and restart it. */
  kill: boolean;
}

/** Counts one probe's result, as doProbe does. */
export function recordProbe(state: ProbeWorkerState, result: ProbeResult, probe: Pick<LivenessProbe, 'failureThreshold' | 'successThreshold'>): ProbeVerdict {
  // A worker on hold probes nothing: a result that arrives then (a probe begun before the kill) is dropped.
  if (state.onHold) return { state, kill: false };
  const run = state.lastResult === result ? state.run + 1 : 1;
  const below = result === 'failure' ? run < probe.failureThreshold : run < probe.successThreshold;
  if (below || result === 'success') return { state: { lastResult: result, run, onHold: false }, kill: false };
  return { state: { lastResult: result, run: 0, onHold: true }, kill: true };
}

/** A new container (a restart) resumes probing; the counted run carries on as the kubelet's does. */
export function containerStarted(state: ProbeWorkerState): ProbeWorkerState {
  return { ...state, onHold: false };
}

/** The next probe of a worker whose ticker ticks every `periodMs` (its ticks fall on `lastTickMs` + k·period). */
export interface NextProbe {
  /** When the next probe starts. */
  atMs: number;
  /** The tick it answers: the grid point the worker now stands at. */
  tickMs: number;
}

/**
 * The probe worker's Go ticker (worker.go run: `for w.doProbe(ctx) { select { case <-probeTicker.C: ... } }`).
 * Ticks fall on a fixed grid; a tick that comes while a probe runs waits (one at most, later ones are
 * dropped), so after a probe longer than the period the next one starts the moment it ends, and the
 * one after that at the next grid point. `lastTickMs` is the tick the probe that just ended answered
 * (or the ticker's start), `endedAtMs` when it ended.
 */
export function nextProbe(lastTickMs: number, periodMs: number, endedAtMs: number): NextProbe {
  const firstTick = lastTickMs + periodMs;
  if (firstTick > endedAtMs) return { atMs: firstTick, tickMs: firstTick };
  // A tick is waiting; the ones after it were dropped, and the grid carries on from the last of them.
  const missed = Math.floor((endedAtMs - firstTick) / periodMs);
  return { atMs: endedAtMs, tickMs: firstTick + missed * periodMs };
}
