// Every sentence the envelope's renderers print, in one place (as wording.ts is for one run).

import { formatAxisValue, SWEEP_PARAMS } from '../sweep/axes.js';
import type { Envelope, StrategyBoundarySummary, StrategyCell } from '../sweep/envelope.js';
import type { Prediction } from '../sweep/predict.js';
import { formatDuration as d, formatPercent as pct, plural } from './format.js';
import { supervisorName, unknownKind } from '../scenario/supervisor.js';
import { describeSupervisorJudge } from './wording.js';

/** A cell as text: kills over judged runs, `~` when the host distorted a run, `?` when none could be judged. */
export function cellText(cell: StrategyCell | undefined): string {
  if (cell === undefined || cell.runs === 0) return '';
  const mark = cell.contendedRuns > 0 ? '~' : '';
  return cell.judged === 0 ? `?${mark}` : `${cell.killed}/${cell.judged}${mark}`;
}

export function describeAxis(param: string): string {
  return SWEEP_PARAMS.find((p) => p.name === param)?.meaning ?? param;
}

export function envelopeTitle(envelope: Envelope): string {
  return `Survival envelope: ${envelope.scenario}`;
}

export function envelopeParams(envelope: Envelope): string {
  const axes = envelope.axes.map((axis) => `${axis.param} ${axis.values.map((v) => formatAxisValue(axis.unit, v)).join(', ')}`).join('; ');
  const cells = envelope.cells.length === envelope.cellCount ? `${envelope.cellCount} cells` : `${envelope.cells.length} of ${envelope.cellCount} cells`;
  return `${cells} (${axes}); ${describeSupervisorJudge(envelope.supervisor)} unless varied, ${supervisorName(envelope.supervisor)}, ${envelope.loop}, ${envelope.stack === 'real' ? 'real gunicorn + uvicorn' : 'model'}, time scale ${envelope.timeScale}; runs per cell ${envelope.repeat.base}, ${envelope.repeat.near} near a boundary, up to ${envelope.repeat.max} where outcomes are mixed`;
}

export const PREDICTION_RULE =
  "Predicted: the rules' arithmetic (docs/semantics.md §2) with one handler between two ticks, the best case: the loop is busy a share rho = clients × handler / (handler + think) per worker, ticks every 100 ms while idle and once per handler while busy; tick-count dies once its heartbeat's timeout/2 ÷ 100 ms ticks outlast the timeout (ticks averaging more than timeout/150), wall-clock once a 10-tick window outlasts the timeout (at risk from a window of a quarter of it), every-tick once one handler does, and any rule on the loop once a single stall outlasts the timeout. The real loop runs more than one handler between ticks when requests queue (uvloop: every request its poll found; asyncio: more), so reality can be worse than predicted, not better.";

export const PROBE_PREDICTION_RULE =
  "Predicted under the kubelet: the same best case, one handler holding the loop at a time. A probe answered on the loop fails when it waits longer than timeoutSeconds, the health thread's when the loop's last tick is older than loopStaleMs, the exec probe's when the heartbeat file is older than maxHeartbeatAgeMs; a stall past that can fail a probe (at risk: which probes land in it is the probe ticker's phase), and one longer than that limit plus (failureThreshold − 1) periods kills whatever the phase (failing probes on the loop come a timeout apart when the timeout is a period or more: the kubelet's ticker starts the next probe as soon as a slow one ends). tcpSocket never fails. Requests queued on the loop make the wait longer, so reality can be worse than predicted, not better.";

/** The arithmetic behind this envelope's predicted boundary. */
export function predictionRule(envelope: Envelope): string {
  switch (envelope.supervisor.kind) {
    case 'gunicorn':
      return PREDICTION_RULE;
    case 'kubelet':
      return PROBE_PREDICTION_RULE;
    case 'uvicorn':
      return "No prediction under uvicorn's process manager: how long its answering thread waits for the GIL behind queued handlers is measured, not computed.";
    default:
      return unknownKind(envelope.supervisor);
  }
}

