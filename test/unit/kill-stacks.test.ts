import { describe, expect, it } from 'vitest';
import { findKillStacks } from '../../src/analysis/kill-stacks.js';
import { findLoopDelay } from '../../src/analysis/loop-delay.js';
import { analyseRun } from '../../src/analysis/analyse-run.js';
import { buildReport } from '../../src/report/build-report.js';
import { describeFindings } from '../../src/report/wording.js';
import { killedTrace, params } from '../helpers/synthetic-run.js';
import type { StackFrame, TraceEvent } from '../../src/trace/events.js';

const frame = (functionName: string, url: string, line: number): StackFrame => ({ functionName, url, line, column: 1 });
const burn = [frame('now', '', 0), frame('burnCpu', 'file:///app/dist/lab/burn-cpu.js', 8), frame('handleRequest', 'file:///app/dist/lab/worker-main.js', 106)];
const kill = (pid: number, atMs: number) => ({ atMs, by: 'master' as const, pid, workerAgeMs: atMs, heartbeatAgeMs: 30_000, neededSigkill: false, exitSignal: 'SIGABRT' });

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
  });

  it('becomes findings in the report, said in words by the wording module', () => {
    const trace: TraceEvent[] = [...killedTrace(), { type: 'stack', t: 30_660, pid: 10, frames: burn }];
    const report = buildReport(params(), analyseRun(params(), new Map([['tick-count', trace], ['wall-clock', []]])));
    const findings = report.strategies[0]?.findings ?? [];
    expect(findings.find((f) => f.kind === 'stack-at-kill')).toEqual({ kind: 'stack-at-kill', count: 1, pids: [10], blocking: burn[1], innermost: burn[0], callers: [burn[0], burn[2]] });
    expect(describeFindings(findings)).toContain('At 1 kill the loop was running burnCpu (dist/lab/burn-cpu.js:8), called from now (native) ← handleRequest (dist/lab/worker-main.js:106).');
  });

  it('says so when a kill found the loop between handlers', () => {
    const idle = [frame('processTimers', 'node:internal/timers', 512)];
    const found = findKillStacks([{ type: 'stack', t: 31_010, pid: 1, frames: idle }], [kill(1, 31_000)]);
    expect(found.stacks[0]?.blockingFrame).toBeNull();
    const trace: TraceEvent[] = [...killedTrace(), { type: 'stack', t: 30_660, pid: 10, frames: idle }, { type: 'stack-unavailable', t: 30_700, pid: 11, reason: 'gone' }];
    const report = buildReport(params(), analyseRun(params(), new Map([['tick-count', trace]])));
    const words = describeFindings(report.strategies[0]?.findings ?? []).join('\n');
    expect(words).toContain('At 1 kill the loop was between handlers, in processTimers (node:internal/timers:512)');
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
