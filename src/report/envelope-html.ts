// envelope.html: one self-contained page (no network, no scripts run): per strategy a heat map of kill
// rates, the measured boundary (solid) and the arithmetic's (dashed) drawn over it, the seed workload
// marked, every cell's figures in its tooltip, and the envelope's JSON embedded.

import { formatAxisValue } from '../sweep/axes.js';
import type { Envelope, StrategyCell } from '../sweep/envelope.js';
import { escapeHtml as e, jsonForScript } from './escape.js';
import { boundaryEdges, cellAt, mapLayout, rowValues, strategyAt, type Facet, type MapLayout, type Side } from './envelope-layout.js';
import { CELL_LEGEND, cellText, describeAxis, describeBoundary, describePrediction, describeTiming, envelopeNotes, envelopeParams, envelopeTitle, MEASURED_RULE, predictionRule } from './envelope-wording.js';
import { formatDuration as d, formatPercent as pct } from './format.js';
import { describeSupervisorJudge } from './wording.js';

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1100px;color:#212121;padding:0 12px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 6px}.params{color:#616161}.note{background:#fff8e1;border-left:6px solid #f9a825;padding:6px 10px;margin:8px 0}
.map{display:block;max-width:100%;height:auto}.cell-text{font-size:12px;text-anchor:middle;dominant-baseline:central}.axis-label{font-size:12px;fill:#424242}
.axis-title{font-size:12px;fill:#212121;font-weight:600}.measured{stroke:#111;stroke-width:3;stroke-linecap:round}.predicted{stroke:#1565c0;stroke-width:2.5;stroke-dasharray:7 5;stroke-linecap:round}.predicted-risk{stroke:#1565c0;stroke-width:1.8;stroke-dasharray:1.5 4;stroke-linecap:round}
.seed{fill:none;stroke:#6a1b9a;stroke-width:2.5}.legend{font-size:12px;fill:#424242}.small{color:#616161;font-size:13px}code{background:#f5f5f5;padding:0 3px}
`;

const CELL_W = 74;
const CELL_H = 40;
const LEFT = 96;
const TOP = 28;

/** Kill rate 0 → pale green, 1 → deep red, through pale yellow. */
export function rateColour(rate: number | null): string {
  if (rate === null) return '#eeeeee';
  const stops: Array<[number, [number, number, number]]> = [
    [0, [232, 245, 233]],
    [0.5, [255, 224, 130]],
    [1, [198, 40, 40]],
  ];
  const [lo, hi] = rate <= 0.5 ? [stops[0], stops[1]] : [stops[1], stops[2]];
  const [a, ca] = lo as [number, [number, number, number]];
  const [b, cb] = hi as [number, [number, number, number]];
  const t = (rate - a) / (b - a);
  const mix = ca.map((c, i) => Math.round(c + (cb[i] as number - c) * t));
  return `rgb(${mix.join(',')})`;
}

function tooltip(envelope: Envelope, label: string, s: StrategyCell | undefined): string {
  if (s === undefined || s.runs === 0) return `${label}: no runs`;
  const interval = s.killRateInterval === null ? '' : ` (95% CI ${pct(s.killRateInterval[0])}–${pct(s.killRateInterval[1])})`;
  return [
    label,
    s.killRate === null ? `${s.runs} runs, none judged` : `killed in ${s.killed}/${s.judged} runs = ${pct(s.killRate)}${interval}`,
    `max heartbeat gap ${d(s.maxGapMs)} (${describeSupervisorJudge(envelope.supervisor)} unless varied)`,
    ...(s.medianFirstKillMs === null ? [] : [`median first kill ${d(s.medianFirstKillMs)}`]),
    `predicted: ${describePrediction(s.predicted)}`,
    ...(s.contendedRuns > 0 ? [`${s.contendedRuns} run(s) on a contended host`] : []),
    ...s.runDirs.slice(0, 6),
  ].join('\n');
}

function heatMap(envelope: Envelope, layout: MapLayout, facet: Facet, strategy: string): string {
  const rows = rowValues(layout);
  const cols = layout.colAxis.values;
  const width = LEFT + cols.length * CELL_W + 16;
  const height = TOP + rows.length * CELL_H + 44;
  const measured: Side[][] = [];
  const predicted: Side[][] = [];
  const atRisk: Side[][] = [];
  const parts: string[] = [];
  rows.forEach((row, j) => {
    measured.push([]);
    predicted.push([]);
    atRisk.push([]);
    const y = TOP + j * CELL_H;
    if (row !== null && layout.rowAxis !== null) parts.push(`<text class="axis-label" x="${LEFT - 8}" y="${y + CELL_H / 2}" text-anchor="end" dominant-baseline="central">${e(formatAxisValue(layout.rowAxis.unit, row))}</text>`);
    cols.forEach((col, i) => {
      const cell = cellAt(envelope, layout, facet, row, col);
      const s = strategyAt(cell, strategy);
      measured[j]?.push(s?.measured ?? null);
      const outcome = s?.predicted?.outcome;
      predicted[j]?.push(outcome === undefined ? null : outcome === 'killed' ? 'killed' : 'survives');
      atRisk[j]?.push(outcome === undefined ? null : outcome === 'survives' ? 'survives' : 'killed');
      const x = LEFT + i * CELL_W;
      const rate = s?.killRate ?? null;
      const label = cell?.label ?? `${layout.colAxis.param}=${formatAxisValue(layout.colAxis.unit, col)}`;
      parts.push(
        `<g class="cell" data-cell="${e(cell?.id ?? '')}" data-kill-rate="${rate === null ? '' : rate}"><title>${e(tooltip(envelope, label, s))}</title>` +
          `<rect x="${x}" y="${y}" width="${CELL_W}" height="${CELL_H}" fill="${rateColour(rate)}" stroke="#ffffff"${s !== undefined && s.contendedRuns > 0 ? ' fill-opacity="0.55"' : ''}/>` +
          `<text class="cell-text" x="${x + CELL_W / 2}" y="${y + CELL_H / 2}" fill="${rate !== null && rate > 0.6 ? '#ffffff' : '#212121'}">${e(cellText(s))}</text>` +
          (cell !== undefined && cell.id === envelope.seed.cellId ? `<circle class="seed" cx="${x + CELL_W / 2}" cy="${y + CELL_H / 2}" r="${CELL_H / 2 - 3}"/>` : '') +
          `</g>`,
      );
    });
  });
  cols.forEach((col, i) => parts.push(`<text class="axis-label" x="${LEFT + i * CELL_W + CELL_W / 2}" y="${TOP + rows.length * CELL_H + 16}" text-anchor="middle">${e(formatAxisValue(layout.colAxis.unit, col))}</text>`));
  const line = (cls: string) => (edge: { x1: number; y1: number; x2: number; y2: number }): string =>
    `<line class="${cls}" x1="${LEFT + edge.x1 * CELL_W}" y1="${TOP + edge.y1 * CELL_H}" x2="${LEFT + edge.x2 * CELL_W}" y2="${TOP + edge.y2 * CELL_H}"/>`;
  parts.push(...boundaryEdges(atRisk).map(line('predicted-risk')), ...boundaryEdges(predicted).map(line('predicted')), ...boundaryEdges(measured).map(line('measured')));
  parts.push(`<text class="axis-title" x="${LEFT + (cols.length * CELL_W) / 2}" y="${TOP + rows.length * CELL_H + 36}" text-anchor="middle">${e(layout.colAxis.param)}</text>`);
  if (layout.rowAxis !== null) parts.push(`<text class="axis-title" x="8" y="${TOP - 10}">${e(layout.rowAxis.param)}</text>`);
  return `<svg class="map" data-strategy="${e(strategy)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${e(`${strategy}: kill rate by ${envelope.axes.map((a) => a.param).join(' and ')}`)}">${parts.join('')}</svg>`;
}

function legend(): string {
  const swatches = [0, 0.25, 0.5, 0.75, 1].map((rate, i) => `<rect x="${i * 46}" y="4" width="44" height="16" fill="${rateColour(rate)}"/><text class="legend" x="${i * 46 + 22}" y="34" text-anchor="middle">${pct(rate)}</text>`).join('');
  const lines =
    `<line class="measured" x1="250" y1="12" x2="290" y2="12"/><text class="legend" x="296" y="16">measured boundary</text>` +
    `<line class="predicted" x1="430" y1="12" x2="470" y2="12"/><text class="legend" x="476" y="16">predicted kill</text>` +
    `<line class="predicted-risk" x1="580" y1="12" x2="620" y2="12"/><text class="legend" x="626" y="16">predicted risk (intermittent)</text>` +
    `<circle class="seed" cx="820" cy="12" r="9"/><text class="legend" x="834" y="16">the scenario's own workload</text>`;
  return `<svg class="map" viewBox="0 0 1040 40" width="1040" height="40" aria-label="legend">${swatches}${lines}</svg>`;
}

export function renderEnvelopeHtml(envelope: Envelope): string {
  const layout = mapLayout(envelope);
  const sections = envelope.strategies.map((strategy) => {
    const summary = envelope.boundaries.find((b) => b.strategy === strategy);
    const maps = layout.facets.map((facet) => `${facet.label === '' ? '' : `<h3>${e(facet.label)}</h3>`}${heatMap(envelope, layout, facet, strategy)}`).join('');
    return `<section class="strategy" data-strategy="${e(strategy)}"><h2><code>${e(strategy)}</code></h2>${summary === undefined ? '' : `<p>${e(describeBoundary(summary))}</p>`}${maps}</section>`;
  });
  const axes = envelope.axes.map((axis) => `<li><code>${e(axis.param)}</code>: ${e(describeAxis(axis.param))}</li>`).join('');
  const timing = describeTiming(envelope);
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${e(envelopeTitle(envelope))}</title><style>${STYLE}</style></head><body>` +
    `<h1>${e(envelopeTitle(envelope))}</h1><p class="params">${e(envelope.description)}</p><p class="params">${e(envelopeParams(envelope))}</p>` +
    envelopeNotes(envelope).map((note) => `<p class="note">${e(note)}</p>`).join('') +
    legend() +
    `<p class="small">${e(CELL_LEGEND)} Hover a cell for its kill rate's interval, gaps, prediction and run directories.</p>` +
    sections.join('') +
    `<h2>How to read it</h2><ul>${axes}</ul><p class="small">${e(MEASURED_RULE)}</p><p class="small">${e(predictionRule(envelope))}</p>` +
    (timing === null ? '' : `<p class="small">${e(timing)}</p>`) +
    `<script type="application/json" id="envelope-data">${jsonForScript(envelope)}</script></body></html>\n`
  );
}
