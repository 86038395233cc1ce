// Appends trace events with one write(2) each, so whatever a process recorded is in the kernel's
// page cache before its next instruction: a worker killed by SIGABRT or SIGKILL loses nothing.

import { closeSync, openSync, writeSync } from 'node:fs';
import type { TraceEvent } from '../trace/events.js';

export interface TraceWriter {
  write(event: TraceEvent): void;
  close(): void;
}

export function openTraceWriter(path: string): TraceWriter {
  // O_APPEND: several processes share one file; Linux keeps each small append whole.
  const fd = openSync(path, 'a');
  let open = true;
  return {
    write(event) {
      if (open) writeSync(fd, `${JSON.stringify(event)}\n`);
    },
    close() {
      if (open) {
        open = false;
        closeSync(fd);
      }
    },
  };
}
