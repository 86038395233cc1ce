// The summary of repeated runs: kill rates with their interval and the spread of max gaps, for the
// terminal (a string; the caller picks the colour level), Markdown and JUnit.

import { Chalk } from 'chalk';
import type { SeriesSummary, StrategySeries } from './aggregate-series.js';
import { escapeMarkdown as esc } from './escape.js';
import { formatDuration as d, formatPercent as pct } from './format.js';
import { paint } from './render-terminal.js';
import type { RenderContext } from './render-context.js';
import { verdictTone } from './summary-rows.js';
import { describeExpectation, headlineOfSeries, verdictLabel } from './wording.js';

function rows(s: StrategySeries): Array<[string, string]> {
  const interval = s.killRateInterval === null ? '' : ` (95% CI ${pct(s.killRateInterval[0])}–${pct(s.killRateInterval[1])})`;
  const expectation = s.expected === null ? '—' : `${describeExpectation(s.expected)}${s.met === null ? ' ?' : s.met ? ' ✓' : ' ✗'}`;
  return [
    ['killed in', s.killRate === null ? '—' : `${s.killedRuns}/${s.judged} runs = ${pct(s.killRate)}${interval}`],
    ['max heartbeat gap', s.maxGap === null ? '—' : `min ${d(s.maxGap.min)}, median ${d(s.maxGap.p50)}, max ${d(s.maxGap.max)}`],
    ['outcomes', Object.entries(s.outcomes).map(([outcome, count]) => `${outcome} ${count}`).join(', ')],
    ['expected', expectation],
  ];
}

export function renderSeriesTerminal(series: SeriesSummary, context: RenderContext): string {
  const chalk = new Chalk({ level: context.colorLevel });
  const runs = series.runs === series.requested ? `${series.runs} runs` : `${series.runs} of ${series.requested} runs`;
  const lines = [`${chalk.bold('starve-lab')} ${chalk.cyan(series.scenario)} × ${runs} (time scale ${series.timeScale})${series.interrupted ? chalk.yellow('  (interrupted)') : ''}`, ''];
  for (const s of series.strategies) {
    lines.push(`  ${chalk.bold(s.name)}`);
    for (const [label, value] of rows(s)) lines.push(`    ${chalk.dim(label.padEnd(20))}${s.met === false && label === 'expected' ? chalk.red.bold(value) : value}`);
  }
  lines.push('', `${paint(chalk, verdictTone(series.verdict), chalk.bold(verdictLabel(series.verdict)))}  ${headlineOfSeries(series)}`);
  if (context.dir !== undefined) lines.push('', `Series directory ${context.dir}`);
  return `${lines.join('\n')}\n`;
}

export function renderSeriesMarkdown(series: SeriesSummary): string {
  const lines = [
    `## starve-lab: ${esc(series.scenario)} × ${series.runs} runs${series.interrupted ? ' (interrupted)' : ''}`,
    '',
    `**${verdictLabel(series.verdict)}**: ${esc(headlineOfSeries(series))}`,
    '',
    `| | ${series.strategies.map((s) => `\`${esc(s.name)}\``).join(' | ')} |`,
    `|---|${series.strategies.map(() => '---').join('|')}|`,
  ];
  const table = series.strategies.map(rows);
  (table[0] ?? []).forEach(([label], i) => lines.push(`| ${label} | ${table.map((r) => esc(r[i]?.[1] ?? '')).join(' | ')} |`));
  return `${lines.join('\n')}\n`;
}
