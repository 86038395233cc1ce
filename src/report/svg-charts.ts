// Inline SVG charts for the HTML report (pure): the heartbeat sawtooth against the timeout, tick
// intervals, and request outcomes, on one time axis shared by every strategy.

import type { Marker, Timeline } from '../analysis/types.js';
import type { RequestOutcome } from '../trace/events.js';
import { formatDuration, plural } from './format.js';
import { REQUEST_OUTCOME_NAMES } from './wording.js';
import { groupMarkers, groupTitle, labelWidth, placeLabels } from './chart-markers.js';
import { escapeHtml } from './escape.js';

export const CHART_WIDTH = 920;
const LEFT = 56;
const RIGHT = 16;
const PLOT_WIDTH = CHART_WIDTH - LEFT - RIGHT;

export const OUTCOME_COLOURS: Record<RequestOutcome, string> = {
  completed: '#2e7d32',
  reset: '#c62828',
  refused: '#ef6c00',
  'timed-out': '#6a1b9a',
  'cut-at-end': '#9e9e9e',
};

const MARKER_COLOURS: Record<Marker['kind'], string> = {
  spawn: '#2e7d32',
  respawn: '#2e7d32',
  'worker-timeout': '#c62828',
  sigabrt: '#8e0000',
  sigkill: '#000000',
  exit: '#757575',
  'clock-step': '#6a1b9a',
};

const n = (value: number): string => (Math.round(value * 10) / 10).toString();

/** A step for axis ticks that gives about 8 labels over `span` ms. */
export function niceStep(spanMs: number): number {
  const steps = [100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000];
  return steps.find((step) => spanMs / step <= 10) ?? 3_600_000;
}

function xOf(t: number, endMs: number): number {
  return LEFT + (Math.max(0, Math.min(t, endMs)) / Math.max(endMs, 1)) * PLOT_WIDTH;
}

function timeAxis(endMs: number, y: number, title: string | null): string {
  const step = niceStep(endMs);
  const parts: string[] = [`<line x1="${LEFT}" y1="${y}" x2="${LEFT + PLOT_WIDTH}" y2="${y}" class="axis"/>`];
  for (let t = 0; t <= endMs; t += step) {
    const x = n(xOf(t, endMs));
    parts.push(`<line x1="${x}" y1="${y}" x2="${x}" y2="${y + 4}" class="axis"/><text x="${x}" y="${y + 15}" class="tick-label" text-anchor="middle">${escapeHtml(formatDuration(t))}</text>`);
  }
  if (title !== null) parts.push(`<text x="${LEFT + PLOT_WIDTH / 2}" y="${y + 29}" class="axis-title" text-anchor="middle">${escapeHtml(title)}</text>`);
  return parts.join('');
}

/** A y-axis title, written upwards beside the axis. */
function yTitle(text: string, top: number, bottom: number): string {
  const y = n((top + bottom) / 2);
  return `<text x="12" y="${y}" transform="rotate(-90 12 ${y})" class="axis-title" text-anchor="middle">${escapeHtml(text)}</text>`;
}

/** What a chart's time axis counts: said under every chart that has one. */
export const TIME_AXIS_TITLE = 'time since the first worker booted (scenario time)';

/** Markers a few pixels apart are one line: a kill's WORKER TIMEOUT, SIGABRT, exit and respawn. */
const NEAR_PX = 6;

function markerLines(markers: readonly Marker[], endMs: number, top: number, bottom: number, labelY: number): string {
  const groups = groupMarkers(markers, (NEAR_PX / PLOT_WIDTH) * Math.max(endMs, 1));
  const lines = groups.map((group) => {
    const x = n(xOf(group.t, endMs));
    const strong = group.kind === 'worker-timeout' || group.kind === 'clock-step';
    const kinds = [...new Set(group.markers.map((m) => m.kind))].map((kind) => `marker-${kind}`).join(' ');
    return (
      `<g class="marker ${kinds}" data-kind="${group.kind}"><title>${escapeHtml(groupTitle(group))}</title>` +
      `<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="${MARKER_COLOURS[group.kind]}" stroke-width="${strong ? 1.5 : 1}"${strong ? '' : ' stroke-dasharray="3 3"'}/></g>`
    );
  });
  const labels = placeLabels(groups, (t) => xOf(t, endMs), LEFT, LEFT + PLOT_WIDTH).map(
    (label) =>
      `<text x="${n(label.x)}" dx="${label.anchor === 'end' ? -3 : 3}" y="${labelY}" text-anchor="${label.anchor}" class="marker-label" fill="${MARKER_COLOURS[label.kind]}">${escapeHtml(label.text)}</text>`,
  );
  return lines.join('') + labels.join('');
}

