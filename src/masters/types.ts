// What a master preset is: which heartbeat carrier and clock gunicorn uses, and how it judges staleness.

export type HeartbeatCarrier = 'ctime-wall' | 'mtime-monotonic';

export interface MasterPreset {
  readonly name: string;
  /** One line for `starve-lab list`. */
  readonly summary: string;
  /** The real versions it is faithful to, and which installed stack has them (`starve-lab list`). */
  readonly realVersions: string;
  /**
   * `ctime-wall` (gunicorn <= 21): notify flips the file's mode, so its ctime becomes "now" on the wall clock.
   * `mtime-monotonic` (gunicorn >= 22): notify writes the monotonic time into the file's mtime.
   */
  readonly carrier: HeartbeatCarrier;
  /** gunicorn <= 21 creates the file at boot, so boot counts as a heartbeat; >= 22 never times out a worker that never notified. */
  readonly bootCountsAsBeat: boolean;
}

/** gunicorn's arbiter wakes at least this often (it sleeps on select with a 1.0 s timeout). */
export const NOMINAL_MASTER_PERIOD_MS = 1000;

/**
 * gunicorn's spawn_workers sleeps `0.1 * random.random()` s after forking each worker, before the
 * arbiter's next select: the phase of its checks against a new worker's heartbeats is random by this much.
 */
export const NOMINAL_SPAWN_PAUSE_MAX_MS = 100;
