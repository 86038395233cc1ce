// Compares two reports of the same scenario, strategy by strategy (pure): before and after a change.

import type { StrategyOutcome } from '../analysis/types.js';
import type { Report, StrategyReport } from './report-schema.js';
import { heartbeatTimeoutMs, supervisorName } from '../scenario/supervisor.js';
import { describeLayout, describeSupervisorJudge } from './wording.js';

/** Better to worse (a higher rank is worse); a missed hang is as bad as a kill. `inconclusive` has no rank: it is a re-run. */
const OUTCOME_RANK: Record<Exclude<StrategyOutcome, 'inconclusive'>, number> = { survived: 0, 'at-risk': 1, 'missed-hang': 2, killed: 2 };
/** A margin that shrinks by less than this share of the timeout is noise, not a regression. */
export const MARGIN_NOISE_SHARE = 0.05;

export interface StrategyDelta {
  name: string;
  before: StrategyReport;
  after: StrategyReport;
  killsDelta: number;
  maxGapDeltaMs: number | null;
  marginDeltaMs: number | null;
  failedDelta: number;
  /** What got worse, in words; empty when nothing did. */
  worse: string[];
  /** Either side is inconclusive (or its run was interrupted): nothing can be said until it is re-run. */
  inconclusive: boolean;
}

export interface ReportDiff {
  scenario: string;
  timeoutMs: number;
  before: Report;
  after: Report;
  strategies: StrategyDelta[];
  onlyBefore: string[];
  onlyAfter: string[];
  /** Parameters that differ between the runs ("timeout 30 s → 10 s"): said first, they may explain everything else. */
  paramChanges: string[];
  worse: boolean;
  /** Some strategy cannot be compared: re-run (exit 3), never "nothing got worse". */
  inconclusive: boolean;
}

export function failedCount(strategy: StrategyReport): number {
  const r = strategy.requests;
  return r.reset + r.refused + r.timedOut + r.vanished + r.failedStatus;
}

const delta = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : b - a);

function compareStrategy(before: StrategyReport, after: StrategyReport, timeoutMs: number, interrupted: boolean): StrategyDelta {
  const worse: string[] = [];
  const inconclusive = interrupted || before.outcome === 'inconclusive' || after.outcome === 'inconclusive';
  if (before.outcome !== 'inconclusive' && after.outcome !== 'inconclusive' && OUTCOME_RANK[after.outcome] > OUTCOME_RANK[before.outcome]) worse.push(`${before.outcome} → ${after.outcome}`);
  if (before.met === true && after.met === false) worse.push('no longer as expected');
  if (after.kills > before.kills) worse.push(`kills ${before.kills} → ${after.kills}`);
  const marginDeltaMs = delta(before.marginMs, after.marginMs);
  if (marginDeltaMs !== null && marginDeltaMs < -MARGIN_NOISE_SHARE * timeoutMs) worse.push('margin shrank');
  const failedDelta = failedCount(after) - failedCount(before);
  if (failedDelta > 0) worse.push(`failed requests +${failedDelta}`);
  return {
    name: before.name,
    before,
    after,
    killsDelta: after.kills - before.kills,
    maxGapDeltaMs: delta(before.maxHeartbeatGapMs, after.maxHeartbeatGapMs),
    marginDeltaMs,
    failedDelta,
    worse,
    inconclusive,
  };
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(3))} s`;

function describeSupervisor(supervisor: Report['params']['supervisor']): string {
  return `${supervisorName(supervisor)}, ${describeSupervisorJudge(supervisor)}`;
}

/** What the two runs were asked to do differently. */
function paramChanges(before: Report, after: Report): string[] {
  const pairs: Array<[string, string, string]> = [
    ['stack', before.stack, after.stack],
    ['time scale', String(before.timeScale), String(after.timeScale)],
    ['supervisor', describeSupervisor(before.params.supervisor), describeSupervisor(after.params.supervisor)],
    ['clients', String(before.params.load.clients), String(after.params.load.clients)],
    ['think time', seconds(before.params.load.thinkMs), seconds(after.params.load.thinkMs)],
    ['workers', String(before.params.workers), String(after.params.workers)],
    ['strategies ran', describeLayout(before.params.layout), describeLayout(after.params.layout)],
    ['loop', before.params.loop, after.params.loop],
    ['duration', seconds(before.params.durationMs), seconds(after.params.durationMs)],
    ['seed', String(before.params.seed), String(after.params.seed)],
    ['routes', JSON.stringify(before.params.load.routes), JSON.stringify(after.params.load.routes)],
  ];
  return pairs.filter(([, a, b]) => a !== b).map(([name, a, b]) => (name === 'routes' ? 'routes changed' : `${name} ${a} → ${b}`));
}

export function diffReports(before: Report, after: Report): ReportDiff {
  const names = after.strategies.map((s) => s.name);
  const strategies = before.strategies.flatMap((b) => {
    const a = after.strategies.find((s) => s.name === b.name);
    return a === undefined ? [] : [compareStrategy(b, a, heartbeatTimeoutMs(after.params.supervisor), before.interrupted || after.interrupted)];
  });
  return {
    scenario: after.scenario,
    timeoutMs: heartbeatTimeoutMs(after.params.supervisor),
    before,
    after,
    strategies,
    onlyBefore: before.strategies.map((s) => s.name).filter((name) => !names.includes(name)),
    onlyAfter: names.filter((name) => !before.strategies.some((s) => s.name === name)),
    paramChanges: paramChanges(before, after),
    worse: strategies.some((s) => s.worse.length > 0),
    inconclusive: strategies.some((s) => s.inconclusive),
  };
}
