// The side-by-side table every text renderer prints: one row per figure, one column per strategy.

import { describeExpectation, describeLayout, describeLoadShape, describeRerun, describeSupervisorJudge, REQUEST_OUTCOME_NAMES } from './wording.js';
import { supervisorName, unknownKind } from '../scenario/supervisor.js';
import type { Report, StrategyReport } from './report-schema.js';
import { formatDuration as d, formatPercent, formatRange } from './format.js';

export type Tone = 'good' | 'bad' | 'warn' | 'plain';

export interface Cell {
  text: string;
  tone: Tone;
}

export interface Row {
  label: string;
  cells: Cell[];
}

const plain = (text: string): Cell => ({ text, tone: 'plain' });

function outcomeCell(s: StrategyReport): Cell {
  switch (s.outcome) {
    case 'killed':
      return { text: `KILLED ${s.kills}×`, tone: 'bad' };
    case 'missed-hang':
      return { text: 'MISSED HANG', tone: 'bad' };
    case 'at-risk':
      return { text: 'survived, AT RISK', tone: 'warn' };
    case 'survived':
      return { text: 'survived', tone: 'good' };
    case 'inconclusive':
      // What was seen, without claiming it as the outcome: on a contended host, or before the run stopped.
      if (s.contention?.contended === true) return { text: `UNTRUSTED, host busy${s.kills > 0 ? ` (KILLED ${s.kills}×)` : ''}`, tone: 'warn' };
      return { text: s.kills > 0 ? `inconclusive (KILLED ${s.kills}× before it stopped)` : 'inconclusive', tone: 'warn' };
  }
}

function expectedCell(s: StrategyReport): Cell {
  const text = describeExpectation(s.expected).replace(/ \(.*\)$/, '');
  if (s.met === null) return plain(s.expected === null ? '—' : `${text} ?`);
  return s.met ? { text: `${text} ✓`, tone: 'good' } : { text: `${text} ✗`, tone: 'bad' };
}

function handlersCell(s: StrategyReport): Cell {
  const entries = Object.entries(s.ticks.handlersPerTick).sort(([a], [b]) => Number(a) - Number(b));
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return plain('—');
  const mean = s.ticks.meanHandlersPerTick ?? 0;
  const busiest = entries.filter(([k]) => k !== '0').map(([k, n]) => `${k}:${formatPercent(n / total)}`);
  return plain(`mean ${mean.toFixed(2)}${busiest.length > 0 ? ` (${busiest.slice(0, 4).join(' ')})` : ''}`);
}

function countCell(count: number, badWhenPositive: boolean): Cell {
  return { text: String(count), tone: badWhenPositive && count > 0 ? 'bad' : 'plain' };
}

/** How every renderer colours a verdict. */
export function verdictTone(verdict: Report['verdict']): Tone {
  switch (verdict) {
    case 'as-expected':
      return 'good';
    case 'unexpected':
      return 'bad';
    case 'inconclusive':
      return 'warn';
  }
}

/** The heartbeat's rows under gunicorn. */
type RowMaker = (label: string, cell: (s: StrategyReport) => Cell) => Row;

function heartbeatRows(row: RowMaker): Row[] {
  return [
    row('max heartbeat gap', (s) => ({ text: d(s.maxHeartbeatGapMs), tone: s.marginMs !== null && s.marginMs < 0 ? 'bad' : 'plain' })),
    row('margin to timeout', (s) => ({ text: d(s.marginMs), tone: s.marginMs === null ? 'plain' : s.marginMs < 0 ? 'bad' : s.outcome === 'at-risk' ? 'warn' : 'good' })),
    // Gaps between two heartbeats; the max gap may be the open one a kill ended, which is no such gap.
    row('heartbeat gaps', (s) => plain(s.heartbeatGapsMs.length === 0 && s.maxHeartbeatGapMs !== null ? `none between two (${d(s.maxHeartbeatGapMs)} without one)` : formatRange(s.heartbeatGapsMs))),
  ];
}

/** The liveness probe's rows under the kubelet. */
function probeRows(row: RowMaker, threshold: number): Row[] {
  return [
    row('probes (failed)', (s) => (s.probes === undefined ? plain('—') : { text: `${s.probes.probes} (${s.probes.failures} failed)`, tone: s.probes.failures > 0 ? 'warn' : 'plain' })),
    row('failures in a row', (s) => (s.probes === undefined ? plain('—') : { text: `${s.probes.longestStreak} of ${threshold}`, tone: s.probes.longestStreak >= threshold ? 'bad' : s.probes.longestStreak >= threshold - 1 && s.probes.longestStreak > 0 ? 'warn' : 'good' })),
    row('slowest probe', (s) => plain(d(s.probes?.slowestMs ?? null))),
    row('restart back-offs', (s) => plain(s.probes === undefined || s.probes.backoffsMs.length === 0 ? '—' : s.probes.backoffsMs.map((b) => (b < 1 ? 'none' : d(b))).join(', '))),
  ];
}

