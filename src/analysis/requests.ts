// Request outcomes as the load saw them (pure): every request sent is settled once, or it vanished.

import { eventsOfType, type TraceEvent } from '../trace/events.js';
import { summarise } from '../stats.js';
import type { RequestFindings } from './types.js';

/** Requests the server started more than once: a proxy in front re-sent them after their worker died. */
export function countRetriedRequests(events: readonly TraceEvent[]): number {
  const starts = new Map<number, number>();
  for (const event of eventsOfType(events, 'request-start')) starts.set(event.id, (starts.get(event.id) ?? 0) + 1);
  return [...starts.values()].filter((count) => count > 1).length;
}

export function findRequestOutcomes(events: readonly TraceEvent[]): RequestFindings {
  const sent = eventsOfType(events, 'request-sent').length;
  const outcomes = eventsOfType(events, 'request-outcome');
  const count = (outcome: string): number => outcomes.filter((e) => e.outcome === outcome).length;
  const completed = outcomes.filter((e) => e.outcome === 'completed');
  return {
    sent,
    completed: completed.length,
    failedStatus: completed.filter((e) => e.status === null || e.status < 200 || e.status >= 300).length,
    reset: count('reset'),
    refused: count('refused'),
    timedOut: count('timed-out'),
    cutAtEnd: count('cut-at-end'),
    vanished: Math.max(0, sent - outcomes.length),
    latencyMs: summarise(completed.map((e) => e.latencyMs)),
  };
}

