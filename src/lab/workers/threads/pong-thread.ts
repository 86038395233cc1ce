// uvicorn's healthcheck answerer (uvicorn/supervisors/multiprocess.py, Process.always_pong): a daemon
// thread of the child that reads each `ping` from the parent's pipe and writes the answer, whatever the
// event loop is doing. It stands for a Python thread, so it needs the GIL (the stand-in, stand-in-gil.ts)
// back after each blocking read and write: a handler that holds it keeps the answer from leaving. The
// channel is read by this thread's own event loop, never by a blocking read: a thread stuck in read(2)
// could not be stopped, and Node waits for its threads when the process exits.

import net from 'node:net';
import { workerData } from 'node:worker_threads';
import { readThreadData } from '../../ipc/thread-data.js';
import { takeGil } from '../stand-in-gil.js';

export interface PongThreadData {
  /** The worker's end of the parent's ping channel (PING_CHANNEL_FD). */
  fd: number;
  gil: SharedArrayBuffer;
  /** How often it needs the GIL back per answer (process-manager/healthcheck.ts). */
  gilTakings: number;
  maxGilWaitMs: number;
}

const data = readThreadData<PongThreadData>(workerData, { fd: 'number', gil: 'object', gilTakings: 'number', maxGilWaitMs: 'number' }, 'pong');
const gil = new Int32Array(data.gil);
const channel = new net.Socket({ fd: data.fd, readable: true, writable: true });

channel.on('data', (pings: Buffer) => {
  for (let i = 0; i < pings.length; i++) {
    takeGil(gil, data.gilTakings, data.maxGilWaitMs);
    channel.write('o');
  }
});
// The parent went (or killed this process): nothing left to answer.
channel.on('error', () => channel.destroy());
