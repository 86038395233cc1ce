import { describe, expect, it } from 'vitest';
import { findKillStacks } from '../../src/analysis/kill-stacks.js';
import { findLoopDelay } from '../../src/analysis/loop-delay.js';
import { describeKillStacks } from '../../src/report/wording.js';
import type { StackFrame, TraceEvent } from '../../src/trace/events.js';

const frame = (functionName: string, url: string, line: number): StackFrame => ({ functionName, url, line, column: 1 });
const burn = [frame('now', '', 0), frame('burnCpu', 'file:///app/dist/lab/burn-cpu.js', 8), frame('handleRequest', 'file:///app/dist/lab/worker-main.js', 106)];
const kill = (pid: number, atMs: number) => ({ atMs, pid, workerAgeMs: atMs, heartbeatAgeMs: 30_000, neededSigkill: false, exitSignal: 'SIGABRT' });

describe('stacks at kills', () => {
  it('groups identical stacks and points at the innermost script frame', () => {
    const events: TraceEvent[] = [
      { type: 'stack', t: 31_010, pid: 1, frames: burn },
      { type: 'stack', t: 62_010, pid: 2, frames: burn },
      { type: 'stack-unavailable', t: 93_050, pid: 3, reason: 'the worker did not pause within 500 ms' },
    ];
    const found = findKillStacks(events, [kill(1, 31_000), kill(2, 62_000), kill(3, 93_000)]);
    expect(found.stacks).toEqual([{ count: 2, pids: [1, 2], frames: burn, blockingFrame: burn[1] }]);
    expect(found.unavailable).toEqual([{ pid: 3, reason: 'the worker did not pause within 500 ms' }]);
    expect(describeKillStacks(found)).toEqual([
      'At 2 kills the loop was running burnCpu (dist/lab/burn-cpu.js:8), called from now (native) ← handleRequest (dist/lab/worker-main.js:106).',
      'The stack at the kill of pid 3 is unavailable: the worker did not pause within 500 ms.',
    ]);
  });
});

describe('loop delay', () => {
  it('keeps the longest stall and the mean utilisation', () => {
    const events: TraceEvent[] = [
      { type: 'loop-delay', t: 1000, pid: 1, maxMs: 12, p99Ms: 10, utilisation: 0.1 },
      { type: 'loop-delay', t: 2000, pid: 1, maxMs: 1500, p99Ms: 1500, utilisation: 0.9 },
    ];
    expect(findLoopDelay(events)).toEqual({ windows: 2, maxMs: 1500, p99Ms: 1500, meanUtilisation: 0.5 });
    expect(findLoopDelay([])).toEqual({ windows: 0, maxMs: null, p99Ms: null, meanUtilisation: null });
  });
});