/** A row of swatches under a chart: what each line and colour means. */
function legend(items: ReadonlyArray<{ swatch: string; text: string }>, y: number): string {
  let x = LEFT;
  return items
    .map((item) => {
      const part = `<g class="legend-item" transform="translate(${n(x)} ${y})">${item.swatch}<text x="22" y="4" class="tick-label">${escapeHtml(item.text)}</text></g>`;
      x += 30 + labelWidth(item.text);
      return part;
    })
    .join('');
}

const lineSwatch = (style: string): string => `<line x1="0" y1="0" x2="16" y2="0" ${style}/>`;

function ageLegend(markers: readonly Marker[], y: number): string {
  const kills = markers.filter((m) => m.kind === 'worker-timeout').length;
  const items = [
    { swatch: lineSwatch('class="sawtooth"'), text: 'heartbeat age' },
    { swatch: lineSwatch('class="timeout-line"'), text: 'timeout' },
    ...(kills > 0 ? [{ swatch: lineSwatch(`stroke="${MARKER_COLOURS['worker-timeout']}" stroke-width="1.5"`), text: `${plural(kills, 'kill')} (WORKER TIMEOUT, SIGABRT, exit, respawn)` }] : []),
    { swatch: lineSwatch(`stroke="${MARKER_COLOURS.spawn}" stroke-dasharray="3 3"`), text: 'boot' },
    ...(markers.some((m) => m.kind === 'clock-step') ? [{ swatch: lineSwatch(`stroke="${MARKER_COLOURS['clock-step']}" stroke-width="1.5"`), text: 'clock step' }] : []),
  ];
  return legend(items, y);
}

/** The heartbeat's age as the master saw it, with the timeout line and a band above it. */
export function renderAgeChart(timeline: Timeline, timeoutMs: number, endMs: number): string {
  const height = 250;
  const labelY = 13;
  const top = 22;
  const bottom = 186;
  const maxAge = Math.max(timeoutMs * 1.2, ...timeline.heartbeatAge.map(([, age]) => age ?? 0));
  const yOf = (age: number): number => bottom - (age / maxAge) * (bottom - top);
  let path = '';
  let pen = false;
  for (const [t, age] of timeline.heartbeatAge) {
    if (age === null) {
      pen = false;
      continue;
    }
    path += `${pen ? 'L' : 'M'}${n(xOf(t, endMs))} ${n(yOf(age))}`;
    pen = true;
  }
  const timeoutY = n(yOf(timeoutMs));
  const yTicks = [0, timeoutMs / 2, timeoutMs]
    .map((age) => `<text x="${LEFT - 6}" y="${n(yOf(age) + 4)}" class="tick-label" text-anchor="end">${escapeHtml(formatDuration(age))}</text>`)
    .join('');
  return (
    `<svg class="chart age-chart" viewBox="0 0 ${CHART_WIDTH} ${height}" width="${CHART_WIDTH}" height="${height}" role="img" aria-label="heartbeat age against the timeout">` +
    (timeoutMs > 0 ? `<rect x="${LEFT}" y="${top}" width="${PLOT_WIDTH}" height="${n(yOf(timeoutMs) - top)}" class="kill-zone"/>` : '') +
    `<line x1="${LEFT}" y1="${timeoutY}" x2="${LEFT + PLOT_WIDTH}" y2="${timeoutY}" class="timeout-line"/>` +
    `<text x="${LEFT + PLOT_WIDTH - 4}" y="${n(yOf(timeoutMs) - 4)}" class="timeout-label" text-anchor="end">timeout ${escapeHtml(formatDuration(timeoutMs))}: killed above this line</text>` +
    yTicks +
    yTitle('heartbeat age', top, bottom) +
    markerLines(timeline.markers, endMs, top, bottom, labelY) +
    `<path d="${path}" class="sawtooth"/>` +
    timeAxis(endMs, bottom, TIME_AXIS_TITLE) +
    ageLegend(timeline.markers, height - 10) +
    `</svg>`
  );
}

/**
 * The kubelet's probes: one dot per probe at how long it took (passed green, failed red), against the
 * probe's timeout; the kills (failureThreshold failures in a row) as lines.
 */
/** What the probe chart's dots, line and kills are called: the kubelet's probes, or uvicorn's pings. */
export interface ProbeChartWords {
  passed: string;
  failed: string;
  timeout: string;
  kill: string;
}

