// The terminal summary: strategies side by side, the verdict and why. Returns a string; the caller
// picks the colour level from the stream it writes to (0 = no colour).

import { Chalk, type ChalkInstance } from 'chalk';
import type { Report } from './report-schema.js';
import { parameterLine, summaryRows, verdictTone, type Tone } from './summary-rows.js';
import { describeFindings, verdictLabel } from './wording.js';

import type { RenderContext } from './render-context.js';

export type { ColorLevel } from './render-context.js';

/** How every coloured renderer paints a tone. */
export function paint(chalk: ChalkInstance, tone: Tone, text: string): string {
  switch (tone) {
    case 'good':
      return chalk.green(text);
    case 'bad':
      return chalk.red.bold(text);
    case 'warn':
      return chalk.yellow(text);
    case 'plain':
      return text;
  }
}

export function renderTerminal(report: Report, context: RenderContext): string {
  const chalk = new Chalk({ level: context.colorLevel });
  const rows = summaryRows(report);
  const labelWidth = Math.max(...rows.map((row) => row.label.length)) + 2;
  const widths = report.strategies.map((s, i) => Math.max(s.name.length, ...rows.map((row) => row.cells[i]?.text.length ?? 0)) + 3);
  const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - [...text].length));
  const lines: string[] = [];
  lines.push(`${chalk.bold('starve-lab')} ${chalk.cyan(report.scenario)}${report.interrupted ? chalk.yellow('  (interrupted)') : ''}`);
  lines.push(chalk.dim(parameterLine(report)));
  lines.push('');
  lines.push(`  ${pad('', labelWidth)}${report.strategies.map((s, i) => chalk.bold(pad(s.name, widths[i] ?? 0))).join('')}`);
  for (const row of rows) {
    const cells = row.cells.map((cell, i) => paint(chalk, cell.tone, pad(cell.text, widths[i] ?? 0)));
    lines.push(`  ${chalk.dim(pad(row.label, labelWidth))}${cells.join('')}`);
  }
  lines.push('');
  lines.push(`${paint(chalk, verdictTone(report.verdict), chalk.bold(verdictLabel(report.verdict)))}  ${report.headline}`);
  lines.push('');
  lines.push(chalk.bold('Why'));
  for (const s of report.strategies) {
    for (const why of describeFindings(s.findings)) lines.push(`  ${chalk.cyan(s.name)}: ${why}`);
  }
  if (report.params.realStack !== '') {
    lines.push('');
    lines.push(`${chalk.bold('Real stack')}  ${report.params.realStack}`);
  }
  if (report.traceProblems.length > 0) {
    lines.push('');
    lines.push(chalk.yellow(`Unreadable trace lines (${report.traceProblems.length}), left out of the figures:`));
    for (const problem of report.traceProblems.slice(0, 5)) lines.push(chalk.yellow(`  ${problem}`));
  }
  if (context.dir !== undefined) {
    lines.push('');
    lines.push(`${chalk.dim('Run directory')} ${context.dir}`);
    // Joined by hand: this module stays free of node:path (pure core).
    lines.push(`${chalk.dim('Open the report')} ${context.dir.replace(/\/$/, '')}/report.html`);
  }
  return `${lines.join('\n')}\n`;
}
