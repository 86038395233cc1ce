// The kubelet's liveness probes as the trace shows them (pure): how many ran and failed, the longest run
// of failures, the slowest probe, and the story of each kill (the failed probes, the exit, the back-off).

import { findHealthStrategy } from '../probes/health-strategies.js';
import { failingProbeSpacingMs, livenessKillGraceMs, type ProbeSettings } from '../probes/types.js';
import { eventsOfType, type TraceEvent } from '../trace/events.js';
import { differences } from '../stats.js';
import { ticksByWorker } from './ticks.js';
import { processExits } from './exits.js';
import { firstBootMs } from './kills.js';
import { loopsOf } from './pod.js';
import type { Finding, Kill, ProbeFindings, StrategyOutcome } from './types.js';

export function findProbes(events: readonly TraceEvent[]): ProbeFindings {
  const probes = eventsOfType(events, 'probe');
  let longestStreak = 0;
  const streaks = new Map<number, number>();
  for (const probe of probes) {
    const streak = probe.result === 'failure' ? (streaks.get(probe.pid) ?? 0) + 1 : 0;
    streaks.set(probe.pid, streak);
    longestStreak = Math.max(longestStreak, streak);
  }
  return {
    probes: probes.length,
    failures: probes.filter((p) => p.result === 'failure').length,
    longestStreak,
    slowestMs: probes.length === 0 ? null : Math.max(...probes.map((p) => p.tookMs)),
    backoffsMs: eventsOfType(events, 'restart-backoff').map((r) => r.backoffMs),
  };
}

/** Kills told one by one in the findings; the table counts them all. */
export const MAX_KILLS_TOLD = 5;

/** A probe strategy needs this many probes before its survival means anything. */
export const MIN_PROBES = 2;

/**
 * The longest the kubelet can take to notice a dead loop: the initial delay, two periods (the first
 * failing probe may start up to a period late), failureThreshold - 1 more failing probes (a period
 * apart, or back to back when each waits out a timeout of a period or more) and the last probe's
 * timeout. A loop stalled longer than this at the end, with no kill, was a hang the probe missed.
 */
export function detectionWindowMs(probe: ProbeSettings): number {
  return probe.initialDelayMs + 2 * probe.periodMs + (probe.failureThreshold - 1) * failingProbeSpacingMs(probe, true) + probe.timeoutMs;
}

export interface ProbeOutcomeEvidence {
  kills: readonly Kill[];
  probes: ProbeFindings;
  probe: ProbeSettings;
  openStallAtEndMs: number | null;
  inconclusive: readonly Finding[];
}

export function classifyProbeOutcome(evidence: ProbeOutcomeEvidence): { outcome: StrategyOutcome; why: Finding[] } {
  if (evidence.inconclusive.length > 0) return { outcome: 'inconclusive', why: [...evidence.inconclusive] };
  if (evidence.kills.length > 0) return { outcome: 'killed', why: [] };
  if ((evidence.openStallAtEndMs ?? 0) > detectionWindowMs(evidence.probe)) return { outcome: 'missed-hang', why: [] };
  if (evidence.probes.probes < MIN_PROBES) return { outcome: 'inconclusive', why: [{ kind: 'too-few-probes', seen: evidence.probes.probes, needed: MIN_PROBES }] };
  // One failure short of the threshold: the next busy stretch kills it.
  const nearThreshold = evidence.probes.longestStreak >= Math.max(1, evidence.probe.failureThreshold - 1);
  return { outcome: nearThreshold ? 'at-risk' : 'survived', why: [] };
}

export function longestStallUpTo(events: readonly TraceEvent[], pid: number, untilMs: number): number {
  const own = (ticksByWorker(events).get(pid) ?? []).filter((tick) => tick.t <= untilMs).map((tick) => tick.t);
  return Math.max(0, ...differences(own), untilMs - (own.at(-1) ?? untilMs));
}

