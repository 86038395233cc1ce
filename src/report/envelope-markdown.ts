// envelope.md and the terminal's maps (pure): per strategy a table of kill counts, first axis down,
// second across, with the seed workload and the cells where the arithmetic was wrong marked.

import { Chalk } from 'chalk';
import { formatAxisValue } from '../sweep/axes.js';
import type { Envelope, StrategyCell } from '../sweep/envelope.js';
import { escapeMarkdown as esc } from './escape.js';
import { cellAt, mapLayout, rowValues, strategyAt, type Facet, type MapLayout } from './envelope-layout.js';
import { CELL_LEGEND, cellText, describeBoundary, describeTiming, envelopeNotes, envelopeParams, envelopeTitle, MEASURED_RULE, PREDICTION_RULE } from './envelope-wording.js';
import type { ColorLevel } from './render-terminal.js';

export const MARKS = { seed: '◆', worse: '▲', better: '▽' } as const;
export const MARKS_LEGEND = `${MARKS.seed} the scenario's own workload; ${MARKS.worse} killed where the arithmetic predicted no kill (reality worse); ${MARKS.better} survived where it predicted a kill.`;

function marks(envelope: Envelope, cellId: string | undefined, s: StrategyCell | undefined): string {
  let text = '';
  if (s?.measured === 'killed' && s.predicted !== null && s.predicted.outcome !== 'killed') text += MARKS.worse;
  if (s?.measured === 'survives' && s.predicted?.outcome === 'killed') text += MARKS.better;
  if (cellId !== undefined && cellId === envelope.seed.cellId) text += MARKS.seed;
  return text;
}

interface Grid {
  corner: string;
  columns: string[];
  rows: Array<{ label: string; cells: Array<{ text: string; side: StrategyCell['measured'] }> }>;
}

function grid(envelope: Envelope, layout: MapLayout, facet: Facet, strategy: string): Grid {
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
      const g = grid(envelope, layout, facet, strategy);
      if (facet.label !== '') lines.push(`*${esc(facet.label)}*`, '');
      lines.push(`| ${esc(g.corner)} | ${g.columns.map(esc).join(' | ')} |`, `|---|${g.columns.map(() => '---:').join('|')}|`);
      for (const row of g.rows) lines.push(`| ${esc(row.label)} | ${row.cells.map((c) => (c.side === 'killed' ? `**${esc(c.text)}**` : esc(c.text))).join(' | ')} |`);
      lines.push('');
    }
  }
  const timing = describeTiming(envelope);
  lines.push(esc(CELL_LEGEND), esc(MARKS_LEGEND), '', esc(MEASURED_RULE), '', esc(PREDICTION_RULE));
  if (timing !== null) lines.push('', esc(timing));
  return `${lines.join('\n')}\n`;
}

export function renderEnvelopeTerminal(envelope: Envelope, colorLevel: ColorLevel, sweepDir?: string): string {
  const chalk = new Chalk({ level: colorLevel });
  const layout = mapLayout(envelope);
  const lines = [chalk.bold(envelopeTitle(envelope)), chalk.dim(envelopeParams(envelope)), ''];
  for (const strategy of envelope.strategies) {
    const summary = envelope.boundaries.find((b) => b.strategy === strategy);
    lines.push(`  ${chalk.bold(strategy)}${summary === undefined ? '' : chalk.dim(`  ${describeBoundary(summary)}`)}`);
    for (const facet of layout.facets) {
      const g = grid(envelope, layout, facet, strategy);
      if (facet.label !== '') lines.push(`    ${chalk.dim(facet.label)}`);
      const width = Math.max(6, ...g.columns.map((c) => c.length + 1), ...g.rows.flatMap((r) => r.cells.map((c) => c.text.length + 1)));
      const labelWidth = Math.max(g.corner.length, ...g.rows.map((r) => r.label.length)) + 2;
      lines.push(`    ${chalk.dim(g.corner.padEnd(labelWidth))}${g.columns.map((c) => chalk.dim(c.padStart(width))).join('')}`);
      for (const row of g.rows) {
        const cells = row.cells.map((c) => {
          const text = c.text.padStart(width);
          return c.side === 'killed' ? chalk.red.bold(text) : c.side === 'survives' ? chalk.green(text) : chalk.dim(text);
        });
        lines.push(`    ${row.label.padEnd(labelWidth)}${cells.join('')}`);
      }
    }
    lines.push('');
  }
  for (const note of envelopeNotes(envelope)) lines.push(chalk.yellow(note));
  lines.push(chalk.dim(CELL_LEGEND), chalk.dim(MARKS_LEGEND));
  const timing = describeTiming(envelope);
  if (timing !== null) lines.push(chalk.dim(timing));
  if (sweepDir !== undefined) lines.push(`Sweep directory ${sweepDir} (envelope.html, envelope.md, envelope.csv, envelope.json)`);
  return `${lines.join('\n')}\n`;
}
