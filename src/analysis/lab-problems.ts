// Signs that the lab, not the strategy, failed (pure): such a run is inconclusive, never a pass.

import type { Scenario } from '../scenario/types.js';
import { eventsOfType, type TraceEvent } from '../trace/events.js';
import type { LabProblem } from './findings.js';

/** The load must run at least this share of its duration for the run to count. */
export const MIN_LOAD_SHARE = 0.9;

export function findLabProblems(events: readonly TraceEvent[], scenario: Scenario): LabProblem[] {
  const problems: LabProblem[] = [];
  if (eventsOfType(events, 'master-start').length === 0) problems.push({ problem: 'master-never-started' });
  else if (eventsOfType(events, 'listening').length === 0) problems.push({ problem: 'no-worker-listened' });
  if (scenario.load.clients > 0) {
    const start = eventsOfType(events, 'load-start')[0];
    const end = eventsOfType(events, 'load-end')[0];
    if (start === undefined) problems.push({ problem: 'load-never-started' });
    else if (end === undefined) problems.push({ problem: 'load-unfinished' });
    else {
      if (end.sent === 0) problems.push({ problem: 'load-sent-nothing' });
      if (end.t - start.t < MIN_LOAD_SHARE * scenario.durationMs) problems.push({ problem: 'load-short', ranMs: end.t - start.t, durationMs: scenario.durationMs });
    }
  }
  return problems;
}
