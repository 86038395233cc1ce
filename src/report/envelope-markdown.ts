// envelope.md (pure): per strategy a table of kill counts, first axis down, second across, with the
// seed workload and the cells where the arithmetic was wrong marked; the terminal draws the same grid.

import { formatAxisValue } from '../sweep/axes.js';
import type { Envelope, StrategyCell } from '../sweep/envelope.js';
import { escapeMarkdown as esc } from './escape.js';
import { cellAt, mapLayout, rowValues, strategyAt, type Facet, type MapLayout } from './envelope-layout.js';
import { CELL_LEGEND, cellText, describeBoundary, describeTiming, envelopeNotes, envelopeParams, envelopeTitle, MEASURED_RULE, predictionRule } from './envelope-wording.js';

export const MARKS = { seed: '◆', worse: '▲', better: '▽' } as const;
export const MARKS_LEGEND = `${MARKS.seed} the scenario's own workload; ${MARKS.worse} killed where the arithmetic predicted no kill (reality worse); ${MARKS.better} survived where it predicted a kill.`;

function marks(envelope: Envelope, cellId: string | undefined, s: StrategyCell | undefined): string {
  let text = '';
  if (s?.measured === 'killed' && s.predicted !== null && s.predicted.outcome !== 'killed') text += MARKS.worse;
  if (s?.measured === 'survives' && s.predicted?.outcome === 'killed') text += MARKS.better;
  if (cellId !== undefined && cellId === envelope.seed.cellId) text += MARKS.seed;
  return text;
}

export interface Grid {
  corner: string;
  columns: string[];
  rows: Array<{ label: string; cells: Array<{ text: string; side: StrategyCell['measured'] }> }>;
}

export function textGrid(envelope: Envelope, layout: MapLayout, facet: Facet, strategy: string): Grid {
  const { rowAxis, colAxis } = layout;
  return {
    corner: rowAxis === null ? colAxis.param : `${rowAxis.param} \\ ${colAxis.param}`,
    columns: colAxis.values.map((v) => formatAxisValue(colAxis.unit, v)),
    rows: rowValues(layout).map((row) => ({
      label: row === null || rowAxis === null ? '' : formatAxisValue(rowAxis.unit, row),
      cells: colAxis.values.map((col) => {
        const cell = cellAt(envelope, layout, facet, row, col);
        const s = strategyAt(cell, strategy);
        const text = `${cellText(s)}${marks(envelope, cell?.id, s)}`;
        return { text: text === '' ? '·' : text, side: s?.measured ?? null };
      }),
    })),
  };
}

export function renderEnvelopeMarkdown(envelope: Envelope): string {
  const layout = mapLayout(envelope);
  const lines = [`## ${esc(envelopeTitle(envelope))}`, '', esc(envelopeParams(envelope)), ''];
  for (const note of envelopeNotes(envelope)) lines.push(`> ${esc(note)}`, '');
  for (const strategy of envelope.strategies) {
    const summary = envelope.boundaries.find((b) => b.strategy === strategy);
    lines.push(`### \`${esc(strategy)}\``, '');
    if (summary !== undefined) lines.push(esc(describeBoundary(summary)), '');
    for (const facet of layout.facets) {
      const g = textGrid(envelope, layout, facet, strategy);
      if (facet.label !== '') lines.push(`*${esc(facet.label)}*`, '');
      lines.push(`| ${esc(g.corner)} | ${g.columns.map(esc).join(' | ')} |`, `|---|${g.columns.map(() => '---:').join('|')}|`);
      for (const row of g.rows) lines.push(`| ${esc(row.label)} | ${row.cells.map((c) => (c.side === 'killed' ? `**${esc(c.text)}**` : esc(c.text))).join(' | ')} |`);
      lines.push('');
    }
  }
  const timing = describeTiming(envelope);
  lines.push(esc(CELL_LEGEND), esc(MARKS_LEGEND), '', esc(MEASURED_RULE), '', esc(predictionRule(envelope)));
  if (timing !== null) lines.push('', esc(timing));
  return `${lines.join('\n')}\n`;
}
