// The kubelet's liveness probe worker and crash-loop back-off, on synthetic clocks (pure).

import { describe, expect, it } from 'vitest';
import { BACKOFF_INITIAL_MS, BACKOFF_LIMITS, BACKOFF_MAX_MS, inBackoff, restartAfterExit, stepBackoff, type Backoff } from '../../src/probes/crash-loop-backoff.js';
import { containerStarted, INITIAL_PROBE_STATE, nextProbe, probeDue, recordProbe, type ProbeWorkerState } from '../../src/probes/probe-worker.js';
import { livenessKillGraceMs, PROBE_DEFAULTS, type ProbeResult } from '../../src/probes/types.js';

function feed(results: ProbeResult[], failureThreshold = 3): Array<{ kill: boolean; state: ProbeWorkerState }> {
  const probe = { ...PROBE_DEFAULTS, failureThreshold };
  let state = INITIAL_PROBE_STATE;
  return results.map((result) => {
    const verdict = recordProbe(state, result, probe);
    state = verdict.state;
    return verdict;
  });
}

describe('the liveness probe worker', () => {
  it('kills after failureThreshold failures in a row, not before', () => {
    expect(feed(['failure', 'failure', 'failure']).map((v) => v.kill)).toEqual([false, false, true]);
    expect(feed(['failure', 'failure'], 1).map((v) => v.kill)).toEqual([true, false]);
  });

  it('starts counting again after any success', () => {
    expect(feed(['failure', 'failure', 'success', 'failure', 'failure', 'success', 'failure', 'failure', 'failure']).map((v) => v.kill)).toEqual([
      false, false, false, false, false, false, false, false, true,
    ]);
  });

  it('holds after a kill until the restarted container is seen, then counts afresh', () => {
    const killed = feed(['failure', 'failure', 'failure']).at(-1)!.state;
    expect(killed).toEqual({ lastResult: 'failure', run: 0, onHold: true });
    expect(probeDue(killed, PROBE_DEFAULTS, 0, 50_000)).toBe(false);
    const resumed = containerStarted(killed);
    expect(probeDue(resumed, PROBE_DEFAULTS, 40_000, 50_000)).toBe(true);
    // The restarted container needs three new failures, not one.
    const first = recordProbe(resumed, 'failure', PROBE_DEFAULTS);
    expect(first.kill).toBe(false);
    expect(first.state.run).toBe(1);
  });

  it('probes nothing inside initialDelaySeconds, counting whole seconds as the kubelet truncates them', () => {
    const probe = { ...PROBE_DEFAULTS, initialDelayMs: 5000 };
    expect(probeDue(INITIAL_PROBE_STATE, probe, 1000, 5999)).toBe(false);
    expect(probeDue(INITIAL_PROBE_STATE, probe, 1000, 6000)).toBe(true);
    expect(probeDue(INITIAL_PROBE_STATE, probe, 1000, 6999)).toBe(true);
    expect(probeDue(INITIAL_PROBE_STATE, probe, null, 60_000)).toBe(false);
  });
});

