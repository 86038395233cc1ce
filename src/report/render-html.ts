// report.html: one self-contained page (no network, no scripts run, charts as inline SVG, the report
// data embedded as JSON), saying what the terminal and Markdown say, plus the timelines.

import type { Report, StrategyReport } from './report-schema.js';
import { formatDuration as d } from './format.js';
import { escapeHtml as e, jsonForScript, safeHref } from './escape.js';
import { parameterLine, summaryRows, verdictTone, type Tone } from './summary-rows.js';
import { firstBootMs, shiftTimeline } from './timeline-origin.js';
import { renderAgeChart, renderLoopDelayChart, renderProbeChart, renderRequestStrip, renderTickChart, UVICORN_PING_WORDS } from './svg-charts.js';
import { describeFindings, describeFrame, describeLayout, describeLoadShape, describeRerun, describeSupervisorJudge, verdictLabel, GLOSSARY } from './wording.js';
import { heartbeatTimeoutMs, supervisorName, unknownKind } from '../scenario/supervisor.js';

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:960px;color:#212121;padding:0 12px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}h3{font-size:15px;margin:18px 0 6px}
.params{color:#616161}.verdict{padding:10px 14px;border-radius:6px;margin:14px 0;font-size:15px}
.verdict-good{background:#e8f5e9;border-left:6px solid #2e7d32}.verdict-bad{background:#ffebee;border-left:6px solid #c62828}
.verdict-warn{background:#fff8e1;border-left:6px solid #f9a825}
table{border-collapse:collapse;margin:8px 0}td,th{border-bottom:1px solid #e0e0e0;padding:4px 12px 4px 0;text-align:left;vertical-align:top}
th{font-weight:600}.tone-good{color:#2e7d32}.tone-bad{color:#c62828;font-weight:600}.tone-warn{color:#b26a00}
.chart{display:block;max-width:100%;height:auto}.axis{stroke:#9e9e9e}.tick-label{font-size:11px;fill:#616161}
.sawtooth{fill:none;stroke:#1565c0;stroke-width:1.6}.timeout-line{stroke:#c62828;stroke-width:1.5;stroke-dasharray:6 4}
.timeout-label{font-size:11px;fill:#c62828}.axis-title{font-size:11px;fill:#424242;font-weight:600}.kill-zone{fill:#ffebee}.marker-label{font-size:11px;font-weight:600}
.tick-bars{stroke:#455a64;stroke-width:1}.delay-bars{stroke:#ef6c00;stroke-width:3}.nominal-line{stroke:#9e9e9e;stroke-dasharray:2 3}
.strategy{border-top:2px solid #eeeeee;margin-top:20px}.stack{font:12px ui-monospace,monospace}.stack .blocking{color:#c62828;font-weight:600}.why li{margin:4px 0}code{background:#f5f5f5;padding:0 3px}
`;

function toneClass(tone: Tone): string {
  return tone === 'plain' ? '' : ` class="tone-${tone}"`;
}

function summaryTable(report: Report): string {
  const head = `<tr><th></th>${report.strategies.map((s) => `<th><code>${e(s.name)}</code></th>`).join('')}</tr>`;
  const rows = summaryRows(report)
    .map((row) => `<tr><td>${e(row.label)}</td>${row.cells.map((cell) => `<td${toneClass(cell.tone)}>${e(cell.text)}</td>`).join('')}</tr>`)
    .join('');
  return `<table class="summary">${head}${rows}</table>`;
}

function strategySection(report: Report, strategy: StrategyReport, endMs: number): string {
  const timeoutMs = heartbeatTimeoutMs(report.params.supervisor);
  const timeline = shiftTimeline(strategy.timeline, firstBootMs(strategy.timeline));
  return (
    `<section class="strategy" data-strategy="${e(strategy.name)}" data-outcome="${e(strategy.outcome)}">` +
    `<h2><code>${e(strategy.name)}</code>: ${e(summaryRows(report)[0]?.cells[report.strategies.indexOf(strategy)]?.text ?? strategy.outcome)}</h2>` +
    `<ul class="why">${describeFindings(strategy.findings).map((why) => `<li>${e(why)}</li>`).join('')}</ul>` +
    stackSection(strategy) +
    doctorLinks(strategy) +
    judgeChart(report.params.supervisor, timeline, endMs) +
    `<h3>Tick intervals (the loop's ${d(report.params.nominalTickMs)} tick, stretched by handlers)</h3>${renderTickChart(timeline, endMs, report.params.nominalTickMs)}` +
    `<h3>Event-loop delay per window (max)</h3>${renderLoopDelayChart(timeline, endMs, timeoutMs)}` +
    `<h3>Requests by outcome</h3>${renderRequestStrip(timeline, endMs)}` +
    `</section>`
  );
}

/** The chart of what judged liveness: the heartbeat's age against gunicorn's timeout, or the kubelet's probes. */
function judgeChart(supervisor: Report['params']['supervisor'], timeline: StrategyReport['timeline'], endMs: number): string {
  switch (supervisor.kind) {
    case 'gunicorn':
      return `<h3>Heartbeat age as the master saw it</h3>${renderAgeChart(timeline, supervisor.timeoutMs, endMs)}`;
    case 'kubelet':
      return `<h3>Liveness probes as the kubelet saw them</h3>${renderProbeChart(timeline, supervisor.probe.timeoutMs, endMs)}`;
    case 'uvicorn':
      return `<h3>uvicorn's healthcheck pings: how long each waited for its answer</h3>${renderProbeChart(timeline, supervisor.healthcheckTimeoutMs, endMs, UVICORN_PING_WORDS)}`;
    default:
      return unknownKind(supervisor);
  }
}

function stackSection(strategy: StrategyReport): string {
  if (strategy.stacksAtKill.length === 0) return '';
  const groups = strategy.stacksAtKill.map(
    (stack) =>
      `<p>At ${stack.count} kill(s) (pid ${e(stack.pids.join(', '))}):</p><ol class="stack">${stack.frames
        .map((frame) => `<li${frame === stack.blocking ? ' class="blocking"' : ''}>${e(describeFrame(frame))}</li>`)
        .join('')}</ol>`,
  );
  return `<h3>JavaScript stack at the kill</h3>${groups.join('')}`;
}

/** Doctor's report for one worker: a link only where the target is a path or an http(s) URL (doctor.json may have been edited). */
function doctorLink(result: StrategyReport['doctor'][number]): string {
  if (result.html === null) return e(`worker ${result.pid}: no report (${result.error ?? 'no data'})`);
  const href = safeHref(result.html);
  const verdict = e(result.issueCategory ?? 'no verdict');
  return href === null ? `worker ${result.pid} (report at ${e(result.html)}, not linked): ${verdict}` : `<a href="${e(href)}">worker ${result.pid}</a>: ${verdict}`;
}

function doctorLinks(strategy: StrategyReport): string {
  if (strategy.doctor.length === 0) return '';
  const items = strategy.doctor.map((result) => `<li>${doctorLink(result)}</li>`);
  return `<h3>Clinic.js Doctor</h3><ul>${items.join('')}</ul>`;
}

function parameterTable(report: Report): string {
  const p = report.params;
  const rows: Array<[string, string]> = [
    ['scenario', `${report.scenario} (${p.scenarioFile})`],
    ['strategies', p.strategies.join(', ')],
    ['supervisor', supervisorName(p.supervisor)],
    ['loop', p.loop],
    ['HTTP', p.http ?? 'httptools'],
    ['judged by', describeSupervisorJudge(p.supervisor)],
    ['strategies ran', `${describeLayout(p.layout)}${describeRerun(p.rerunAlone)}`],
    ['workers', String(p.workers)],
    ['load', `${describeLoadShape(p.load)}${p.load.arrivalsPerS === undefined ? `, think ${d(p.load.thinkMs)}` : ''}, routes ${JSON.stringify(p.load.routes)}`],
    ['run length', `${d(p.durationMs)} (observed ${d(p.observedMs)})`],
    ['time scale', `${report.timeScale}${report.timeScale === 1 ? ' (real timing)' : ' (figures in scenario time)'}`],
    ['seed', String(p.seed)],
    ['started', `${p.startedAt}${p.finishedAt === null ? '' : ` – ${p.finishedAt}`}`],
    ['versions', `starve-lab ${p.versions.starveLab}, Node ${p.versions.node}`],
  ];
  return `<table class="parameters">${rows.map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`).join('')}</table>`;
}

export function renderHtml(report: Report): string {
  // One time axis for every strategy, each counted from its own first boot.
  const endMs = Math.max(1, ...report.strategies.map((s) => Math.max(report.params.observedMs, ...s.timeline.heartbeatAge.map(([t]) => t)) - firstBootMs(s.timeline)));
  const title = `starve-lab: ${report.scenario}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title><style>${STYLE}</style></head>
<body>
<h1>${e(title)}${report.interrupted ? ' <small>(interrupted)</small>' : ''}</h1>
<p class="description">${e(report.description)}</p>
<p class="params">${e(parameterLine(report))}</p>
<div class="verdict verdict-${verdictTone(report.verdict)}" id="verdict"><strong>${e(verdictLabel(report.verdict))}</strong> ${e(report.headline)}</div>
${summaryTable(report)}
<details class="glossary"><summary>What the rows mean</summary><dl>${GLOSSARY.map(([term, meaning]) => `<dt>${e(term)}</dt><dd>${e(meaning)}</dd>`).join('')}</dl><p>Times in the charts, the table and the progress lines count from the strategy's first worker boot, in scenario time; master.log has the machine's wall-clock time.</p></details>
${report.params.realStack === '' ? '' : `<p><strong>Real stack:</strong> ${e(report.params.realStack)}</p>`}
${report.strategies.map((s) => strategySection(report, s, endMs)).join('\n')}
<h2>Parameters</h2>
${parameterTable(report)}
${report.traceProblems.length === 0 ? '' : `<h2>Unreadable trace lines</h2><ul>${report.traceProblems.map((p) => `<li>${e(p)}</li>`).join('')}</ul>`}
<script type="application/json" id="starve-lab-report">${jsonForScript(report)}</script>
</body></html>
`;
}
