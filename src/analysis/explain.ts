// Why each strategy fared as it did (pure): the mechanism behind a kill or a survival, as findings.

import { findNotifier } from '../notifiers/registry.js';
import { ticksBetweenNotifies } from '../notifiers/tick-count.js';
import { NOMINAL_TICK_MS, TICKS_PER_PERIODIC_CHECK } from '../notifiers/types.js';
import { eventsOfType, type TraceEvent, type TraceEventOf } from '../trace/events.js';
import { differences } from './stats.js';
import { ticksByWorker } from './ticks.js';
import type { Finding, HeartbeatFindings, Kill, StrategyOutcome } from './types.js';

export interface ExplainInput {
  notifier: string;
  timeoutMs: number;
  outcome: StrategyOutcome;
  kills: readonly Kill[];
  heartbeats: HeartbeatFindings;
  events: readonly TraceEvent[];
}

function explainTickCount(input: ExplainInput, ticks: Map<number, TraceEventOf<'tick'>[]>): Finding[] {
  const settings = { timeoutMs: input.timeoutMs, tickMs: NOMINAL_TICK_MS };
  const ticksNeeded = ticksBetweenNotifies(settings);
  const kill = input.kills[0];
  if (kill === undefined) {
    const notifies = eventsOfType(input.events, 'notify');
    const slowest = Math.max(0, ...[...new Set(notifies.map((n) => n.pid))].flatMap((pid) => differences(notifies.filter((n) => n.pid === pid).map((n) => n.t))));
    return [{ kind: 'ticks-kept-up', ticksNeeded, slowestCountMs: slowest, timeoutMs: input.timeoutMs }];
  }
  const lastBeatT = kill.atMs - kill.heartbeatAgeMs;
  const ticksRun = (ticks.get(kill.pid) ?? []).filter((tick) => tick.t > lastBeatT && tick.t <= kill.atMs).length;
  return [
    {
      kind: 'ticks-too-slow',
      ticksNeeded,
      ticksRun,
      elapsedMs: kill.heartbeatAgeMs,
      meanTickMs: ticksRun > 0 ? kill.heartbeatAgeMs / ticksRun : kill.heartbeatAgeMs,
      nominalTickMs: NOMINAL_TICK_MS,
      timeoutMs: input.timeoutMs,
    },
  ];
}

/** The longest stretch between two clock checks of one worker, counting the one still open at a kill. */
function longestWindow(ticks: readonly TraceEventOf<'tick'>[], checkEveryTicks: number, endMs: number | null): number {
  const checks = ticks.filter((tick) => tick.counter % checkEveryTicks === 0).map((tick) => tick.t);
  const last = checks[checks.length - 1];
  const open = endMs !== null && last !== undefined ? [endMs - last] : [];
  return Math.max(0, ...differences(checks), ...open);
}

function explainWallClock(input: ExplainInput, ticks: Map<number, TraceEventOf<'tick'>[]>, checkEveryTicks: number, notifyIntervalMs: number): Finding[] {
  const { timeoutMs } = input;
  if (notifyIntervalMs >= timeoutMs) return [{ kind: 'interval-not-below-timeout', notifyIntervalMs, timeoutMs }];
  const kill = input.kills[0];
  if (kill !== undefined) {
    const own = (ticks.get(kill.pid) ?? []).filter((tick) => tick.t <= kill.atMs);
    const stalls = [...differences(own.map((tick) => tick.t)), kill.atMs - (own[own.length - 1]?.t ?? kill.atMs)];
    const stallMs = Math.max(0, ...stalls);
    if (stallMs > timeoutMs) return [{ kind: 'stall-over-timeout', stallMs, timeoutMs }];
    return [{ kind: 'window-too-slow', windowMs: longestWindow(own, checkEveryTicks, kill.atMs), checkEveryTicks, notifyIntervalMs, timeoutMs }];
  }
  const maxWindowMs = Math.max(0, ...[...ticks.values()].map((own) => longestWindow(own, checkEveryTicks, null)));
  const findings: Finding[] = [{ kind: 'checks-in-time', maxGapMs: input.heartbeats.maxGapMs ?? 0, maxWindowMs, checkEveryTicks, notifyIntervalMs, timeoutMs }];
  if (input.outcome === 'at-risk') findings.push({ kind: 'thin-margin', maxGapMs: input.heartbeats.maxGapMs ?? 0, timeoutMs });
  return findings;
}

export function explainStrategy(input: ExplainInput): Finding[] {
  const rule = findNotifier(input.notifier);
  if (rule === undefined) return [{ kind: 'not-enough-data', reason: `unknown notifier "${input.notifier}"` }];
  const ticks = ticksByWorker(input.events);
  const notifyIntervalMs = rule.notifyIntervalMs({ timeoutMs: input.timeoutMs, tickMs: NOMINAL_TICK_MS });
  switch (rule.name) {
    case 'tick-count':
      return explainTickCount(input, ticks);
    case 'every-tick':
      return explainWallClock(input, ticks, 1, notifyIntervalMs);
    default:
      return explainWallClock(input, ticks, TICKS_PER_PERIODIC_CHECK, notifyIntervalMs);
  }
}
