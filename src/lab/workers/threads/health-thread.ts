// health-off-loop's thread: an HTTP server of its own, off the event loop, that answers the liveness
// probe from the loop's last tick: 200 while the loop ticked within `loopStaleMs` (busy is alive), 503
// once it has not (a hung loop is not). The common fix for a probe starved by a busy loop.

import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { readThreadData } from '../../ipc/thread-data.js';
import { GIL_ACQUISITIONS, takeGil } from '../stand-in-gil.js';

export interface HealthThreadData {
  /** One Float64: the loop's last tick, in ms on the monotonic clock (process.hrtime), written by the loop. */
  lastTick: SharedArrayBuffer;
  path: string;
  loopStaleMs: number;
  /** The stand-in GIL (stand-in-gil.ts): a Python answerer cannot answer while a `gil` handler holds it. */
  gil: SharedArrayBuffer;
}

const data = readThreadData<HealthThreadData>(workerData, { lastTick: 'object', path: 'string', loopStaleMs: 'number', gil: 'object' }, 'health');
const gil = new Int32Array(data.gil);
/** The longest a `gil` handler can hold it (the lab's longest block is far shorter). */
const MAX_GIL_WAIT_MS = 3_600_000;
const lastTick = new Float64Array(data.lastTick);
const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;

const server = http.createServer((req, res) => {
  takeGil(gil, GIL_ACQUISITIONS.healthAnswer, MAX_GIL_WAIT_MS);
  const ageMs = monotonicMs() - (lastTick[0] ?? 0);
  const found = new URL(req.url ?? '/', 'http://127.0.0.1').pathname === data.path;
  const alive = ageMs < data.loopStaleMs;
  const status = !found ? 404 : alive ? 200 : 503;
  const body = !found ? 'not found\n' : `loop ticked ${Math.round(ageMs)} ms ago\n`;
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 0;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  // One request of its own first: a new thread compiles its HTTP server's path on the first request
  // (tens of ms, which a compressed probe timeout would count); a service's thread has long been warm.
  http.get({ host: '127.0.0.1', port, path: data.path, agent: false }, (res) => {
    res.resume();
    res.on('end', () => parentPort?.postMessage({ port }));
  }).on('error', () => parentPort?.postMessage({ port }));
});
