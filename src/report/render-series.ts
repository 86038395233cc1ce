// The summary of repeated runs: kill rates with their interval and the spread of max gaps, for the
// terminal (a string; the caller picks the colour level), Markdown and JUnit.

import { Chalk } from 'chalk';
import type { SeriesSummary, StrategySeries } from '../analysis/aggregate-series.js';
import { formatDuration as d } from './format.js';
import type { ColorLevel } from './render-terminal.js';
import { describeExpectation, verdictLabel } from './wording.js';

const pct = (share: number): string => `${Math.round(share * 100)}%`;

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

export function headlineOfSeries(series: SeriesSummary): string {
  const parts = series.strategies.map((s) => `${s.name} killed in ${s.killedRuns} of ${s.judged} runs`);
  const inconclusive = series.strategies.reduce((n, s) => Math.max(n, s.inconclusive), 0);
  return `${parts.join('; ')}${inconclusive > 0 ? `; ${inconclusive} run(s) inconclusive` : ''}.`;
}

export function renderSeriesTerminal(series: SeriesSummary, colorLevel: ColorLevel): string {
  const chalk = new Chalk({ level: colorLevel });
  const lines = [`${chalk.bold('starve-lab')} ${chalk.cyan(series.scenario)} × ${series.runs} runs (time scale ${series.timeScale})`, ''];
  for (const s of series.strategies) {
    lines.push(`  ${chalk.bold(s.name)}`);
    for (const [label, value] of rows(s)) lines.push(`    ${chalk.dim(label.padEnd(20))}${s.met === false && label === 'expected' ? chalk.red.bold(value) : value}`);
  }
  const paint = series.verdict === 'as-expected' ? chalk.green.bold : series.verdict === 'unexpected' ? chalk.red.bold : chalk.yellow.bold;
  lines.push('', `${paint(verdictLabel(series.verdict))}  ${headlineOfSeries(series)}`);
  return `${lines.join('\n')}\n`;
}

export function renderSeriesMarkdown(series: SeriesSummary): string {
  const esc = (text: string): string => text.replace(/\|/g, '\\|').replace(/</g, '&lt;');
  const lines = [
    `## starve-lab: ${esc(series.scenario)} × ${series.runs} runs`,
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
