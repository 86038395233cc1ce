// Inline SVG charts for the HTML report (pure): the heartbeat sawtooth against the timeout, tick
// intervals, and request outcomes, on one time axis shared by every strategy.

import type { Marker, Timeline } from '../analysis/types.js';
import type { RequestOutcome } from '../trace/events.js';
import { formatDuration } from './format.js';
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

function timeAxis(endMs: number, y: number): string {
  const step = niceStep(endMs);
  const parts: string[] = [`<line x1="${LEFT}" y1="${y}" x2="${LEFT + PLOT_WIDTH}" y2="${y}" class="axis"/>`];
  for (let t = 0; t <= endMs; t += step) {
    const x = n(xOf(t, endMs));
    parts.push(`<line x1="${x}" y1="${y}" x2="${x}" y2="${y + 4}" class="axis"/><text x="${x}" y="${y + 15}" class="tick-label" text-anchor="middle">${escapeHtml(formatDuration(t))}</text>`);
  }
  return parts.join('');
}

function markerLines(markers: readonly Marker[], endMs: number, top: number, bottom: number): string {
  return markers
    .map((marker) => {
      const x = n(xOf(marker.t, endMs));
      const strong = marker.kind === 'worker-timeout' || marker.kind === 'clock-step';
      // Labels near the right edge grow leftwards so they stay inside the chart.
      const anchor = xOf(marker.t, endMs) > LEFT + PLOT_WIDTH * 0.75 ? 'end' : 'start';
      const dx = anchor === 'end' ? -3 : 3;
      const label = strong
        ? `<text x="${x}" dx="${dx}" y="${top + 10}" text-anchor="${anchor}" class="marker-label" fill="${MARKER_COLOURS[marker.kind]}">${escapeHtml(marker.label)}</text>`
        : '';
      return (
        `<g class="marker marker-${marker.kind}"><title>${escapeHtml(`${formatDuration(marker.t)}: ${marker.label}`)}</title>` +
        `<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="${MARKER_COLOURS[marker.kind]}" stroke-width="${strong ? 2 : 1}"${strong ? '' : ' stroke-dasharray="3 3"'}/>${label}</g>`
      );
    })
    .join('');
}

/** The heartbeat's age as the master saw it, with the timeout line and a band above it. */
export function renderAgeChart(timeline: Timeline, timeoutMs: number, endMs: number): string {
  const height = 200;
  const top = 14;
  const bottom = height - 24;
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
    `<text x="${LEFT + 4}" y="${n(yOf(timeoutMs) - 4)}" class="timeout-label">timeout ${escapeHtml(formatDuration(timeoutMs))}: killed above this line</text>` +
    yTicks +
    markerLines(timeline.markers, endMs, top, bottom) +
    `<path d="${path}" class="sawtooth"/>` +
    timeAxis(endMs, bottom) +
    `</svg>`
  );
}

interface BarChart {
  className: string;
  label: string;
  points: ReadonlyArray<readonly [number, number]>;
  endMs: number;
  /** The y axis reaches at least this, so a quiet run still shows its scale. */
  floorMs: number;
  /** A dashed reference line (the nominal tick, the timeout), if inside the axis. */
  referenceMs: number | null;
  referenceClass: string;
  barClass: string;
}

/** Vertical bars over time: a stalled loop shows as tall bars. */
function renderBarChart(chart: BarChart): string {
  const height = 110;
  const top = 8;
  const bottom = height - 24;
  const maxValue = Math.max(chart.floorMs, ...chart.points.map(([, ms]) => ms));
  const yOf = (ms: number): number => bottom - (Math.min(ms, maxValue) / maxValue) * (bottom - top);
  const bars = chart.points.map(([t, ms]) => `M${n(xOf(t, chart.endMs))} ${bottom}V${n(yOf(ms))}`).join('');
  const reference =
    chart.referenceMs !== null && chart.referenceMs <= maxValue
      ? `<line x1="${LEFT}" y1="${n(yOf(chart.referenceMs))}" x2="${LEFT + PLOT_WIDTH}" y2="${n(yOf(chart.referenceMs))}" class="${chart.referenceClass}"/>`
      : '';
  return (
    `<svg class="chart ${chart.className}" viewBox="0 0 ${CHART_WIDTH} ${height}" width="${CHART_WIDTH}" height="${height}" role="img" aria-label="${escapeHtml(chart.label)}">` +
    `<text x="${LEFT - 6}" y="${n(yOf(maxValue) + 8)}" class="tick-label" text-anchor="end">${escapeHtml(formatDuration(maxValue))}</text>` +
    reference +
    `<path d="${bars}" class="${chart.barClass}"/>` +
    timeAxis(chart.endMs, bottom) +
    `</svg>`
  );
}

/** Tick intervals over time, against the nominal tick. */
export function renderTickChart(timeline: Timeline, endMs: number, nominalTickMs: number): string {
  return renderBarChart({
    className: 'tick-chart',
    label: 'tick intervals',
    points: timeline.tickIntervals,
    endMs,
    floorMs: nominalTickMs * 5,
    referenceMs: nominalTickMs,
    referenceClass: 'nominal-line',
    barClass: 'tick-bars',
  });
}

/** The longest loop delay of each window, against the timeout. */
export function renderLoopDelayChart(timeline: Timeline, endMs: number, timeoutMs: number): string {
  return renderBarChart({
    className: 'loop-delay-chart',
    label: 'event-loop delay per window',
    points: timeline.loopDelay.map(([t, ms]) => [t, ms] as const),
    endMs,
    floorMs: 1000,
    referenceMs: timeoutMs > 0 ? timeoutMs : null,
    referenceClass: 'timeout-line',
    barClass: 'delay-bars',
  });
}

/** One dot per settled request, coloured by its outcome. */
export function renderRequestStrip(timeline: Timeline, endMs: number): string {
  const height = 44;
  const rows: RequestOutcome[] = ['completed', 'reset', 'refused', 'timed-out', 'cut-at-end'];
  const dots = timeline.requests
    .map(([t, outcome]) => {
      const y = outcome === 'completed' ? 8 : 16;
      return `<circle cx="${n(xOf(t, endMs))}" cy="${y}" r="${outcome === 'completed' ? 2.5 : 4}" fill="${OUTCOME_COLOURS[outcome]}" class="request request-${outcome}"/>`;
    })
    .join('');
  const legend = rows
    .map((outcome, i) => `<circle cx="${LEFT + i * 120 + 6}" cy="36" r="4" fill="${OUTCOME_COLOURS[outcome]}"/><text x="${LEFT + i * 120 + 14}" y="40" class="tick-label">${outcome}</text>`)
    .join('');
  return `<svg class="chart request-strip" viewBox="0 0 ${CHART_WIDTH} ${height}" width="${CHART_WIDTH}" height="${height}" role="img" aria-label="request outcomes">${dots}${legend}</svg>`;
}
