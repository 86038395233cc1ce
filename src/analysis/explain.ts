// Why each strategy fared as it did (pure): the mechanism behind a kill or a survival, as findings.

import { findNotifier } from '../notifiers/registry.js';
import { atRiskGapMs, AT_RISK_MARGIN_SHARE } from './at-risk.js';
import { ticksBetweenNotifies } from '../notifiers/tick-count.js';
import { NOMINAL_TICK_MS } from '../notifiers/types.js';
import { eventsOfType, type TraceEvent } from '../trace/events.js';
import { longestWindowOf } from './loop-stalls.js';
import { differences } from '../stats.js';
import { ticksByWorker } from './ticks.js';
import type { Finding, HeartbeatFindings, Kill, StrategyOutcome } from './types.js';

export interface ExplainInput {
  notifier: string;
  timeoutMs: number;
  outcome: StrategyOutcome;
  kills: readonly Kill[];
  heartbeats: HeartbeatFindings;
  longestCheckWindowMs: number | null;
  openStallAtEndMs: number | null;
  longestStallMs: number | null;
  events: readonly TraceEvent[];
}

function explainTickCount(input: ExplainInput): Finding[] {
  const ticksNeeded = ticksBetweenNotifies({ timeoutMs: input.timeoutMs, tickMs: NOMINAL_TICK_MS });
  const kill = input.kills[0];
  if (kill === undefined) {
    const notifies = eventsOfType(input.events, 'notify');
    const pids = [...new Set(notifies.map((n) => n.pid))];
    const slowest = Math.max(0, ...pids.flatMap((pid) => differences(notifies.filter((n) => n.pid === pid).map((n) => n.t))));
    return [{ kind: 'ticks-kept-up', ticksNeeded, slowestCountMs: slowest, timeoutMs: input.timeoutMs }];
  }
  const lastBeatT = kill.atMs - kill.heartbeatAgeMs;
  const ticksRun = (ticksByWorker(input.events).get(kill.pid) ?? []).filter((tick) => tick.t > lastBeatT && tick.t <= kill.atMs).length;
  return [
    {
      kind: 'tick-lag',
      ticksNeeded,
      ticksRun,
      elapsedMs: kill.heartbeatAgeMs,
      meanTickMs: ticksRun > 0 ? kill.heartbeatAgeMs / ticksRun : kill.heartbeatAgeMs,
      nominalTickMs: NOMINAL_TICK_MS,
      timeoutMs: input.timeoutMs,
    },
  ];
}

/** The longest the killed worker's loop went without a tick, up to its kill. */
function stallBeforeKill(events: readonly TraceEvent[], kill: Kill): number {
  const own = (ticksByWorker(events).get(kill.pid) ?? []).filter((tick) => tick.t <= kill.atMs).map((tick) => tick.t);
  return Math.max(0, ...differences(own), kill.atMs - (own[own.length - 1] ?? kill.atMs));
}

function explainWallClock(input: ExplainInput, checkEveryTicks: number, notifyIntervalMs: number): Finding[] {
  const { timeoutMs } = input;
  if (notifyIntervalMs >= timeoutMs) return [{ kind: 'interval-not-below-timeout', notifyIntervalMs, timeoutMs }];
  const kill = input.kills[0];
  if (kill !== undefined) {
    const own = (ticksByWorker(input.events).get(kill.pid) ?? []).filter((tick) => tick.t <= kill.atMs);
    return [{ kind: 'window-over-timeout', windowMs: longestWindowOf(own, checkEveryTicks, kill.atMs), checkEveryTicks, notifyIntervalMs, timeoutMs }];
  }
  const maxGapMs = input.heartbeats.maxGapMs ?? 0;
  const windowMs = input.longestCheckWindowMs ?? 0;
  const findings: Finding[] = [{ kind: 'checks-in-time', maxGapMs, maxWindowMs: windowMs, checkEveryTicks, notifyIntervalMs, timeoutMs }];
  if (input.outcome === 'at-risk') {
    findings.push(maxGapMs >= atRiskGapMs(timeoutMs) ? { kind: 'thin-margin', maxGapMs, timeoutMs, atRiskShare: AT_RISK_MARGIN_SHARE } : { kind: 'window-near-limit', windowMs, notifyIntervalMs, timeoutMs });
  }
  return findings;
}

