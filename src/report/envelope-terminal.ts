// The envelope's maps on a terminal (pure; the caller picks the colour level): the grid envelope.md
// prints, killed cells red and survivors green.

import { Chalk } from 'chalk';
import type { Envelope } from '../sweep/envelope.js';
import { mapLayout } from './envelope-layout.js';
import { MARKS_LEGEND, textGrid } from './envelope-markdown.js';
import { CELL_LEGEND, describeBoundary, describeTiming, envelopeNotes, envelopeParams, envelopeTitle } from './envelope-wording.js';
import type { RenderContext } from './render-context.js';

export function renderEnvelopeTerminal(envelope: Envelope, context: RenderContext): string {
  const chalk = new Chalk({ level: context.colorLevel });
  const sweepDir = context.dir;
  const layout = mapLayout(envelope);
  const lines = [chalk.bold(envelopeTitle(envelope)), chalk.dim(envelopeParams(envelope)), ''];
  for (const strategy of envelope.strategies) {
    const summary = envelope.boundaries.find((b) => b.strategy === strategy);
    lines.push(`  ${chalk.bold(strategy)}${summary === undefined ? '' : chalk.dim(`  ${describeBoundary(summary)}`)}`);
    for (const facet of layout.facets) {
      const g = textGrid(envelope, layout, facet, strategy);
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
