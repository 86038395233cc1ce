// uvicorn's process manager as the trace shows it (pure): its pings to each child, how long each waited
// for the answer, the checks that came late behind another child, and the story of each kill.

import { findCodeKind } from '../process-manager/code-kinds.js';
import { CHECK_INTERVAL_MS, detectionWindowMs, PONG_GIL_ACQUISITIONS } from '../process-manager/healthcheck.js';
import { eventsOfType, type TraceEvent, type TraceEventOf } from '../trace/events.js';
import { longestStallUpTo, MAX_KILLS_TOLD } from './probes.js';
import { atRiskGapMs } from './at-risk.js';
import type { Finding, Kill, PingFindings, StrategyOutcome } from './types.js';

/** A strategy needs this many pings before its survival means anything. */
export const MIN_PINGS = 2;

/** The longest stretch between two checks of one child, and the child the parent waited on meanwhile. */
interface DelayedCheck {
  pid: number;
  betweenChecksMs: number;
  waitingOnPid: number | null;
  waitedOnMs: number;
}

/** When each ping was sent: its record comes at its end, after `waitedMs`. */
const sentAt = (ping: TraceEventOf<'ping'>): number => ping.t - ping.waitedMs;

function longestDelayedCheck(pings: readonly TraceEventOf<'ping'>[]): DelayedCheck | null {
  const lastSent = new Map<number, number>();
  let worst: DelayedCheck | null = null;
  for (const ping of pings) {
    const previous = lastSent.get(ping.pid);
    const sent = sentAt(ping);
    lastSent.set(ping.pid, sent);
    if (previous === undefined) continue;
    const between = sent - previous;
    if (worst !== null && between <= worst.betweenChecksMs) continue;
    // The longest wait on another child between the two checks of this one.
    const other = pings.filter((p) => p.pid !== ping.pid && sentAt(p) >= previous && p.t <= sent).sort((a, b) => b.waitedMs - a.waitedMs)[0];
    worst = { pid: ping.pid, betweenChecksMs: between, waitingOnPid: other?.pid ?? null, waitedOnMs: other?.waitedMs ?? 0 };
  }
  return worst;
}

export function findPings(events: readonly TraceEvent[]): PingFindings {
  const pings = eventsOfType(events, 'ping');
  const delayed = longestDelayedCheck(pings);
  return {
    pings: pings.length,
    unanswered: pings.filter((p) => !p.answered).length,
    longestWaitMs: pings.length === 0 ? null : Math.max(...pings.filter((p) => p.answered).map((p) => p.waitedMs), 0),
    longestBetweenChecksMs: delayed?.betweenChecksMs ?? null,
  };
}

export interface PingOutcomeEvidence {
  kills: readonly Kill[];
  pings: PingFindings;
  healthcheckTimeoutMs: number;
  workers: number;
  openStallAtEndMs: number | null;
  inconclusive: readonly Finding[];
}

export function classifyPingOutcome(evidence: PingOutcomeEvidence): { outcome: StrategyOutcome; why: Finding[] } {
  if (evidence.inconclusive.length > 0) return { outcome: 'inconclusive', why: [...evidence.inconclusive] };
  if (evidence.kills.length > 0) return { outcome: 'killed', why: [] };
  if ((evidence.openStallAtEndMs ?? 0) > detectionWindowMs(evidence.healthcheckTimeoutMs, evidence.workers)) return { outcome: 'missed-hang', why: [] };
  if (evidence.pings.pings < MIN_PINGS) return { outcome: 'inconclusive', why: [{ kind: 'too-few-pings', seen: evidence.pings.pings, needed: MIN_PINGS }] };
  // An answer that came within a quarter of the timeout of the kill is a near miss.
  return { outcome: (evidence.pings.longestWaitMs ?? 0) >= atRiskGapMs(evidence.healthcheckTimeoutMs) ? 'at-risk' : 'survived', why: [] };
}

/** The longest GIL-holding handler of `pid` (`gil` routes, and `cpu` ones when the code holds the GIL) running at some point of [fromMs, toMs]. */
function longestGilHoldDuring(events: readonly TraceEvent[], pid: number, fromMs: number, toMs: number, cpuHoldsGil: boolean): number | null {
  const holds = (route: string): boolean => route === 'gil' || (cpuHoldsGil && route === 'cpu');
  const starts = eventsOfType(events, 'request-start').filter((r) => r.pid === pid && holds(r.route));
  const ends = new Map(eventsOfType(events, 'request-end').filter((r) => r.pid === pid).map((r) => [r.id, r.t]));
  const held = starts.filter((r) => r.t <= toMs && (ends.get(r.id) ?? Infinity) >= fromMs).map((r) => r.ms);
  return held.length === 0 ? null : Math.max(...held);
}

export interface ExplainPingInput {
  strategy: string;
  healthcheckTimeoutMs: number;
  outcome: StrategyOutcome;
  kills: readonly Kill[];
  pings: PingFindings;
  openStallAtEndMs: number | null;
  longestStallMs: number | null;
  events: readonly TraceEvent[];
}

export function explainPingStrategy(input: ExplainPingInput): Finding[] {
  const code = findCodeKind(input.strategy);
  const pings = eventsOfType(input.events, 'ping');
  const delayed = longestDelayedCheck(pings);
  // A check more than one interval and a timeout's worth late was held up behind another child.
  const late: Finding[] = delayed !== null && delayed.waitingOnPid !== null && delayed.waitedOnMs >= input.healthcheckTimeoutMs / 2
    ? [{ kind: 'check-delayed', pid: delayed.pid, betweenChecksMs: delayed.betweenChecksMs, intervalMs: CHECK_INTERVAL_MS, waitingOnPid: delayed.waitingOnPid, waitedOnMs: delayed.waitedOnMs }]
    : [];
  if (input.kills.length > 0) {
    const bootT = eventsOfType(input.events, 'worker-spawn')[0]?.t ?? 0;
    const kills = input.kills.slice(0, MAX_KILLS_TOLD).map((kill, index): Finding => {
      // findKills dates each kill at its unanswered ping's end.
      const ping = pings.find((p) => p.pid === kill.pid && !p.answered && p.t === kill.atMs);
      const waitedMs = ping?.waitedMs ?? input.healthcheckTimeoutMs;
      return {
        kind: 'ping-unanswered',
        pid: kill.pid,
        killNumber: index + 1,
        kills: input.kills.length,
        atMs: kill.atMs - bootT,
        waitedMs,
        healthcheckTimeoutMs: input.healthcheckTimeoutMs,
        gilHeldMs: longestGilHoldDuring(input.events, kill.pid, kill.atMs - waitedMs, kill.atMs, code?.cpuHoldsGil ?? false),
        stallMs: longestStallUpTo(input.events, kill.pid, kill.atMs),
        pongGilTakings: PONG_GIL_ACQUISITIONS,
      };
    });
    return [...kills, ...late];
  }
  if (input.outcome === 'missed-hang') {
    const stallMs = input.openStallAtEndMs ?? 0;
    const end = Math.max(0, ...input.events.map((e) => e.t));
    return [{ kind: 'ping-missed-hang', stallMs, answeredDuringStall: pings.filter((p) => p.answered && p.t >= end - stallMs).length, healthcheckTimeoutMs: input.healthcheckTimeoutMs }, ...late];
  }
  return [
    { kind: 'pings-answered', pings: input.pings.pings, longestWaitMs: input.pings.longestWaitMs, longestStallMs: input.longestStallMs ?? 0, healthcheckTimeoutMs: input.healthcheckTimeoutMs, cpuHoldsGil: code?.cpuHoldsGil ?? false },
    ...late,
  ];
}
