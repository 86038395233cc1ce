// Decodes trace text into events (pure): every line is checked once here against the trace schema,
// so analysis can trust its types. Unreadable lines become problems; the readable rest is kept.

import { describeIssues } from '../decode/describe-issues.js';
import { traceEventSchema, type TraceEvent } from './events.js';

export interface TraceProblem {
  line: number;
  message: string;
}

export interface DecodedTrace {
  events: TraceEvent[];
  problems: TraceProblem[];
  /** Lines that held an event or a problem (blank lines do not count). */
  lines: number;
}

function describeUnknownType(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const type = (value as { type?: unknown }).type;
  const known = traceEventSchema.options.some((option) => option.shape.type.value === type);
  return known ? null : `unknown event type ${JSON.stringify(type) ?? 'undefined'}`;
}

/**
 * How far outside its planned load a run's events can fall (real ms): workers boot before the load,
 * stop after it, and a real stack's start can take many seconds. An event beyond it is not of this run
 * (a hand-edited line, t = 1e15), and a report drawing an axis to it would spin for minutes.
 */
export const TRACE_SLACK_MS = 10 * 60_000;

/** Decodes a trace; with `runMs` (the run's planned load, real ms), events outside [-slack, runMs + slack] are problems. */
export function decodeTrace(text: string, runMs: number | null = null): DecodedTrace {
  const outside = (t: number): boolean => runMs !== null && (t < -TRACE_SLACK_MS || t > runMs + TRACE_SLACK_MS);
  const events: TraceEvent[] = [];
  const problems: TraceProblem[] = [];
  const rawLines = text.split('\n');
  const lastLine = rawLines[rawLines.length - 1] === '' ? rawLines.length - 2 : rawLines.length - 1;
  let lines = 0;
  rawLines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    lines++;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      // Only the very last line can be cut by a process killed mid-write; elsewhere it is corruption.
      problems.push({ line: index + 1, message: index === lastLine ? 'truncated JSON (the run was cut off while writing)' : 'not valid JSON' });
      return;
    }
    const unknownType = describeUnknownType(value);
    if (unknownType !== null) {
      problems.push({ line: index + 1, message: unknownType });
      return;
    }
    const decoded = traceEventSchema.safeParse(value);
    if (decoded.success && outside(decoded.data.t)) problems.push({ line: index + 1, message: `event "${decoded.data.type}" at t = ${decoded.data.t} ms is outside the run (${runMs ?? 0} ms of load, ± ${TRACE_SLACK_MS / 60_000} min)` });
    else if (decoded.success) events.push(decoded.data);
    else problems.push({ line: index + 1, message: `event "${String((value as { type: unknown }).type)}": ${describeIssues(decoded.error, value)}` });
  });
  // Processes append concurrently; a stable sort by time restores one timeline.
  events.sort((a, b) => a.t - b.t);
  return { events, problems, lines };
}