export const LIVENESS_PROBE_WORDS: ProbeChartWords = { passed: 'probe passed', failed: 'probe failed', timeout: 'probe timeout', kill: 'failures in a row, SIGTERM, restart' };
export const UVICORN_PING_WORDS: ProbeChartWords = { passed: 'ping answered', failed: 'ping unanswered', timeout: 'healthcheck timeout', kill: 'an unanswered ping, SIGKILL, a new child' };

export function renderProbeChart(timeline: Timeline, probeTimeoutMs: number, endMs: number, words: ProbeChartWords = LIVENESS_PROBE_WORDS): string {
  const height = 210;
  const labelY = 13;
  const top = 22;
  const bottom = 150;
  const probes = timeline.probes ?? [];
  const maxMs = Math.max(probeTimeoutMs * 1.5, ...probes.map(([, took]) => took));
  const yOf = (ms: number): number => bottom - (Math.min(ms, maxMs) / maxMs) * (bottom - top);
  const dots = probes
    .map(([t, took, passed]) => `<circle cx="${n(xOf(t, endMs))}" cy="${n(yOf(took))}" r="3.5" fill="${passed === 1 ? '#2e7d32' : '#c62828'}"><title>${escapeHtml(`${formatDuration(t)}: ${passed === 1 ? words.passed : words.failed} after ${formatDuration(took)}`)}</title></circle>`)
    .join('');
  const timeoutY = n(yOf(probeTimeoutMs));
  const kills = timeline.markers.filter((m) => m.kind === 'worker-timeout').length;
  const items = [
    { swatch: '<circle cx="8" cy="0" r="3.5" fill="#2e7d32"/>', text: words.passed },
    { swatch: '<circle cx="8" cy="0" r="3.5" fill="#c62828"/>', text: words.failed },
    { swatch: lineSwatch('class="timeout-line"'), text: words.timeout },
    ...(kills > 0 ? [{ swatch: lineSwatch(`stroke="${MARKER_COLOURS['worker-timeout']}" stroke-width="1.5"`), text: `${plural(kills, 'kill')} (${words.kill})` }] : []),
  ];
  return (
    `<svg class="chart probe-chart" viewBox="0 0 ${CHART_WIDTH} ${height}" width="${CHART_WIDTH}" height="${height}" role="img" aria-label="${escapeHtml(words.passed.split(" ")[0] ?? "probe")}s against their timeout">` +
    `<rect x="${LEFT}" y="${top}" width="${PLOT_WIDTH}" height="${n(yOf(probeTimeoutMs) - top)}" class="kill-zone"/>` +
    `<line x1="${LEFT}" y1="${timeoutY}" x2="${LEFT + PLOT_WIDTH}" y2="${timeoutY}" class="timeout-line"/>` +
    `<text x="${LEFT + PLOT_WIDTH - 4}" y="${n(yOf(probeTimeoutMs) - 4)}" class="timeout-label" text-anchor="end">timeout ${escapeHtml(formatDuration(probeTimeoutMs))}: ${escapeHtml(words.failed)} when it reaches it</text>` +
    `<text x="${LEFT - 6}" y="${n(yOf(probeTimeoutMs) + 4)}" class="tick-label" text-anchor="end">${escapeHtml(formatDuration(probeTimeoutMs))}</text>` +
    `<text x="${LEFT - 6}" y="${bottom}" class="tick-label" text-anchor="end">0</text>` +
    yTitle('probe took', top, bottom) +
    markerLines(timeline.markers, endMs, top, bottom, labelY) +
    dots +
    timeAxis(endMs, bottom, TIME_AXIS_TITLE) +
    legend(items, height - 10) +
    `</svg>`
  );
}

interface BarChart {
  className: string;
  label: string;
  /** The y axis's title. */
  yTitle: string;
  points: ReadonlyArray<readonly [number, number]>;
  endMs: number;
  /** The y axis reaches at least this, so a quiet run still shows its scale. */
  floorMs: number;
  /** A dashed reference line (the nominal tick, the timeout), if inside the axis, and its name. */
  referenceMs: number | null;
  referenceLabel: string;
  referenceClass: string;
  barClass: string;
}

