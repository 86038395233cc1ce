// A pool of worker threads for the `offload` route: the same CPU work, off the event loop.

import { Worker } from 'node:worker_threads';

const THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ id, ms }) => {
  const start = performance.now();
  let now = start;
  while (now < start + ms) now = performance.now();
  parentPort.postMessage({ id, spunMs: now - start });
});
`;

export interface OffloadPool {
  run(ms: number): Promise<number>;
}

/** Threads start on first use; the pool never keeps the process alive by itself. */
export function createOffloadPool(size: number): OffloadPool {
  const threads: Array<{ worker: Worker; busy: number }> = [];
  const pending = new Map<number, (spunMs: number) => void>();
  let nextId = 0;
  // The least busy thread, starting a new one while the pool is not full and all are busy.
  const pick = (): { worker: Worker; busy: number } => {
    const idle = threads.reduce<{ worker: Worker; busy: number } | undefined>((best, t) => (best === undefined || t.busy < best.busy ? t : best), undefined);
    if (idle !== undefined && (idle.busy === 0 || threads.length >= size)) return idle;
    const slot = { worker: new Worker(THREAD_SOURCE, { eval: true }), busy: 0 };
    slot.worker.unref();
    slot.worker.on('message', ({ id, spunMs }: { id: number; spunMs: number }) => {
      slot.busy--;
      pending.get(id)?.(spunMs);
      pending.delete(id);
    });
    threads.push(slot);
    return slot;
  };
  return {
    run(ms) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        const slot = pick();
        slot.busy++;
        slot.worker.postMessage({ id, ms });
      });
    },
  };
}
