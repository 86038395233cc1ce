// Parses trace text into events (pure): each line is checked once here, so analysis can trust types.

import type { TraceEvent, TraceEventType } from './events.js';

export interface TraceProblem {
  line: number;
  message: string;
}

export interface ParsedTrace {
  events: TraceEvent[];
  problems: TraceProblem[];
}

// The numeric fields each event type must carry; the rest are checked by their consumers' types.
const REQUIRED_NUMBERS: Record<TraceEventType, readonly string[]> = {
  'master-start': ['pid', 'timeoutMs', 'periodMs', 'port'],
  'worker-spawn': ['pid', 'worker'],
  heartbeat: ['pid', 'beatT'],
  check: ['pid'],
  'worker-timeout': ['pid', 'ageMs'],
  signal: ['pid'],
  'worker-exit': ['pid'],
  'master-stop': ['pid'],
  'clock-step': ['pid', 'stepMs'],
  stack: ['pid'],
  'stack-unavailable': ['pid'],
  'worker-start': ['pid'],
  listening: ['pid'],
  tick: ['pid', 'counter', 'handlers'],
  notify: ['pid', 'counter'],
  'loop-delay': ['pid', 'maxMs', 'p99Ms', 'utilisation'],
  'request-start': ['pid', 'id', 'ms'],
  'request-end': ['pid', 'id', 'status'],
  'load-start': ['pid', 'clients', 'durationMs'],
  'request-sent': ['id', 'client', 'ms'],
  'request-outcome': ['id', 'latencyMs'],
  'load-end': ['pid', 'sent'],
};

function checkEvent(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const record = value as Record<string, unknown>;
  const type = record['type'];
  if (typeof type !== 'string' || !Object.hasOwn(REQUIRED_NUMBERS, type)) {
    return `unknown event type ${JSON.stringify(type)}`;
  }
  for (const field of ['t', ...REQUIRED_NUMBERS[type as TraceEventType]]) {
    if (typeof record[field] !== 'number' || !Number.isFinite(record[field])) {
      return `event "${type}" needs a number in "${field}", got ${JSON.stringify(record[field])}`;
    }
  }
  return null;
}

/** Parses JSON lines; unreadable lines become problems and the readable rest is kept, sorted by time. */
export function parseTrace(text: string): ParsedTrace {
  const events: TraceEvent[] = [];
  const problems: TraceProblem[] = [];
  const lines = text.split('\n');
  const lastLine = lines[lines.length - 1] === '' ? lines.length - 2 : lines.length - 1;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push({ line: index + 1, message: index === lastLine ? 'truncated JSON (the run was cut off while writing)' : 'not valid JSON' });
      return;
    }
    const problem = checkEvent(value);
    if (problem === null) events.push(value as TraceEvent);
    else problems.push({ line: index + 1, message: problem });
  });
  // Processes append concurrently; a stable sort by time restores one timeline.
  events.sort((a, b) => a.t - b.t);
  return { events, problems };
}
