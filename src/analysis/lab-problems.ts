// Signs that the lab, not the strategy, failed (pure): such a run is inconclusive, never a pass.

import type { Scenario } from '../scenario/types.js';
import { eventsOfType, type TraceEvent } from '../trace/events.js';
import type { LabProblem } from './findings.js';

/** The load must run at least this share of its duration for the run to count. */
export const MIN_LOAD_SHARE = 0.9;

export function findLabProblems(events: readonly TraceEvent[], scenario: Scenario): LabProblem[] {
  const problems: LabProblem[] = [];
  const started = eventsOfType(events, 'master-start').length > 0;
  // Every supervisor records its stop last (even when its orchestrator died): without it the file was cut.
  const cut = started && eventsOfType(events, 'master-stop').length === 0;
  if (!started) problems.push({ problem: 'master-never-started' });
  else if (eventsOfType(events, 'listening').length === 0) problems.push({ problem: 'no-worker-listened' });
  if (cut) problems.push({ problem: 'trace-cut', lastMs: Math.max(...events.map((e) => e.t)) });
  if (scenario.load.clients > 0) {
    const start = eventsOfType(events, 'load-start')[0];
    const end = eventsOfType(events, 'load-end')[0];
    if (start === undefined) problems.push({ problem: 'load-never-started' });
    // A cut trace lost the load's end with the rest: not the load generator's fault.
    else if (end === undefined) {
      if (!cut) problems.push({ problem: 'load-unfinished' });
    }
    else {
      if (end.sent === 0) problems.push({ problem: 'load-sent-nothing' });
      if (end.t - start.t < MIN_LOAD_SHARE * scenario.durationMs) problems.push({ problem: 'load-short', ranMs: end.t - start.t, durationMs: scenario.durationMs });
    }
  }
  return problems;
}