export const MEASURED_RULE = 'Measured boundary (solid): between cells killed in at least half their judged runs and cells killed in fewer. Predicted (blue): dashed where the arithmetic starts to kill, dotted where it starts to put the worker at risk (a kill that depends on alignment, so intermittent).';

export function describePrediction(prediction: Prediction | null): string {
  if (prediction === null) return 'no prediction (the arithmetic covers the heartbeat rules and health strategies only)';
  const why: Record<Prediction['limit'], string> = {
    'tick-count': `counted ticks at a mean ${d(prediction.meanTickMs)} give a gap of ${d(prediction.gapMs)}`,
    window: `a 10-tick window of ${d(prediction.windowMs)} gives a gap of up to ${d(prediction.gapMs)}`,
    'single-stall': `one handler stalls the loop ${d(prediction.windowMs ?? prediction.gapMs)}`,
    interval: `its notify interval alone reaches the timeout`,
    probe: `one handler stalls the loop ${d(prediction.gapMs)}, longer than its probe tolerates`,
    none: `gap ${d(prediction.gapMs)}`,
  };
  return `${prediction.outcome} (loop busy ${pct(prediction.loopBusy)}; ${why[prediction.limit]})`;
}

export function describeBoundary(summary: StrategyBoundarySummary): string {
  const risk = summary.predictedAtRiskCells > 0 ? `, ${summary.predictedAtRiskCells} more at risk` : '';
  const predicted = summary.predictedCells === 0 ? 'no prediction' : `predicted: ${summary.predictedKilledCells}${risk}`;
  const parts = [`killed in ${summary.killedCells} of ${summary.cells} cells (${predicted})`];
  if (summary.worseThanPredicted.length > 0) parts.push(`worse than the arithmetic in ${plural(summary.worseThanPredicted.length, 'cell')}`);
  if (summary.betterThanPredicted.length > 0) parts.push(`better than predicted in ${plural(summary.betterThanPredicted.length, 'cell')} (a short run can miss a late kill)`);
  return parts.join('; ');
}

export function envelopeNotes(envelope: Envelope): string[] {
  const notes: string[] = [];
  if (envelope.interrupted) notes.push('The sweep was cut short: cells without runs are listed as missing. The same command with --resume (and the same --out) goes on with it.');
  if (envelope.missingCells.length > 0) notes.push(`Missing ${plural(envelope.missingCells.length, 'cell')}: ${envelope.missingCells.slice(0, 12).join(', ')}${envelope.missingCells.length > 12 ? ', …' : ''}.`);
  if (envelope.shard !== null) notes.push(`This is shard ${envelope.shard.index}/${envelope.shard.count}: it holds every ${envelope.shard.count === 1 ? '' : `${envelope.shard.count}th `}cell; \`starve-lab merge\` combines the shards.`);
  if (envelope.mergedFrom.length > 0) notes.push(`Merged from ${envelope.mergedFrom.map((s) => `${s.index}/${s.count}`).join(', ')}.`);
  const c = envelope.contention;
  if (c.discardedRuns > 0) notes.push(`The host was contended: ${plural(c.discardedRuns, 'run')} thrown away and re-run with fewer cells at a time (${c.parallelRequested} → ${c.parallelFinal}).`);
  if (c.contendedRuns > 0) notes.push(`${plural(c.contendedRuns, 'run')} still ran on a contended host (marked ~): their tick timing is distorted; re-run those cells on a quieter machine.`);
  if (!envelope.seed.onGrid) notes.push(`The scenario's own workload (${Object.entries(envelope.seed.values).map(([k, v]) => `${k}=${v}`).join(' ')}) lies off this grid.`);
  return notes;
}

export function describeTiming(envelope: Envelope): string | null {
  const t = envelope.timing;
  if (t === null) return null;
  const discarded = envelope.contention.discardedRuns > 0 ? ', runs thrown away included' : '';
  return `${plural(t.runs, 'run')} in ${d(t.wallMs)}; the sweep's own time with no kept run going ${d(t.overheadMs)} (${pct(t.wallMs === 0 ? 0 : t.overheadMs / t.wallMs)}${discarded})`;
}

export const CELL_LEGEND = 'Each cell: runs killed / runs judged (~: the host distorted a run, ?: none could be judged).';