/** uvicorn's healthcheck rows: pings sent and unanswered, the slowest answer, the longest between two checks of a child. */
function pingRows(row: RowMaker, timeoutMs: number): Row[] {
  return [
    row('pings (unanswered)', (s) => (s.pings === undefined ? plain('—') : { text: `${s.pings.pings} (${s.pings.unanswered} unanswered)`, tone: s.pings.unanswered > 0 ? 'bad' : 'good' })),
    row('slowest answer', (s) => (s.pings === undefined ? plain('—') : { text: `${d(s.pings.longestWaitMs)} of ${d(timeoutMs)}`, tone: (s.pings.longestWaitMs ?? 0) >= 0.75 * timeoutMs ? 'warn' : 'plain' })),
    row('longest between checks', (s) => plain(d(s.pings?.longestBetweenChecksMs ?? null))),
  ];
}

/** The rows of what judged liveness: heartbeats under gunicorn, probes under the kubelet, pings under uvicorn's manager. */
function judgeRows(supervisor: Report['params']['supervisor'], row: RowMaker): Row[] {
  switch (supervisor.kind) {
    case 'gunicorn':
      return heartbeatRows(row);
    case 'kubelet':
      return supervisor.container === undefined ? probeRows(row, supervisor.probe.failureThreshold) : [...probeRows(row, supervisor.probe.failureThreshold), ...heartbeatRows(row)];
    case 'uvicorn':
      return pingRows(row, supervisor.healthcheckTimeoutMs);
    default:
      return unknownKind(supervisor);
  }
}

export function summaryRows(report: Report): Row[] {
  const row = (label: string, cell: (s: StrategyReport) => Cell): Row => ({ label, cells: report.strategies.map(cell) });
  const r = (s: StrategyReport): StrategyReport['requests'] => s.requests;
  const { supervisor } = report.params;
  return [
    row('outcome', outcomeCell),
    row('expected', expectedCell),
    row('first kill (after boot)', (s) => plain(s.firstKillMs !== null && s.outcome === 'inconclusive' ? `${d(s.firstKillMs)} (seen before it stopped)` : d(s.firstKillMs))),
    ...judgeRows(supervisor, row),
    row('tick interval mean / p99', (s) => plain(`${d(s.ticks.meanIntervalMs)} / ${d(s.ticks.p99IntervalMs)}`)),
    row('longest stall', (s) => plain(d(s.ticks.maxIntervalMs))),
    row('handlers per tick', handlersCell),
    row('loop delay max / p99', (s) => plain(`${d(s.loopDelay.maxMs)} / ${d(s.loopDelay.p99Ms)}`)),
    row('loop utilisation', (s) => plain(s.loopDelay.meanUtilisation === null ? '—' : formatPercent(s.loopDelay.meanUtilisation))),
    // These add up to the requests sent.
    row('requests sent', (s) => plain(String(r(s).sent))),
    row('  completed (2xx)', (s) => plain(String(r(s).completed - r(s).failedStatus))),
    row('  error status', (s) => countCell(r(s).failedStatus, true)),
    row(`  ${REQUEST_OUTCOME_NAMES.reset}`, (s) => countCell(r(s).reset, true)),
    row('  refused / timed out', (s) => countCell(r(s).refused + r(s).timedOut, true)),
    row(`  ${REQUEST_OUTCOME_NAMES['cut-at-end']}`, (s) => plain(String(r(s).cutAtEnd))),
    row('  vanished', (s) => countCell(r(s).vanished, true)),
    row('latency p50 / p99', (s) => plain(`${d(r(s).latencyP50Ms)} / ${d(r(s).latencyP99Ms)}`)),
  ];
}

export function parameterLine(report: Report): string {
  const p = report.params;
  const scale = report.timeScale === 1 ? 'real time' : `time scale ${report.timeScale} (figures in scenario time)`;
  const v = p.versions;
  const stackName = v.pythonStack === undefined || v.pythonStack === 'system' ? '' : `, stack ${v.pythonStack}`;
  const realMaster = p.supervisor.kind === 'gunicorn' ? `, the ${supervisorName(p.supervisor)} rule` : '';
  const realServer = p.supervisor.kind === 'uvicorn' ? `real uvicorn ${v.uvicorn ?? '?'} --workers` : `real gunicorn ${v.gunicorn ?? '?'} + uvicorn ${v.uvicorn ?? '?'}`;
  const master = report.stack === 'real' ? `${realServer} (Python ${v.python ?? '?'}${stackName}${realMaster})` : supervisorName(p.supervisor);
  const judge = describeSupervisorJudge(p.supervisor);
  return `${judge} · ${p.workers} worker${p.workers === 1 ? '' : 's'} · ${master} · ${p.loop} loop · ${p.http ?? 'httptools'} · ${describeLoadShape(p.load)} · ${d(p.durationMs)} · seed ${p.seed} · ${scale} · ${p.strategies.length > 1 ? describeLayout(p.layout) : 'one strategy'}${describeRerun(p.rerunAlone)}`;
}