export interface ExplainProbeInput {
  strategy: string;
  probe: ProbeSettings;
  outcome: StrategyOutcome;
  kills: readonly Kill[];
  probes: ProbeFindings;
  openStallAtEndMs: number | null;
  longestStallMs: number | null;
  events: readonly TraceEvent[];
}

export function explainProbeStrategy(input: ExplainProbeInput): Finding[] {
  const health = findHealthStrategy(input.strategy);
  if (health === undefined) return [];
  const { probe, probes } = input;
  const base = { probe: health.probe, answeredBy: health.answeredBy };
  if (input.kills.length > 0) {
    // Times count from the first boot, as the table's first kill does.
    const bootT = firstBootMs(input.events) ?? 0;
    const restarts = eventsOfType(input.events, 'restart-backoff');
    const shown = input.kills.slice(0, MAX_KILLS_TOLD);
    return shown.map((kill, index): Finding => {
      const failedProbes = eventsOfType(input.events, 'probe')
        .filter((p) => p.pid === kill.pid && p.t <= kill.atMs && p.result === 'failure')
        .slice(-probe.failureThreshold);
      // Busy or hung: did the loop come back at all while the probes failed (from the first one's start)?
      const streakStart = (failedProbes[0]?.t ?? kill.atMs) - (failedProbes[0]?.tookMs ?? 0);
      // A container that is a master answers through its workers' loops: any of them.
      const loops = loopsOf(input.events, kill.pid, kill.atMs);
      const ticks = ticksByWorker(input.events);
      const ticked = loops.some((pid) => (ticks.get(pid) ?? []).some((tick) => tick.t >= streakStart && tick.t <= kill.atMs));
      const exit = processExits(input.events).find((e) => e.pid === kill.pid && e.t >= kill.atMs);
      // Counted from the SIGTERM (with --stacks the stack is taken between the decision and the signal).
      const sigterm = eventsOfType(input.events, 'signal').find((e) => e.pid === kill.pid && e.signal === 'SIGTERM' && e.t >= kill.atMs);
      return {
        kind: 'liveness-kill',
        ...base,
        killNumber: index + 1,
        kills: input.kills.length,
        atMs: kill.atMs - bootT,
        failureThreshold: probe.failureThreshold,
        periodMs: probe.periodMs,
        probeTimeoutMs: probe.timeoutMs,
        failed: failedProbes.map((p) => ({ atMs: p.t - bootT, tookMs: p.tookMs, detail: p.detail, heartbeatAgeMs: p.heartbeatAgeMs })),
        stallMs: Math.max(0, ...loops.map((pid) => longestStallUpTo(input.events, pid, kill.atMs))),
        loopTickedMeanwhile: ticked,
        exitSignal: kill.exitSignal,
        exitedAfterMs: exit === undefined ? null : exit.t - (sigterm?.t ?? kill.atMs),
        graceMs: livenessKillGraceMs(probe),
        neededSigkill: kill.neededSigkill,
        restartBackoffMs: restarts.find((r) => r.pid === kill.pid)?.backoffMs ?? null,
      };
    });
  }
  if (input.outcome === 'missed-hang') {
    const stallMs = input.openStallAtEndMs ?? 0;
    const end = Math.max(0, ...input.events.map((e) => e.t));
    const passedDuringStall = eventsOfType(input.events, 'probe').filter((p) => p.result === 'success' && p.t >= end - stallMs).length;
    return [{ kind: 'probe-missed-hang', ...base, stallMs, passedDuringStall }];
  }
  return [{
    kind: 'probes-passed',
    ...base,
    probes: probes.probes,
    failures: probes.failures,
    longestStreak: probes.longestStreak,
    failureThreshold: probe.failureThreshold,
    slowestMs: probes.slowestMs,
    probeTimeoutMs: probe.timeoutMs,
    longestStallMs: input.longestStallMs ?? 0,
  }];
}
