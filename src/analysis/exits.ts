// Which worker exits are deaths worth reporting (pure): everything but the stop at the end of a run.

import { eventsOfType, type TraceEvent, type TraceEventOf } from '../trace/events.js';

/** The signals the lab stops workers with at the end (SIGTERM, or SIGINT under Clinic.js Doctor). */
const STOP_SIGNALS: readonly string[] = ['SIGTERM', 'SIGINT'];

/** A worker that died by a signal other than the end-of-run stop: killed by its supervisor, or crashed. */
export function isDeath(exit: TraceEventOf<'worker-exit'>): boolean {
  return exit.signal !== null && !STOP_SIGNALS.includes(exit.signal);
}

/** Every exit a supervisor saw: its workers', and a pod's containers' when the container is a master (both killers nested). */
export function processExits(events: readonly TraceEvent[]): Array<TraceEventOf<'worker-exit'> | TraceEventOf<'container-exit'>> {
  return [...eventsOfType(events, 'worker-exit'), ...eventsOfType(events, 'container-exit')];
}
