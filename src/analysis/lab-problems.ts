// Signs that the lab, not the strategy, failed (pure): such a run is inconclusive, never a pass.

import type { Scenario } from '../scenario/types.js';
import { eventsOfType, type TraceEvent } from '../trace/events.js';

/** The load must run at least this share of its duration for the run to count. */
export const MIN_LOAD_SHARE = 0.9;

export function findLabProblems(events: readonly TraceEvent[], scenario: Scenario): string[] {
  const problems: string[] = [];
  if (eventsOfType(events, 'master-start').length === 0) problems.push('the master never started');
  else if (eventsOfType(events, 'listening').length === 0) problems.push('no worker ever listened');
  if (scenario.load.clients > 0) {
    const start = eventsOfType(events, 'load-start')[0];
    const end = eventsOfType(events, 'load-end')[0];
    if (start === undefined) problems.push('the load generator never started');
    else if (end === undefined) problems.push('the load generator did not finish (it crashed or was stopped)');
    else {
      if (end.sent === 0) problems.push('the load generator sent no request');
      if (end.t - start.t < MIN_LOAD_SHARE * scenario.durationMs) {
        problems.push(`the load ran ${((end.t - start.t) / 1000).toFixed(1)} s of its ${(scenario.durationMs / 1000).toFixed(1)} s`);
      }
    }
  }
  return problems;
}