/** Vertical bars over time: a stalled loop shows as tall bars. */
function renderBarChart(chart: BarChart): string {
  const height = 132;
  const top = 8;
  const bottom = height - 38;
  const maxValue = Math.max(chart.floorMs, ...chart.points.map(([, ms]) => ms));
  const yOf = (ms: number): number => bottom - (Math.min(ms, maxValue) / maxValue) * (bottom - top);
  const bars = chart.points.map(([t, ms]) => `M${n(xOf(t, chart.endMs))} ${bottom}V${n(yOf(ms))}`).join('');
  const referenceY = chart.referenceMs === null ? null : n(yOf(chart.referenceMs));
  const reference =
    chart.referenceMs !== null && chart.referenceMs <= maxValue
      ? `<line x1="${LEFT}" y1="${referenceY}" x2="${LEFT + PLOT_WIDTH}" y2="${referenceY}" class="${chart.referenceClass}"/>` +
        `<text x="${LEFT + PLOT_WIDTH - 4}" y="${n(yOf(chart.referenceMs) - 3)}" class="tick-label" text-anchor="end">${escapeHtml(`${chart.referenceLabel} ${formatDuration(chart.referenceMs)}`)}</text>`
      : '';
  return (
    `<svg class="chart ${chart.className}" viewBox="0 0 ${CHART_WIDTH} ${height}" width="${CHART_WIDTH}" height="${height}" role="img" aria-label="${escapeHtml(chart.label)}">` +
    `<text x="${LEFT - 6}" y="${n(yOf(maxValue) + 8)}" class="tick-label" text-anchor="end">${escapeHtml(formatDuration(maxValue))}</text>` +
    `<text x="${LEFT - 6}" y="${bottom}" class="tick-label" text-anchor="end">0</text>` +
    yTitle(chart.yTitle, top, bottom) +
    reference +
    `<path d="${bars}" class="${chart.barClass}"/>` +
    timeAxis(chart.endMs, bottom, TIME_AXIS_TITLE) +
    `</svg>`
  );
}

/** Tick intervals over time, against the nominal tick. */
export function renderTickChart(timeline: Timeline, endMs: number, nominalTickMs: number): string {
  return renderBarChart({
    className: 'tick-chart',
    label: 'tick intervals',
    yTitle: 'tick interval',
    points: timeline.tickIntervals,
    endMs,
    floorMs: nominalTickMs * 5,
    referenceMs: nominalTickMs,
    referenceLabel: 'nominal tick',
    referenceClass: 'nominal-line',
    barClass: 'tick-bars',
  });
}

/** The longest loop delay of each window, against the timeout. */
export function renderLoopDelayChart(timeline: Timeline, endMs: number, timeoutMs: number): string {
  return renderBarChart({
    className: 'loop-delay-chart',
    label: 'event-loop delay per window',
    yTitle: 'loop delay',
    points: timeline.loopDelay.map(([t, ms]) => [t, ms] as const),
    endMs,
    floorMs: 1000,
    referenceMs: timeoutMs > 0 ? timeoutMs : null,
    referenceLabel: 'timeout',
    referenceClass: 'timeout-line',
    barClass: 'delay-bars',
  });
}


/** One dot per settled request where it settled, coloured by its outcome: completed above, the rest below. */
export function renderRequestStrip(timeline: Timeline, endMs: number): string {
  const height = 104;
  const rowY = { ok: 12, failed: 30 };
  const axisY = 42;
  const dots = timeline.requests
    .map(([t, outcome]) => {
      const y = outcome === 'completed' ? rowY.ok : rowY.failed;
      return `<circle cx="${n(xOf(t, endMs))}" cy="${y}" r="${outcome === 'completed' ? 2.5 : 4}" fill="${OUTCOME_COLOURS[outcome]}" class="request request-${outcome}"/>`;
    })
    .join('');
  const rowLabels =
    `<text x="${LEFT - 6}" y="${rowY.ok + 4}" class="tick-label" text-anchor="end">done</text>` +
    `<text x="${LEFT - 6}" y="${rowY.failed + 4}" class="tick-label" text-anchor="end">failed</text>`;
  const present = new Set(timeline.requests.map(([, outcome]) => outcome));
  const shown = (Object.keys(REQUEST_OUTCOME_NAMES) as RequestOutcome[]).filter((outcome) => outcome === 'completed' || present.has(outcome));
  const key = legend(
    shown.map((outcome) => ({ swatch: `<circle cx="8" cy="0" r="4" fill="${OUTCOME_COLOURS[outcome]}"/>`, text: REQUEST_OUTCOME_NAMES[outcome] })),
    height - 10,
  );
  return (
    `<svg class="chart request-strip" viewBox="0 0 ${CHART_WIDTH} ${height}" width="${CHART_WIDTH}" height="${height}" role="img" aria-label="request outcomes">` +
    rowLabels +
    dots +
    timeAxis(endMs, axisY, TIME_AXIS_TITLE) +
    key +
    `</svg>`
  );
}
