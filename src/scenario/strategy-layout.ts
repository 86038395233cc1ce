// Side by side or one at a time: how a run lays out its strategies on this machine. Each strategy's
// CPU-bound workers take a core each while they burn; side by side on too few cores they share cores,
// their ticks and polls wake late, and a rule is killed that the production worker, with a core of its
// own, would survive (measured: docs/calibration.md). So by default strategies run side by side only
// when every one of their workers gets a core and one core is left for the loads, the supervisors
// and the CLI; otherwise one at a time.

export type StrategyLayout = 'side-by-side' | 'one-at-a-time';

export interface LayoutChoice {
  layout: StrategyLayout;
  /** Why, in a few words: for the run's first line and the report. */
  reason: string;
}

/**
 * `busyWorkers`: the workers of one strategy that burn CPU (0 when the scenario sends no load);
 * `asked`: the caller's choice (--sequential, --side-by-side), or undefined for the default.
 */
export function chooseStrategyLayout(strategies: number, busyWorkers: number, cores: number, asked: StrategyLayout | undefined): LayoutChoice {
  if (strategies <= 1) return { layout: 'side-by-side', reason: 'one strategy' };
  if (asked !== undefined) return { layout: asked, reason: 'as asked' };
  if (busyWorkers === 0) return { layout: 'side-by-side', reason: 'no load: no worker burns a core' };
  const busy = strategies * busyWorkers;
  return busy <= cores - 1
    ? { layout: 'side-by-side', reason: `${busy} busy worker${busy === 1 ? '' : 's'} fit ${cores} cores` }
    : { layout: 'one-at-a-time', reason: `${busy} busy workers side by side would share ${cores} cores and distort each other's timing` };
}
