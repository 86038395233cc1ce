// The markers a chart draws over time (pure): a kill is WORKER TIMEOUT, SIGABRT, the exit and the
// respawn within a few milliseconds, so they are drawn as one line (its tooltip lists each), and the
// kill labels are placed in a lane above the plot only where they do not overlap a neighbour.

import type { Marker, MarkerKind } from '../analysis/types.js';
import { formatDuration } from './format.js';

/** The marker that names a group: a kill or a clock step starts its own group; the rest join one. */
const PRIMARY: ReadonlySet<MarkerKind> = new Set(['worker-timeout', 'clock-step']);
/** The kind a group is drawn as: the first of these it holds. */
const PRECEDENCE: readonly MarkerKind[] = ['worker-timeout', 'clock-step', 'sigkill', 'sigabrt', 'exit', 'respawn', 'spawn'];

export interface MarkerGroup {
  /** Where the line is drawn: the group's first marker. */
  t: number;
  kind: MarkerKind;
  markers: Marker[];
}

/**
 * Groups markers closer than `nearMs` (about what a few pixels cover): a kill's signal, exit and
 * respawn join the kill before them; every kill and clock step stays a group of its own.
 */
export function groupMarkers(markers: readonly Marker[], nearMs: number): MarkerGroup[] {
  const groups: MarkerGroup[] = [];
  // At the same instant the kill comes first, so its signal and exit join it whatever order they came in.
  const ordered = [...markers].sort((a, b) => a.t - b.t || Number(PRIMARY.has(b.kind)) - Number(PRIMARY.has(a.kind)));
  for (const marker of ordered) {
    const last = groups.at(-1);
    const joins = last !== undefined && !PRIMARY.has(marker.kind) && marker.t - (last.markers.at(-1)?.t ?? last.t) <= nearMs;
    if (joins) last.markers.push(marker);
    else groups.push({ t: marker.t, kind: marker.kind, markers: [marker] });
  }
  for (const group of groups) group.kind = PRECEDENCE.find((kind) => group.markers.some((m) => m.kind === kind)) ?? group.kind;
  return groups;
}

/** The tooltip of a group: each marker with its time, in order. */
export function groupTitle(group: MarkerGroup): string {
  return group.markers.map((m) => `${formatDuration(m.t)}: ${m.label}`).join('\n');
}

export interface PlacedLabel {
  x: number;
  anchor: 'start' | 'end';
  text: string;
  kind: MarkerKind;
}

/** Roughly how wide an 11 px label is, to keep labels apart without a browser to measure them. */
export function labelWidth(text: string): number {
  return text.length * 6.4 + 4;
}

/**
 * Labels for the kills and clock steps, left to right: the long form ("kill 2 · 61.2 s") where it fits,
 * else the kill's number, else none (the line and its tooltip remain). Labels near the right edge grow
 * leftwards. `xOf` maps time to x; [left, right] is the plot.
 */
export function placeLabels(groups: readonly MarkerGroup[], xOf: (t: number) => number, left: number, right: number): PlacedLabel[] {
  const placed: PlacedLabel[] = [];
  let freeFrom = left;
  let killNumber = 0;
  for (const group of groups) {
    if (!PRIMARY.has(group.kind)) continue;
    const isKill = group.kind === 'worker-timeout';
    if (isKill) killNumber += 1;
    const forms = isKill ? [`kill ${killNumber} · ${formatDuration(group.t)}`, String(killNumber)] : [group.markers.find((m) => m.kind === 'clock-step')?.label ?? 'clock step'];
    const x = xOf(group.t);
    for (const text of forms) {
      const width = labelWidth(text);
      const anchor = x + 3 + width > right ? 'end' : 'start';
      const from = anchor === 'start' ? x + 3 : x - 3 - width;
      if (from < freeFrom) continue;
      placed.push({ x, anchor, text, kind: group.kind });
      freeFrom = from + width + 6;
      break;
    }
  }
  return placed;
}
