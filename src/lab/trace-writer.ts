// Appends trace events with one write(2) each, so whatever a process recorded is in the kernel's
// page cache before its next instruction: a worker killed by SIGABRT or SIGKILL loses nothing that
// was written. An event nothing needs at a kill (a request's end: its outcome is the load's record)
// may be deferred instead: it goes out in the same write(2) as the next event, so a busy worker pays
// one system call per request rather than two.

import { closeSync, openSync, writeSync } from 'node:fs';
import type { TraceEvent } from '../trace/events.js';

export interface TraceWriter {
  write(event: TraceEvent): void;
  /** Written with the next `write` (or at `close`); lost if the process is killed first. */
  defer(event: TraceEvent): void;
  close(): void;
}

export function openTraceWriter(path: string): TraceWriter {
  // O_APPEND: several processes share one file; Linux keeps each small append whole.
  const fd = openSync(path, 'a');
  let open = true;
  let pending = '';
  return {
    write(event) {
      if (!open) return;
      writeSync(fd, `${pending}${JSON.stringify(event)}\n`);
      pending = '';
    },
    defer(event) {
      if (open) pending += `${JSON.stringify(event)}\n`;
    },
    close() {
      if (!open) return;
      open = false;
      if (pending !== '') writeSync(fd, pending);
      pending = '';
      closeSync(fd);
    },
  };
}
