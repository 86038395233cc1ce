// Markdown for a pull-request comment or a CI job summary: the same table and words as the terminal.

import type { Report } from './report-schema.js';
import { parameterLine, summaryRows } from './summary-rows.js';
import { escapeMarkdown as escapeCell } from './escape.js';
import { describeFindings, verdictLabel } from './wording.js';

export function renderMarkdown(report: Report): string {
  const rows = summaryRows(report);
  const lines: string[] = [];
  lines.push(`## starve-lab: ${escapeCell(report.scenario)}${report.interrupted ? ' (interrupted)' : ''}`);
  lines.push('');
  if (report.description !== '') lines.push(`${escapeCell(report.description)}`, '');
  lines.push(`_${escapeCell(parameterLine(report))}_`);
  lines.push('');
  lines.push(`**${verdictLabel(report.verdict)}**: ${escapeCell(report.headline)}`);
  lines.push('');
  lines.push(`| | ${report.strategies.map((s) => `\`${escapeCell(s.name)}\``).join(' | ')} |`);
  lines.push(`|---|${report.strategies.map(() => '---').join('|')}|`);
  for (const row of rows) lines.push(`| ${row.label} | ${row.cells.map((cell) => escapeCell(cell.text)).join(' | ')} |`);
  lines.push('');
  lines.push('### Why');
  lines.push('');
  for (const s of report.strategies) for (const why of describeFindings(s.findings)) lines.push(`- **${escapeCell(s.name)}**: ${escapeCell(why)}`);
  if (report.params.realStack !== '') {
    lines.push('', '### Real stack', '', escapeCell(report.params.realStack));
  }
  if (report.traceProblems.length > 0) {
    lines.push('', `### Unreadable trace lines (${report.traceProblems.length})`, '');
    for (const problem of report.traceProblems.slice(0, 20)) lines.push(`- ${escapeCell(problem)}`);
  }
  lines.push('', `<sub>starve-lab ${escapeCell(report.params.versions.starveLab)} · Node ${escapeCell(report.params.versions.node)} · started ${escapeCell(report.params.startedAt)}</sub>`, '');
  return lines.join('\n');
}
