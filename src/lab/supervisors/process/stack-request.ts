// A supervisor's request for a worker's stack before it kills it (--stacks): written to the worker's
// capture thread (lab/workers/threads/stack-capture-thread.ts) over the worker's fd 6, answered `ok` once the stack is
// in the trace. Waits at most `deadlineMs`, so a kill is never held up for long; whatever happens, the
// caller kills next, and a capture that did not happen is recorded as such.

import type { ChildProcess } from 'node:child_process';
import { Duplex } from 'node:stream';

/** fd 6 of a worker spawned with 'pipe' there: a socket, read and written. */
export type StackChannel = Duplex;

/** Calls `unavailable` with the reason when no stack was captured. */
export function requestStack(channel: StackChannel | null, deadlineMs: number, unavailable: (reason: string) => void): Promise<void> {
  if (channel === null) return Promise.resolve();
  return new Promise((resolve) => {
    let answered = false;
    const finish = (reason: string | null): void => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      channel.off('data', onData);
      if (reason !== null) unavailable(reason);
      resolve();
    };
    const onData = (chunk: Buffer): void => {
      const reply = chunk.toString().split('\n')[0] ?? '';
      finish(reply === 'ok' ? null : `the capture failed: ${reply.replace(/^error /, '')}`);
    };
    const timer = setTimeout(() => finish(`the worker did not pause within ${Math.round(deadlineMs)} ms (blocked outside JavaScript, or its capture thread is not running)`), deadlineMs);
    channel.on('data', onData);
    channel.write('capture\n');
  });
}

/** The capture channel a supervisor's spawn got at fd 6 ('pipe'), or null. */
export function stackChannelOf(child: ChildProcess, captureStacks: boolean): StackChannel | null {
  // Node types stdio as five entries; a spawn with more fds has more, and fd 6 is a socket when piped.
  const channel: unknown = (child.stdio as ReadonlyArray<unknown>)[6];
  return captureStacks && channel instanceof Duplex ? channel : null;
}
