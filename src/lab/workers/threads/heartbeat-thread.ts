// The `thread` notifier's thread: notifies every interval from outside the event loop, as a
// heartbeat thread in a Python worker would.

import { workerData } from 'node:worker_threads';
import type { HeartbeatCarrier } from '../../../masters/types.js';
import { msSince } from '../../time-base.js';
import { openTraceWriter } from '../../trace-writer.js';
import { createHeartbeatNotifier, type StampPrecision } from '../../heartbeat-file.js';
import { readThreadData } from '../../ipc/thread-data.js';
import { GIL_ACQUISITIONS, takeGil } from '../stand-in-gil.js';

export interface HeartbeatThreadData {
  carrier: HeartbeatCarrier;
  stamps: StampPrecision;
  fd: number;
  intervalMs: number;
  tracePath: string;
  originNs: string;
  pid: number;
  /** The stand-in GIL (stand-in-gil.ts): a Python heartbeat thread cannot notify while a `gil` handler holds it. */
  gil: SharedArrayBuffer;
  maxGilWaitMs: number;
}

const data = readThreadData<HeartbeatThreadData>(workerData, { carrier: 'string', stamps: 'string', fd: 'number', intervalMs: 'number', tracePath: 'string', originNs: 'string', pid: 'number', gil: 'object', maxGilWaitMs: 'number' }, 'heartbeat');
const gil = new Int32Array(data.gil);
const originNs = BigInt(data.originNs);
const trace = openTraceWriter(data.tracePath);
const notify = createHeartbeatNotifier(data.carrier, data.fd, data.stamps);

function beat(): void {
  takeGil(gil, GIL_ACQUISITIONS.heartbeat, data.maxGilWaitMs);
  notify();
  // counter -1: this notify came from the thread, not from a tick.
  trace.write({ type: 'notify', t: msSince(originNs), pid: data.pid, counter: -1 });
}

beat();
setInterval(beat, data.intervalMs);
