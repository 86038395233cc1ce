// Adaptive repetition (pure): how many runs one strategy needs at one cell, from that cell's own runs
// and prediction only, so a shard decides exactly as the whole sweep would. Every cell gets `base`
// runs; one near a boundary (a survivor at risk, or the arithmetic's at-risk band) gets `near`; one
// whose runs disagree (killed in some, not in others) gets `max`, for a kill rate worth its interval.
// A cell whose runs were all inconclusive gets one more try.

import type { StrategyOutcome } from '../analysis/types.js';
import type { RepeatPolicy } from './plan.js';
import type { PredictedOutcome } from './predict.js';

export type RepeatReason = 'base' | 'near-boundary' | 'mixed' | 'inconclusive' | 'settled';

export function runsWanted(outcomes: readonly StrategyOutcome[], predicted: PredictedOutcome | null, policy: RepeatPolicy): { runs: number; reason: RepeatReason } {
  const done = outcomes.length;
  if (done < policy.base) return { runs: policy.base, reason: 'base' };
  const judged = outcomes.filter((o) => o !== 'inconclusive');
  const killed = judged.filter((o) => o === 'killed').length;
  if (killed > 0 && killed < judged.length) return { runs: Math.max(done, policy.max), reason: 'mixed' };
  if (judged.length === 0) return done <= policy.base ? { runs: done + 1, reason: 'inconclusive' } : { runs: done, reason: 'settled' };
  if (judged.some((o) => o === 'at-risk') || predicted === 'at-risk') return { runs: Math.max(done, policy.near), reason: 'near-boundary' };
  return { runs: done, reason: 'settled' };
}

/** The default policy for `--repeat N` (and `--max-repeat M`): near the boundary at least 3 runs, mixed up to 6. */
export function repeatPolicy(base: number, max?: number): RepeatPolicy {
  const top = max ?? Math.max(base, 6);
  return { base, near: Math.min(top, Math.max(base, 3)), max: Math.max(base, top) };
}
