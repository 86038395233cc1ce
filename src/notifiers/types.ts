// What a heartbeat rule is: a pure decision taken on each event-loop tick, with its own state.

/** uvicorn's tick: sleep 100 ms, then on_tick; periodic work runs when counter % 10 == 0. */
export const NOMINAL_TICK_MS = 100;
export const TICKS_PER_PERIODIC_CHECK = 10;
/** uvicorn's main_loop wraps its counter here (one day of 100 ms ticks). */
export const TICK_COUNTER_WRAP = 864_000;

export interface NotifierSettings {
  /** The sleep between ticks, already time-scaled (100 ms at real timing). */
  tickMs: number;
  /** The master's timeout, already time-scaled. */
  timeoutMs: number;
}

export interface NotifierDecision {
  /** Decide on tick `counter`; `readWallMs` is the worker's wall clock, read only if the rule would. */
  shouldNotify(counter: number, readWallMs: () => number): boolean;
}

export interface NotifierRule {
  readonly name: string;
  /** One line for `starve-lab list`. */
  readonly summary: string;
  /** The real versions it is faithful to, and what --stack real runs for it (`starve-lab list`). */
  readonly realVersions: string;
  /**
   * `loop`: decided on the event loop's ticks; `thread`: beats from a thread of its own; `timer`: a task
   * on the loop that notifies and sleeps the interval (gunicorn's ASGI worker), so a beat waits for the loop.
   */
  readonly drivenBy: 'loop' | 'thread' | 'timer';
  /** It compares a clock every this many ticks, so a heartbeat waits for such a tick; null if it never does. */
  readonly checkEveryTicks: number | null;
  /** The interval this rule means to notify at (timeout_notify). */
  notifyIntervalMs(settings: NotifierSettings): number;
  create(settings: NotifierSettings): NotifierDecision;
}

/** True on the ticks where uvicorn's on_tick does its once-a-second work. */
export function isPeriodicTick(counter: number): boolean {
  return counter % TICKS_PER_PERIODIC_CHECK === 0;
}
