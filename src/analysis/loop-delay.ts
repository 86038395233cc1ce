// Node's own view of each worker's loop (pure): delay per window and how busy the loop was.

import { eventsOfType, type TraceEvent } from '../trace/events.js';
import type { LoopDelayFindings } from './types.js';

export function findLoopDelay(events: readonly TraceEvent[]): LoopDelayFindings {
  const windows = eventsOfType(events, 'loop-delay');
  if (windows.length === 0) return { windows: 0, maxMs: null, p99Ms: null, meanUtilisation: null };
  return {
    windows: windows.length,
    maxMs: Math.max(...windows.map((w) => w.maxMs)),
    p99Ms: Math.max(...windows.map((w) => w.p99Ms)),
    meanUtilisation: windows.reduce((sum, w) => sum + w.utilisation, 0) / windows.length,
  };
}
