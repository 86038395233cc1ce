// The heartbeat carrier gunicorn uses: an unlinked temp file per worker whose timestamp the worker
// bumps and the master reads (WorkerTmp in gunicorn/workers/workertmp.py).

import type { StampPrecision } from '../scenario/scale-time.js';
import { closeSync, fchmodSync, fstatSync, futimesSync, openSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HeartbeatCarrier } from '../masters/types.js';
import { monotonicMs } from './time-base.js';

let created = 0;

/** Master side: make the file before the worker starts, unlink it at once, keep the fd. */
export function createHeartbeatFile(): number {
  const path = join(tmpdir(), `starve-lab-hb-${process.pid}-${created++}-${Date.now()}`);
  const fd = openSync(path, 'wx', 0o600);
  unlinkSync(path);
  return fd;
}

export function closeHeartbeatFile(fd: number): void {
  closeSync(fd);
}

/** The master's clock for this carrier, in ms: wall (time.time) or monotonic (time.monotonic). */
export function readCarrierClockMs(carrier: HeartbeatCarrier): number {
  switch (carrier) {
    case 'ctime-wall':
      return Date.now();
    case 'mtime-monotonic':
      return monotonicMs();
  }
}

/**
 * Compressed time: the kernel stamps a ctime from its coarse clock (one jiffy, 4 ms here, late), a
 * granularity that does not scale: at --time-scale 0.1 it would make every heartbeat look up to 40 ms
 * of scenario time older than it is, and move kills across the master's check phase. So under
 * compression the notify also writes the precise wall time into the mtime, and the master reads that.
 */
export type { StampPrecision };

/** Master side: the last heartbeat as the file shows it, in the carrier's clock (ms). */
export function readHeartbeatMs(carrier: HeartbeatCarrier, fd: number, stamps: StampPrecision = 'kernel'): number {
  const stat = fstatSync(fd);
  switch (carrier) {
    case 'ctime-wall':
      return stamps === 'precise' ? stat.mtimeMs : stat.ctimeMs;
    case 'mtime-monotonic':
      return stat.mtimeMs;
  }
}

/** The precise wall time into the file's mtime (compressed time only). */
function stampPreciseWallTime(fd: number): void {
  const seconds = Date.now() / 1000;
  futimesSync(fd, seconds, seconds);
}

/** Master side, at a worker's "fork": the file's timestamp becomes now, as gunicorn's new file's is. */
export function stampHeartbeatFile(carrier: HeartbeatCarrier, fd: number, stamps: StampPrecision): void {
  if (carrier !== 'ctime-wall') return;
  fchmodSync(fd, 0o600);
  if (stamps === 'precise') stampPreciseWallTime(fd);
}

/** Worker side: one notify, as the worker's `self.notify()` does it. */
export function createHeartbeatNotifier(carrier: HeartbeatCarrier, fd: number, stamps: StampPrecision = 'kernel'): () => void {
  let spinner = 0;
  switch (carrier) {
    case 'ctime-wall':
      // gunicorn <= 21: flip the mode between 0 and 1; the kernel sets ctime to now.
      return () => {
        spinner = (spinner + 1) % 2;
        fchmodSync(fd, spinner);
        if (stamps === 'precise') stampPreciseWallTime(fd);
      };
    case 'mtime-monotonic':
      // gunicorn >= 22: os.utime(fd, (monotonic, monotonic)).
      return () => {
        const seconds = monotonicMs() / 1000;
        futimesSync(fd, seconds, seconds);
      };
  }
}
