// Kill markers on the charts: one line per kill, labels that never overprint (pure).

import { describe, expect, it } from 'vitest';
import type { Marker } from '../../src/analysis/types.js';
import { groupMarkers, labelWidth, placeLabels } from '../../src/report/chart-markers.js';

function kill(t: number, pid: number): Marker[] {
  return [
    { t, kind: 'worker-timeout', label: `WORKER TIMEOUT (pid:${pid})` },
    { t, kind: 'sigabrt', label: 'SIGABRT' },
    { t: t + 4, kind: 'exit', label: `pid ${pid} died (SIGABRT)` },
    { t: t + 60, kind: 'respawn', label: `respawn (pid ${pid + 1})` },
  ];
}

describe('groupMarkers', () => {
  it('draws a kill, its signal, exit and respawn as one line named by the kill', () => {
    const groups = groupMarkers([{ t: 0, kind: 'spawn', label: 'boot (pid 1)' }, ...kill(30_000, 1)], 500);
    expect(groups.map((g) => [g.t, g.kind, g.markers.length])).toEqual([
      [0, 'spawn', 1],
      [30_000, 'worker-timeout', 4],
    ]);
  });

  it('keeps two kills apart however close they are, and a respawn long after a kill on its own', () => {
    const groups = groupMarkers([...kill(10_000, 1), ...kill(10_010, 5), { t: 20_000, kind: 'respawn', label: 'respawn (pid 9)' }], 500);
    expect(groups.map((g) => g.kind)).toEqual(['worker-timeout', 'worker-timeout', 'respawn']);
    expect(groups[0]?.markers.map((m) => m.kind)).toEqual(['worker-timeout', 'sigabrt', 'exit']);
    expect(groups[1]?.markers.map((m) => m.kind)).toEqual(['worker-timeout', 'sigabrt', 'exit', 'respawn', 'respawn']);
  });

  it('does not depend on the order the markers arrive in', () => {
    const markers = [...kill(5000, 1), ...kill(9000, 2)];
    expect(groupMarkers([...markers].reverse(), 500).map((g) => g.t)).toEqual([5000, 9000]);
  });
});

describe('placeLabels', () => {
  const span = { left: 56, right: 904 };
  const xOf = (endMs: number) => (t: number) => span.left + (t / endMs) * (span.right - span.left);
  const boxes = (labels: ReturnType<typeof placeLabels>) =>
    labels.map((l) => (l.anchor === 'start' ? [l.x + 3, l.x + 3 + labelWidth(l.text)] : [l.x - 3 - labelWidth(l.text), l.x - 3]) as [number, number]);

  it('names a lone kill in full, with its time', () => {
    const groups = groupMarkers(kill(30_100, 1), 100);
    expect(placeLabels(groups, xOf(75_000), span.left, span.right).map((l) => l.text)).toEqual(['kill 1 · 30.1 s']);
  });

  it('turns a label near the right edge leftwards so it stays inside the plot', () => {
    const [label] = placeLabels(groupMarkers(kill(74_500, 1), 100), xOf(75_000), span.left, span.right);
    expect(label?.anchor).toBe('end');
  });

  it('never overlaps two labels, at 2 kills or at 80, and keeps the kill numbers in order', () => {
    for (const [kills, endMs] of [
      [2, 75_000],
      [80, 200_000],
    ] as const) {
      const markers = Array.from({ length: kills }, (_, i) => kill(2000 + i * ((endMs - 4000) / kills), i * 2 + 1)).flat();
      const labels = placeLabels(groupMarkers(markers, 100), xOf(endMs), span.left, span.right);
      expect(labels.length).toBeGreaterThan(0);
      const placed = boxes(labels);
      for (let i = 1; i < placed.length; i++) expect(placed[i]![0]).toBeGreaterThanOrEqual(placed[i - 1]![1]);
      for (const [from, to] of placed) {
        expect(from).toBeGreaterThanOrEqual(span.left - 1);
        expect(to).toBeLessThanOrEqual(span.right + 1);
      }
      const numbers = labels.map((l) => Number(/^(?:kill )?(\d+)/.exec(l.text)?.[1]));
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
      if (kills === 80) expect(labels.length).toBeLessThan(80);
    }
  });
});
