// The calibration report: model and real stack side by side per case, strategy and figure, with
// whether each agrees (pure renderers: terminal with a colour level, Markdown, self-contained HTML).

import { Chalk } from 'chalk';
import { escapeHtml as e, escapeMarkdown as md } from '../report/escape.js';
import { formatDuration as d } from '../report/format.js';
import type { Renderer, RenderContext } from '../report/render-context.js';
import { renderAsJson } from '../report/render-json.js';
import { TOLERANCE, type CaseCalibration, type FigureComparison } from './compare-reports.js';

export interface CalibratedCase extends CaseCalibration {
  modelDir: string;
  realDir: string;
}

export type CalibrationVerdict = 'agrees' | 'disagrees' | 'inconclusive';

export interface CalibrationSummary {
  schemaVersion: 1;
  name: string;
  /** The model's time scale (the real stack always runs at 1). */
  modelTimeScale: number;
  repeat: number;
  startedAt: string;
  interrupted: boolean;
  verdict: CalibrationVerdict;
  cases: CalibratedCase[];
}

const MS_FIGURES = new Set(['first kill', 'max heartbeat gap', 'tick interval mean']);

export function formatValue(figure: FigureComparison['figure'], value: FigureComparison['model']): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  if (MS_FIGURES.has(figure)) return d(value);
  return figure === 'handlers per tick' ? value.toFixed(2) : String(value);
}

const mark = (agrees: boolean | null): string => (agrees === null ? '·' : agrees ? '✓' : '✗');

export function describeTolerances(): string {
  return [
    'outcome killed or not: the same (either is fine inside the at-risk band; with --repeat, the kill rates\' 95% intervals overlap)',
    `first kill: within ${TOLERANCE.firstKillShare * 100}% or ${TOLERANCE.firstKillSlackMs / 1000} s (gunicorn's check phase; under the kubelet, one probe period: its ticker's phase against the load is the container's start-up)`,
    `max heartbeat gap of survivors: within ${TOLERANCE.maxGapTimeoutShare * 100}% of the timeout`,
    `tick interval mean: within ${TOLERANCE.tickMeanShare * 100}% (when both sides ticked ${TOLERANCE.minTicks} times or more)`,
    `handlers per tick: within ${TOLERANCE.handlersPerTick}`,
    `requests completed, dropped by keep-alive, reset by kills: within ${TOLERANCE.requestShare * 100}% or ${TOLERANCE.requestSlack}`,
    'with --repeat, every figure but the outcome is each side\'s median over its own runs, judged as above, except an intermittent strategy\'s first kill (one of a few chances, luck picks which): each side\'s median must be one of the other side\'s first kills, within the tolerance above',
  ].join('; ');
}

function verdictLine(summary: CalibrationSummary): string {
  const disagree = summary.cases.filter((c) => c.agrees === false).map((c) => c.name);
  switch (summary.verdict) {
    case 'agrees':
      return `AGREES  the model agrees with the real stack on all ${summary.cases.length} case(s).`;
    case 'disagrees':
      return `DISAGREES  on ${disagree.join(', ')}.`;
    case 'inconclusive':
      return `INCONCLUSIVE  a side could not be judged in some case${summary.interrupted ? ' (interrupted)' : ''}: a weak measurement never passes.`;
  }
}

