// Where a run starts and ends on its own time axis (pure), one definition for every figure and chart.

import { eventsOfType, type TraceEvent } from '../trace/events.js';

/** The end of the run: the supervisor's stop, else the last event recorded. */
export function runEnd(events: readonly TraceEvent[]): number | undefined {
  return eventsOfType(events, 'master-stop')[0]?.t ?? events[events.length - 1]?.t;
}

/** How long the run looked: from the load's start to its end (or the supervisor's, without load). */
export function observedSpan(events: readonly TraceEvent[]): number {
  const start = eventsOfType(events, 'load-start')[0]?.t ?? eventsOfType(events, 'master-start')[0]?.t;
  const end = eventsOfType(events, 'load-end')[0]?.t ?? runEnd(events);
  return start === undefined || end === undefined ? 0 : Math.max(0, end - start);
}
