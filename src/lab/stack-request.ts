// A supervisor's request for a worker's stack before it kills it (--stacks): written to the worker's
// capture thread (lab/stack-capture-thread.ts) over the worker's fd 6, answered `ok` once the stack is
// in the trace. Waits at most `deadlineMs`, so a kill is never held up for long; whatever happens, the
// caller kills next, and a capture that did not happen is recorded as such.

import type { Readable, Writable } from 'node:stream';

export type StackChannel = Readable & Writable;

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
export function stackChannelOf(child: { stdio: unknown }, captureStacks: boolean): StackChannel | null {
  const channel = (child.stdio as unknown as Array<unknown>)[6];
  return captureStacks && channel !== null && channel !== undefined ? (channel as StackChannel) : null;
}
