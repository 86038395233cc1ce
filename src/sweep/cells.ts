// The sweep's grid (pure): every combination of the axes' values is a cell, numbered in one fixed
// order (the last axis changes fastest), so a cell's index and id are the same on every machine and
// in every shard.

import { formatAxisValue, type Axis, type SweepParamName } from './axes.js';

export type CellValues = Partial<Record<SweepParamName, number>>;

export interface Cell {
  index: number;
  /** c0007: the cell's directory name. */
  id: string;
  values: CellValues;
}

export function cellId(index: number): string {
  return `c${String(index).padStart(4, '0')}`;
}

/** The cartesian product of the axes, first axis slowest. */
export function expandCells(axes: readonly Axis[]): Cell[] {
  let combos: CellValues[] = [{}];
  for (const axis of axes) combos = combos.flatMap((combo) => axis.values.map((value) => ({ ...combo, [axis.param]: value })));
  return combos.map((values, index) => ({ index, id: cellId(index), values }));
}

/** `clients=2 cpu=500ms`. */
export function describeCell(axes: readonly Axis[], values: CellValues): string {
  return axes.map((axis) => `${axis.param}=${formatAxisValue(axis.unit, values[axis.param] ?? Number.NaN)}`).join(' ');
}

/** The cells whose values differ from `cell` by one step on one axis. */
export function neighbours(axes: readonly Axis[], cells: readonly Cell[], cell: Cell): Cell[] {
  const position = (c: Cell): number[] => axes.map((axis) => axis.values.indexOf(c.values[axis.param] ?? Number.NaN));
  const here = position(cell);
  return cells.filter((other) => {
    const there = position(other);
    const steps = there.map((p, i) => Math.abs(p - (here[i] as number)));
    return steps.reduce((a, b) => a + b, 0) === 1;
  });
}
