// The kubelet's liveness probe worker and crash-loop back-off, on synthetic clocks (pure).

import { describe, expect, it } from 'vitest';
import { BACKOFF_INITIAL_MS, BACKOFF_MAX_MS, nextRestart, type Backoff } from '../../src/probes/crash-loop-backoff.js';
import { containerStarted, INITIAL_PROBE_STATE, probeDue, recordProbe, type ProbeWorkerState } from '../../src/probes/probe-worker.js';
import { PROBE_DEFAULTS, type ProbeResult } from '../../src/probes/types.js';

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

describe('the crash-loop back-off', () => {
  function restarts(exitsAfterRunningMs: number[]): number[] {
    let backoff: Backoff | null = null;
    let now = 0;
    const waits: number[] = [];
    for (const ranMs of exitsAfterRunningMs) {
      const finished = now + ranMs;
      const restart = nextRestart(backoff, finished);
      waits.push(restart.atMs - finished);
      backoff = restart.backoff;
      now = restart.atMs;
    }
    return waits;
  }

  it('restarts the first exit at once, then waits 10 s, 20 s, 40 s ... up to 5 minutes', () => {
    expect(restarts(Array.from({ length: 9 }, () => 30_000))).toEqual([0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
    expect(BACKOFF_INITIAL_MS).toBe(10_000);
    expect(BACKOFF_MAX_MS).toBe(300_000);
  });

  it('starts over once a container ran more than 10 minutes', () => {
    expect(restarts([30_000, 30_000, 30_000, 601_000, 30_000])).toEqual([0, 10_000, 20_000, 0, 10_000]);
    expect(restarts([30_000, 30_000, 30_000, 599_000])).toEqual([0, 10_000, 20_000, 40_000]);
  });
});
