// The heartbeat carrier gunicorn uses: an unlinked temp file per worker whose timestamp the worker
// bumps and the master reads (WorkerTmp in gunicorn/workers/workertmp.py).

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

/** Master side: the last heartbeat as the file shows it, in the carrier's clock (ms). */
export function readHeartbeatMs(carrier: HeartbeatCarrier, fd: number): number {
  const stat = fstatSync(fd);
  switch (carrier) {
    case 'ctime-wall':
      return stat.ctimeMs;
    case 'mtime-monotonic':
      return stat.mtimeMs;
  }
}

/** Worker side: one notify, as the worker's `self.notify()` does it. */
export function createHeartbeatNotifier(carrier: HeartbeatCarrier, fd: number): () => void {
  let spinner = 0;
  switch (carrier) {
    case 'ctime-wall':
      // gunicorn <= 21: flip the mode between 0 and 1; the kernel sets ctime to now.
      return () => {
        spinner = (spinner + 1) % 2;
        fchmodSync(fd, spinner);
      };
    case 'mtime-monotonic':
      // gunicorn >= 22: os.utime(fd, (monotonic, monotonic)).
      return () => {
        const seconds = monotonicMs() / 1000;
        futimesSync(fd, seconds, seconds);
      };
  }
}
