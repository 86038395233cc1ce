// The trace contract: every event any process of a run records, one JSON object per line.
// `t` is milliseconds since the run's start on the shared monotonic clock (see time-base.ts).

export const TRACE_VERSION = 1;

export type RequestOutcome = 'completed' | 'reset' | 'refused' | 'timed-out' | 'cut-at-end';

export type ExitSignal = 'SIGABRT' | 'SIGKILL' | 'SIGTERM';

/** One frame of a JavaScript stack captured at a kill; `url` is a file URL or empty for a builtin. */
export interface StackFrame {
  functionName: string;
  url: string;
  line: number;
  column: number;
}

export type TraceEvent =
  // master (gunicorn arbiter)
  | { type: 'master-start'; t: number; pid: number; master: string; timeoutMs: number; periodMs: number; port: number }
  | { type: 'worker-spawn'; t: number; pid: number; worker: number; bootCountsAsBeat: boolean }
  | { type: 'heartbeat'; t: number; pid: number; beatT: number }
  | { type: 'check'; t: number; pid: number; ageMs: number | null }
  | { type: 'worker-timeout'; t: number; pid: number; ageMs: number }
  | { type: 'signal'; t: number; pid: number; signal: ExitSignal }
  | { type: 'worker-exit'; t: number; pid: number; code: number | null; signal: string | null }
  | { type: 'master-stop'; t: number; pid: number; reason: string }
  | { type: 'clock-step'; t: number; pid: number; stepMs: number }
  | { type: 'stack'; t: number; pid: number; frames: StackFrame[] }
  | { type: 'stack-unavailable'; t: number; pid: number; reason: string }
  // worker (uvicorn server loop)
  | { type: 'worker-start'; t: number; pid: number; notifier: string; loop: string }
  | { type: 'listening'; t: number; pid: number }
  | { type: 'tick'; t: number; pid: number; counter: number; handlers: number }
  | { type: 'notify'; t: number; pid: number; counter: number }
  /** Per window: the loop's delay (max, p99) and the share of time it was busy (0..1). */
  | { type: 'loop-delay'; t: number; pid: number; maxMs: number; p99Ms: number; utilisation: number }
  | { type: 'request-start'; t: number; pid: number; id: number; route: string; ms: number }
  | { type: 'request-end'; t: number; pid: number; id: number; status: number }
  // load generator (autocannon)
  | { type: 'load-start'; t: number; pid: number; clients: number; durationMs: number }
  | { type: 'request-sent'; t: number; id: number; client: number; route: string; ms: number }
  | {
      type: 'request-outcome';
      t: number;
      id: number;
      outcome: RequestOutcome;
      status: number | null;
      latencyMs: number;
      error: string | null;
    }
  | { type: 'load-end'; t: number; pid: number; sent: number };

export type TraceEventType = TraceEvent['type'];

export type TraceEventOf<K extends TraceEventType> = Extract<TraceEvent, { type: K }>;

/** Narrows a list of events to one type, keeping their order. */
export function eventsOfType<K extends TraceEventType>(events: readonly TraceEvent[], type: K): TraceEventOf<K>[] {
  return events.filter((event): event is TraceEventOf<K> => event.type === type);
}
