// The diff of two runs, for the terminal and for Markdown: one row per strategy and figure.

import { Chalk } from 'chalk';
import type { ReportDiff, StrategyDelta } from './diff-reports.js';
import { failedCount } from './diff-reports.js';
import { formatDuration as d } from './format.js';
import type { RenderContext } from './render-context.js';
import { describeOutcome } from './wording.js';

interface DiffRow {
  strategy: string;
  figure: string;
  before: string;
  after: string;
  change: string;
}

const signed = (value: number | null, format: (v: number) => string): string => (value === null ? '—' : value === 0 ? '=' : `${value > 0 ? '+' : '−'}${format(Math.abs(value))}`);

function rowsOf(s: StrategyDelta): DiffRow[] {
  const outcome = (r: StrategyDelta['before']): string => describeOutcome(r.outcome, r.kills, r.contention?.contended === true);
  return [
    { strategy: s.name, figure: 'outcome', before: outcome(s.before), after: outcome(s.after), change: s.worse.length > 0 ? `WORSE: ${s.worse.join(', ')}` : s.inconclusive ? 'inconclusive: re-run' : '' },
    { strategy: '', figure: 'kills', before: String(s.before.kills), after: String(s.after.kills), change: signed(s.killsDelta, String) },
    { strategy: '', figure: 'max heartbeat gap', before: d(s.before.maxHeartbeatGapMs), after: d(s.after.maxHeartbeatGapMs), change: signed(s.maxGapDeltaMs, d) },
    { strategy: '', figure: 'margin to timeout', before: d(s.before.marginMs), after: d(s.after.marginMs), change: signed(s.marginDeltaMs, d) },
    { strategy: '', figure: 'failed requests', before: String(failedCount(s.before)), after: String(failedCount(s.after)), change: signed(s.failedDelta, String) },
  ];
}

function summaryLine(diff: ReportDiff): string {
  const worse = diff.strategies.filter((s) => s.worse.length > 0).map((s) => s.name);
  const unsure = diff.strategies.filter((s) => s.inconclusive).map((s) => s.name);
  const parts: string[] = [];
  if (worse.length > 0) parts.push(`Worse in the second run: ${worse.join(', ')}.`);
  if (unsure.length > 0) parts.push(`Inconclusive for ${unsure.join(', ')} (a run was interrupted or could not decide): re-run before comparing.`);
  if (parts.length === 0) parts.push('Nothing got worse in the second run.');
  return parts.join(' ');
}

function paramLines(diff: ReportDiff): string[] {
  return diff.paramChanges.length === 0 ? [] : [`The runs differ in: ${diff.paramChanges.join('; ')}.`, ''];
}

export function renderDiffTerminal(diff: ReportDiff, context: RenderContext): string {
  const chalk = new Chalk({ level: context.colorLevel });
  const rows = diff.strategies.flatMap(rowsOf);
  const header: DiffRow = { strategy: 'strategy', figure: '', before: 'first run', after: 'second run', change: 'change' };
  const widths = (['strategy', 'figure', 'before', 'after'] as const).map((key) => Math.max(...[header, ...rows].map((row) => row[key].length)) + 2);
  const line = (row: DiffRow, paint: (text: string) => string = (t) => t): string =>
    `  ${row.strategy.padEnd(widths[0] ?? 0)}${row.figure.padEnd(widths[1] ?? 0)}${row.before.padEnd(widths[2] ?? 0)}${row.after.padEnd(widths[3] ?? 0)}${paint(row.change)}`;
  const lines = [
    `${chalk.bold('starve-lab diff')} ${chalk.cyan(diff.scenario)}`,
    chalk.dim(`first:  ${diff.before.params.startedAt} (time scale ${diff.before.timeScale}, seed ${diff.before.params.seed})`),
    chalk.dim(`second: ${diff.after.params.startedAt} (time scale ${diff.after.timeScale}, seed ${diff.after.params.seed})`),
    '',
    ...paramLines(diff).map((text) => chalk.yellow(text)),
    chalk.bold(line(header)),
    ...rows.map((row) => line(row, (text) => (text.startsWith('WORSE') ? chalk.red.bold(text) : text))),
    '',
  ];
  if (diff.onlyBefore.length > 0) lines.push(`Only in the first run: ${diff.onlyBefore.join(', ')}`);
  if (diff.onlyAfter.length > 0) lines.push(`Only in the second run: ${diff.onlyAfter.join(', ')}`);
  lines.push(diff.worse ? chalk.red.bold(summaryLine(diff)) : diff.inconclusive ? chalk.yellow(summaryLine(diff)) : chalk.green(summaryLine(diff)));
  return `${lines.join('\n')}\n`;
}

/** --json: the comparison, naming the two runs by their start (their whole reports are in their run directories). */
export function renderDiffJson(diff: ReportDiff): string {
  const summary = { ...diff, before: { startedAt: diff.before.params.startedAt }, after: { startedAt: diff.after.params.startedAt } };
  return `${JSON.stringify(summary, null, 2)}\n`;
}

export function renderDiffMarkdown(diff: ReportDiff): string {
  const esc = (text: string): string => text.replace(/\|/g, '\\|').replace(/</g, '&lt;');
  const lines = [
    `## starve-lab diff: ${esc(diff.scenario)}`,
    '',
    `First run ${esc(diff.before.params.startedAt)}, second run ${esc(diff.after.params.startedAt)}.`,
    '',
    ...paramLines(diff).map(esc),
    `**${esc(summaryLine(diff))}**`,
    '',
    '| strategy | figure | first run | second run | change |',
    '|---|---|---|---|---|',
    ...diff.strategies.flatMap(rowsOf).map((row) => `| ${esc(row.strategy)} | ${row.figure} | ${esc(row.before)} | ${esc(row.after)} | ${row.change.startsWith('WORSE') ? `**${esc(row.change)}**` : esc(row.change)} |`),
    '',
  ];
  if (diff.onlyBefore.length > 0) lines.push(`Only in the first run: ${esc(diff.onlyBefore.join(', '))}`, '');
  if (diff.onlyAfter.length > 0) lines.push(`Only in the second run: ${esc(diff.onlyAfter.join(', '))}`, '');
  return lines.join('\n');
}
