// Upper bounds for every number a scenario (or a flag that overrides it) may hold (pure): far above
// any real case, low enough that a typo (an extra zero, 1e308) is refused with a clear message
// before anything starts instead of running for days or exhausting memory.

const HOUR_MS = 3_600_000;

export const LIMITS = {
  /** gunicorn's default is 30 s; an hour is already extreme. */
  timeoutMs: HOUR_MS,
  durationMs: HOUR_MS,
  /** A route's handler time (the `hang` scenario blocks for the whole hour). */
  routeMs: HOUR_MS,
  thinkMs: 10 * 60_000,
  /** A server's idle-connection timeout: 10 min is longer than any proxy keeps one. */
  keepAliveMs: 10 * 60_000,
  /** One connection per client in one load process. */
  clients: 256,
  /** An open load's mean arrival rate: far above what a worker of CPU-bound handlers can serve. */
  arrivalsPerS: 1000,
  workers: 8,
  routeWeight: 1_000_000,
  clockStepMs: 24 * HOUR_MS,
} as const;

/** "1 hour", "10 min", "256" for messages. */
export function describeLimit(ms: number): string {
  if (ms % HOUR_MS === 0) return ms === HOUR_MS ? '1 hour' : `${ms / HOUR_MS} hours`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms} ms`;
}
