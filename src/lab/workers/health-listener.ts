// Where a worker under the kubelet is probed (model worker and the user's app alike): its own loop
// through a second listening port whose connections go to its HTTP server (the lab's shared socket
// cannot tell workers apart), the health thread's port, or none (an exec probe reads the heartbeat
// file). Started before the worker's go: a thread's start-up is Node's, not the container's.

import net from 'node:net';
import type http from 'node:http';
import { Worker } from 'node:worker_threads';
import type { WorkerHealth } from '../ipc/child-config.js';
import type { HealthThreadData } from './threads/health-thread.js';
import { createStandInGil, type StandInGil } from './stand-in-gil.js';

/** The loop's last tick, in ms on the monotonic clock, shared with the health thread. */
export function createLastTick(): { stamp(): void; shared: Float64Array } {
  const shared = new Float64Array(new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT));
  return { stamp: () => void (shared[0] = Number(process.hrtime.bigint()) / 1e6), shared };
}

/** Resolves with the probe's port (null: an exec probe, nothing to listen on). */
export function startHealthListener(health: WorkerHealth | null, lastTick: Float64Array, server: () => http.Server | null, gil: StandInGil = createStandInGil()): Promise<number | null> {
  if (health === null || health.answeredBy === 'file') return Promise.resolve(null);
  if (health.answeredBy === 'thread') {
    // The thread stands for a Python thread: a `gil` handler on the loop stops it (stand-in-gil.ts).
    const data: HealthThreadData = { lastTick: lastTick.buffer as SharedArrayBuffer, path: health.path, loopStaleMs: health.loopStaleMs, gil: gil.buffer as SharedArrayBuffer };
    // execArgv: [] so that a preload of the process (the agent's --import) does not run again in the thread.
    const thread = new Worker(new URL('./threads/health-thread.js', import.meta.url), { workerData: data, execArgv: [] });
    thread.unref();
    return new Promise((resolve) => thread.once('message', (message: { port: number }) => resolve(message.port)));
  }
  // On the loop: the connection is the app server's like any other (and a blocked loop still lets the
  // kernel accept it, which is all a tcpSocket probe asks).
  const probe = net.createServer((socket) => {
    const target = server();
    if (target === null) socket.destroy();
    else target.emit('connection', socket);
  });
  return new Promise((resolve) =>
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      resolve(typeof address === 'object' && address !== null ? address.port : null);
    }),
  );
}