describe('the crash-loop back-off (doBackOff, flowcontrol.Backoff, pod_workers requeue)', () => {
  const limits = BACKOFF_LIMITS;
  /** Liveness kills, each after the container ran `ranMs`: how long each restart was held past the kill. */
  function held(ranMs: number[], random: () => number = () => 0): number[] {
    let backoff: Backoff | null = null;
    let previous: number | null = null;
    let now = 0;
    return ranMs.map((ran) => {
      const finished = now + ran;
      const restart = restartAfterExit(backoff, { finishedAtMs: finished, killedByKubelet: true, previousFinishedAtMs: previous }, limits, random);
      backoff = restart.backoff;
      previous = finished;
      now = restart.atMs;
      return restart.heldMs;
    });
  }

  it('restarts the first and second killed containers at once: the back-off is judged by the container that exited before', () => {
    // A container killed after three failed 10 s probes ran about 30 s: 30 s > 10 s and > 20 s, so
    // kills 3 and 4 restart at once too; at 40 s the back-off is longer than the container ran.
    expect(held([30_000, 30_000, 30_000, 30_000, 30_000, 30_000, 30_000])).toEqual([0, 0, 0, 0, 40_000, 80_000, 160_000]);
  });

  it('caps the wait at 5 minutes; past the cap a held restart makes the next one free', () => {
    // Kill 9's previous container finished 330 s before it (held 300 s, then ran 30 s): more than the
    // cap, so it restarts at once, and kill 10's previous container finished only 30 s before.
    const waits = held(Array.from({ length: 10 }, () => 30_000));
    expect(waits).toEqual([0, 0, 0, 0, 40_000, 80_000, 160_000, 300_000, 0, 300_000]);
    expect(BACKOFF_INITIAL_MS).toBe(10_000);
    expect(BACKOFF_MAX_MS).toBe(300_000);
  });

  it('adds pod_workers\' jitter (up to half the wait) and the relist that sees the death', () => {
    const jittered = held([30_000, 30_000, 30_000, 30_000, 30_000], () => 1);
    // The relist (1 s) sees the death, then the requeue waits the rest of the 40 s plus half again.
    expect(jittered.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(jittered[4]).toBe(1000 + 39_000 * 1.5);
  });

  it('holds nothing once the previous container finished longer ago than the back-off', () => {
    // A container that ran 5 minutes before its kill: the one before it finished long ago.
    expect(held([30_000, 30_000, 30_000, 30_000, 300_000])).toEqual([0, 0, 0, 0, 0]);
  });

  it('starts the entry over when its event comes more than 10 minutes after its last step', () => {
    expect(inBackoff({ delayMs: 40_000, lastUpdateMs: 0 }, 601_000, 610_000, limits)).toBe(false);
    expect(stepBackoff({ delayMs: 40_000, lastUpdateMs: 0 }, 601_000, 640_000, limits)).toEqual({ delayMs: 10_000, lastUpdateMs: 640_000 });
    expect(stepBackoff({ delayMs: 40_000, lastUpdateMs: 0 }, 599_000, 640_000, limits)).toEqual({ delayMs: 80_000, lastUpdateMs: 640_000 });
  });

  it('a container that dies on its own is judged by itself, at the relist that sees it', () => {
    const first = restartAfterExit(null, { finishedAtMs: 1000, killedByKubelet: false, previousFinishedAtMs: null }, limits, () => 0.5);
    expect(first).toEqual({ atMs: 1500, heldMs: 500, backoff: { delayMs: 10_000, lastUpdateMs: 1500 }, refusedSyncs: 0 });
    const second = restartAfterExit(first.backoff, { finishedAtMs: 3000, killedByKubelet: false, previousFinishedAtMs: 1000 }, limits, () => 0);
    expect(second.heldMs).toBe(10_000);
    expect(second.backoff?.delayMs).toBe(20_000);
  });
});

describe('the probe worker\'s ticker', () => {
  it('probes on the grid while probes are shorter than the period', () => {
    expect(nextProbe(0, 10_000, 1000)).toEqual({ atMs: 10_000, tickMs: 10_000 });
    expect(nextProbe(10_000, 10_000, 19_999)).toEqual({ atMs: 20_000, tickMs: 20_000 });
  });

  it('starts the next probe the moment a probe longer than the period ends, then goes back to the grid', () => {
    // period 2 s, timeout 3 s: a probe from 0 that times out at 3 s; the tick at 2 s waited.
    const after = nextProbe(0, 2000, 3000);
    expect(after).toEqual({ atMs: 3000, tickMs: 2000 });
    // That probe also times out (3 s to 6 s): the tick at 4 s waited, the one at 6 s is the grid's next.
    expect(nextProbe(after.tickMs, 2000, 6000)).toEqual({ atMs: 6000, tickMs: 6000 });
    // Three failed probes back to back: 0, 3 s, 6 s (the old model skipped ticks: 0, 4 s, 8 s).
  });

  it('keeps one waiting tick only: a probe many periods long is followed by one probe, not a burst', () => {
    const after = nextProbe(0, 1000, 5500);
    expect(after).toEqual({ atMs: 5500, tickMs: 5000 });
    expect(nextProbe(after.tickMs, 1000, 5600)).toEqual({ atMs: 6000, tickMs: 6000 });
  });
});

describe('the kill', () => {
  it('gives at least 2 s of grace, the probe\'s own grace over the pod\'s', () => {
    expect(livenessKillGraceMs({ terminationGracePeriodMs: 30_000, probeTerminationGracePeriodMs: null })).toBe(30_000);
    expect(livenessKillGraceMs({ terminationGracePeriodMs: 30_000, probeTerminationGracePeriodMs: 5000 })).toBe(5000);
    expect(livenessKillGraceMs({ terminationGracePeriodMs: 0, probeTerminationGracePeriodMs: null })).toBe(2000);
    expect(livenessKillGraceMs({ terminationGracePeriodMs: 0, probeTerminationGracePeriodMs: null }, 100)).toBe(200);
  });
});
