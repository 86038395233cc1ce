// `--shard i/n` (pure): a deterministic slice of the cells. Cells are dealt round-robin by index, so
// each shard gets cells from all over the grid (the expensive corner is shared), every cell lands in
// exactly one shard, and any batch scheduler with an index can run the slices.

import { StarveError } from '../errors.js';

export interface Shard {
  /** 1-based, as in a CI matrix. */
  index: number;
  count: number;
}

export const MAX_SHARDS = 256;

export function parseShard(raw: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
    throw new StarveError('BAD_ARGUMENT', `Expected --shard to be i/n with 1 <= i <= n <= ${MAX_SHARDS} (e.g. --shard 2/4), got \`${raw}\`.`, {
      hint: 'In a GitHub Actions matrix: --shard ${{ matrix.shard }}/${{ strategy.job-total }}.',
    });
  }
  return { index, count };
}

/** Whether `shard` is one of `shard.count` shards that each hold a cell of a sweep of `cellCount` cells. */
export function shardFits(shard: Shard, cellCount: number): boolean {
  return shard.index >= 1 && shard.index <= shard.count && shard.count <= cellCount;
}

export function inShard(cellIndex: number, shard: Shard | null): boolean {
  return shard === null || cellIndex % shard.count === shard.index - 1;
}

export function describeShard(shard: Shard | null): string {
  return shard === null ? 'all cells' : `shard ${shard.index}/${shard.count}`;
}
