// What a master preset is: which heartbeat carrier and clock gunicorn uses, and how it judges staleness.

export type HeartbeatCarrier = 'ctime-wall' | 'mtime-monotonic';

export interface MasterPreset {
  readonly name: string;
  /** One line for `starve-lab list`. */
  readonly summary: string;
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