export function renderCalibrationTerminal(summary: CalibrationSummary, context: RenderContext): string {
  const chalk = new Chalk({ level: context.colorLevel });
  const lines = [`${chalk.bold('starve-lab calibrate')} ${chalk.cyan(summary.name)}: model at time scale ${summary.modelTimeScale} vs the real stack${summary.repeat > 1 ? `, ${summary.repeat} runs each` : ''}`, ''];
  for (const c of summary.cases) {
    lines.push(`${chalk.bold(c.name)}  ${c.agrees === false ? chalk.red.bold('disagrees') : c.agrees === null ? chalk.yellow('inconclusive') : chalk.green('agrees')}`);
    for (const s of c.strategies) {
      lines.push(`  ${chalk.cyan(s.name)}${s.atRiskBand ? chalk.yellow('  (at-risk band)') : ''}`);
      for (const f of s.figures) {
        const row = `    ${f.figure.padEnd(22)}model ${formatValue(f.figure, f.model).padEnd(14)}real ${formatValue(f.figure, f.real).padEnd(14)}${mark(f.agrees)}`;
        lines.push(f.agrees === false ? chalk.red(row) : row);
      }
    }
    lines.push(chalk.dim(`  model ${c.modelDir}`), chalk.dim(`  real  ${c.realDir}`), '');
  }
  const paint = summary.verdict === 'agrees' ? chalk.green.bold : summary.verdict === 'disagrees' ? chalk.red.bold : chalk.yellow.bold;
  lines.push(paint(verdictLine(summary)), chalk.dim(`Tolerances: ${describeTolerances()}.`));
  if (context.dir !== undefined) lines.push(`Calibration directory ${context.dir}`);
  return `${lines.join('\n')}\n`;
}

export function renderCalibrationMarkdown(summary: CalibrationSummary): string {
  const lines = [`## starve-lab calibrate: ${md(summary.name)}`, '', `Model at time scale ${summary.modelTimeScale} vs the real stack, ${summary.repeat} run(s) per side, started ${md(summary.startedAt)}.`, '', `**${md(verdictLine(summary))}**`, ''];
  lines.push('| case | strategy | figure | model | real | agrees |', '|---|---|---|---|---|---|');
  for (const c of summary.cases) {
    for (const s of c.strategies) {
      for (const f of s.figures) lines.push(`| ${md(c.name)} | ${md(s.name)}${s.atRiskBand ? ' (at-risk band)' : ''} | ${f.figure} | ${md(formatValue(f.figure, f.model))} | ${md(formatValue(f.figure, f.real))} | ${mark(f.agrees)} |`);
    }
  }
  lines.push('', `Tolerances: ${md(describeTolerances())}.`, '');
  return lines.join('\n');
}

export function renderCalibrationHtml(summary: CalibrationSummary): string {
  const rows = summary.cases.flatMap((c) =>
    c.strategies.flatMap((s) =>
      s.figures.map(
        (f) =>
          `<tr class="${f.agrees === false ? 'bad' : ''}"><td>${e(c.name)}</td><td><code>${e(s.name)}</code>${s.atRiskBand ? ' <small>(at-risk band)</small>' : ''}</td><td>${e(f.figure)}</td><td>${e(formatValue(f.figure, f.model))}</td><td>${e(formatValue(f.figure, f.real))}</td><td>${mark(f.agrees)}</td></tr>`,
      ),
    ),
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${e(`starve-lab calibrate: ${summary.name}`)}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1000px;padding:0 12px;color:#212121}
table{border-collapse:collapse}td,th{border-bottom:1px solid #e0e0e0;padding:4px 12px 4px 0;text-align:left}.bad{color:#c62828;font-weight:600}
.verdict{padding:10px 14px;border-radius:6px;background:#f5f5f5;margin:12px 0}</style></head>
<body><h1>${e(`starve-lab calibrate: ${summary.name}`)}</h1>
<p>Model at time scale ${e(String(summary.modelTimeScale))} vs the real stack, ${summary.repeat} run(s) per side, started ${e(summary.startedAt)}.</p>
<div class="verdict">${e(verdictLine(summary))}</div>
<table><tr><th>case</th><th>strategy</th><th>figure</th><th>model</th><th>real</th><th>agrees</th></tr>${rows.join('')}</table>
<p>Tolerances: ${e(describeTolerances())}.</p>
</body></html>
`;
}

/** The calibration's formats by name (its own map: calibration/ builds on report/, not the other way). */
export const CALIBRATION_RENDERERS = { terminal: renderCalibrationTerminal, json: renderAsJson, markdown: renderCalibrationMarkdown, html: renderCalibrationHtml } satisfies Record<string, Renderer<CalibrationSummary>>;

/** The files a calibration directory gets, by format. */
export const CALIBRATION_FILES = { json: 'calibration.json', markdown: 'calibration.md', html: 'calibration.html' } as const satisfies Partial<Record<keyof typeof CALIBRATION_RENDERERS, string>>;
