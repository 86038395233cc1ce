// How often a strategy was killed over repeated runs (pure): kills over the runs that could be judged,
// with the Wilson score interval, shared by --repeat series and sweep cells.

import type { StrategyOutcome } from './types.js';

/** z for a 95 % interval. */
const Z_95 = 1.959964;

export function wilsonInterval(successes: number, trials: number, z = Z_95): [number, number] | null {
  if (trials === 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / (1 + z2 / trials);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Kills over the runs that could be judged, with the Wilson interval, and how many runs had each outcome. */
export interface KillTally {
  judged: number;
  killed: number;
  killRate: number | null;
  killRateInterval: [number, number] | null;
  outcomes: Partial<Record<StrategyOutcome, number>>;
}

export function tallyKills(runs: readonly StrategyOutcome[]): KillTally {
  const judged = runs.filter((outcome) => outcome !== 'inconclusive').length;
  const killed = runs.filter((outcome) => outcome === 'killed').length;
  const outcomes: Partial<Record<StrategyOutcome, number>> = {};
  for (const outcome of runs) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  return { judged, killed, killRate: judged === 0 ? null : killed / judged, killRateInterval: wilsonInterval(killed, judged), outcomes };
}
