// Follows a trace file as other processes append to it, decoding each complete line (the real stack's
// supervisor learns from its workers' own events which heartbeat file is whose, and when they listen).

import { closeSync, openSync, readSync } from 'node:fs';
import { decodeTrace } from '../../../trace/decode-trace.js';
import type { TraceEvent } from '../../../trace/events.js';

export interface TraceTail {
  /** The events appended since the last call. */
  read(): TraceEvent[];
  close(): void;
}

export function tailTrace(path: string): TraceTail {
  const fd = openSync(path, 'a+');
  let offset = 0;
  let partial = '';
  const buffer = Buffer.alloc(64 * 1024);
  return {
    read() {
      let text = partial;
      for (;;) {
        const bytes = readSync(fd, buffer, 0, buffer.length, offset);
        if (bytes === 0) break;
        offset += bytes;
        text += buffer.toString('utf8', 0, bytes);
      }
      const end = text.lastIndexOf('\n');
      partial = text.slice(end + 1);
      return end < 0 ? [] : decodeTrace(text.slice(0, end + 1)).events;
    },
    close: () => closeSync(fd),
  };
}