function explainThread(input: ExplainInput): Finding[] {
  const kill = input.kills[0];
  // A heartbeat thread stops only when it cannot run: a call on the loop that keeps the GIL.
  if (kill !== undefined) return [{ kind: 'thread-held-by-gil', stallMs: stallBeforeKill(input.events, kill), timeoutMs: input.timeoutMs }];
  return [{ kind: 'thread-beats', maxGapMs: input.heartbeats.maxGapMs ?? 0, longestStallMs: input.longestStallMs ?? 0, timeoutMs: input.timeoutMs }];
}

/** gunicorn's ASGI worker: a task on the loop beats every interval; killed only by a stall past the timeout. */
function explainTask(input: ExplainInput, notifyIntervalMs: number): Finding[] {
  const kill = input.kills[0];
  if (kill === undefined) return [{ kind: 'task-beats', maxGapMs: input.heartbeats.maxGapMs ?? 0, longestStallMs: input.longestStallMs, notifyIntervalMs, timeoutMs: input.timeoutMs }];
  const stall = stallFinding(input, notifyIntervalMs);
  // Its SIGABRT handler runs on the loop: a worker the master had to SIGKILL never ran it.
  const killed = eventsOfType(input.events, 'signal').some((s) => s.pid === kill.pid && s.signal === 'SIGKILL');
  return [...(stall === null ? [] : [stall]), ...(killed ? [{ kind: 'abort-waits-for-loop' as const, pid: kill.pid }] : [])];
}

/** A clock step shortly before a kill: the master's or the worker's wall clock jumped. */
function clockStepFindings(input: ExplainInput): Finding[] {
  const steps = eventsOfType(input.events, 'clock-step');
  const relevant = steps.filter((step) => input.kills.some((kill) => step.t <= kill.atMs && step.t >= kill.atMs - kill.heartbeatAgeMs - input.timeoutMs));
  return relevant.map((step) => ({ kind: 'clock-step', stepMs: step.stepMs, atMs: step.t }));
}

/** A kill caused by one stall rather than by slow ticks: the stall outlasted a heartbeat interval. */
function stallFinding(input: ExplainInput, notifyIntervalMs: number): Finding | null {
  const kill = input.kills[0];
  if (kill === undefined) return null;
  const stallMs = stallBeforeKill(input.events, kill);
  return stallMs > notifyIntervalMs ? { kind: 'single-stall', stallMs, notifyIntervalMs, timeoutMs: input.timeoutMs } : null;
}

export function explainStrategy(input: ExplainInput): Finding[] {
  const rule = findNotifier(input.notifier);
  // Strategies are validated against the registry before a run; an unknown one has nothing to explain.
  if (rule === undefined) return [];
  const notifyIntervalMs = rule.notifyIntervalMs({ timeoutMs: input.timeoutMs, tickMs: NOMINAL_TICK_MS });
  const findings: Finding[] = [];
  if (input.outcome === 'missed-hang') findings.push({ kind: 'missed-hang', stallMs: input.openStallAtEndMs ?? 0, timeoutMs: input.timeoutMs });
  findings.push(...clockStepFindings(input));
  const stall = rule.drivenBy === 'loop' && notifyIntervalMs < input.timeoutMs ? stallFinding(input, notifyIntervalMs) : null;
  if (rule.drivenBy === 'thread') findings.push(...explainThread(input));
  else if (rule.drivenBy === 'timer') findings.push(...explainTask(input, notifyIntervalMs));
  else if (stall !== null) findings.push(stall);
  else if (rule.checkEveryTicks === null) findings.push(...explainTickCount(input));
  else findings.push(...explainWallClock(input, rule.checkEveryTicks, notifyIntervalMs));
  return findings;
}
