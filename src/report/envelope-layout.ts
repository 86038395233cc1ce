// How an envelope is laid out as maps (pure, shared by every renderer): the first axis down the rows,
// the second across the columns (one axis: a single row), one map per combination of any further
// axes; and the edges between neighbouring cells where a boundary runs.

import type { Axis } from '../sweep/axes.js';
import type { CellValues } from '../sweep/cells.js';
import type { Envelope, EnvelopeCell, StrategyCell } from '../sweep/envelope.js';
import { formatAxisValue } from '../sweep/axes.js';

export interface Facet {
  /** `workers=2 timeout=10s`, or '' when there are at most two axes. */
  label: string;
  fixed: CellValues;
}

export interface MapLayout {
  rowAxis: Axis | null;
  colAxis: Axis;
  facets: Facet[];
}

export function mapLayout(envelope: Envelope): MapLayout {
  const [first, second, ...rest] = envelope.axes;
  if (first === undefined) throw new Error('an envelope has at least one axis');
  const rowAxis = second === undefined ? null : first;
  const colAxis = second ?? first;
  let facets: Facet[] = [{ label: '', fixed: {} }];
  for (const axis of rest) {
    facets = facets.flatMap((facet) =>
      axis.values.map((value) => ({ label: `${facet.label}${facet.label === '' ? '' : ' '}${axis.param}=${formatAxisValue(axis.unit, value)}`, fixed: { ...facet.fixed, [axis.param]: value } })),
    );
  }
  return { rowAxis, colAxis, facets };
}

/** The rows' values (a single row of `null` without a row axis), highest first, as a map is read. */
export function rowValues(layout: MapLayout): Array<number | null> {
  return layout.rowAxis === null ? [null] : [...layout.rowAxis.values].reverse();
}

export function cellAt(envelope: Envelope, layout: MapLayout, facet: Facet, row: number | null, col: number): EnvelopeCell | undefined {
  return envelope.cells.find((cell) => {
    if (cell.values[layout.colAxis.param] !== col) return false;
    if (layout.rowAxis !== null && cell.values[layout.rowAxis.param] !== row) return false;
    return Object.entries(facet.fixed).every(([param, value]) => cell.values[param as keyof CellValues] === value);
  });
}

export function strategyAt(cell: EnvelopeCell | undefined, strategy: string): StrategyCell | undefined {
  return cell?.strategies.find((s) => s.strategy === strategy);
}

export type Side = 'killed' | 'survives' | null;

/**
 * The edges of a boundary on one map: between a cell and its right or upper neighbour whose sides
 * differ (both known). Grid coordinates: column i, row j counted from the top.
 */
export function boundaryEdges(sides: ReadonlyArray<ReadonlyArray<Side>>): Array<{ x1: number; y1: number; x2: number; y2: number }> {
  const edges: Array<{ x1: number; y1: number; x2: number; y2: number }> = [];
  sides.forEach((row, j) =>
    row.forEach((side, i) => {
      const right = row[i + 1];
      if (side !== null && right !== undefined && right !== null && right !== side) edges.push({ x1: i + 1, y1: j, x2: i + 1, y2: j + 1 });
      const below = sides[j + 1]?.[i];
      if (side !== null && below !== undefined && below !== null && below !== side) edges.push({ x1: i, y1: j + 1, x2: i + 1, y2: j + 1 });
    }),
  );
  return edges;
}
