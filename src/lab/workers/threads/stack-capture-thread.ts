// The worker's stack-capture thread: on the master's request, pauses the worker's main thread through
// the V8 inspector (an in-process session, so no port is opened) and records the JavaScript stack the
// loop was blocked in. Debugger.pause is served by an interrupt, so it answers while the loop is busy.

import { Session } from 'node:inspector';
import net from 'node:net';
import { workerData } from 'node:worker_threads';
import type { StackFrame } from '../../../trace/events.js';
import { msSince } from '../../time-base.js';
import { openTraceWriter } from '../../trace-writer.js';
import { readThreadData } from '../../ipc/thread-data.js';

export interface StackCaptureData {
  channelFd: number;
  tracePath: string;
  originNs: string;
  pid: number;
}

interface PausedParams {
  callFrames: Array<{ functionName: string; url: string; location: { scriptId: string; lineNumber: number; columnNumber: number } }>;
}

/** The frames kept per stack: enough to reach the handler from the innermost call. */
const MAX_FRAMES = 16;

const data = readThreadData<StackCaptureData>(workerData, { channelFd: 'number', tracePath: 'string', originNs: 'string', pid: 'number' }, 'stack-capture');
const originNs = BigInt(data.originNs);
const trace = openTraceWriter(data.tracePath);
const session = new Session();
session.connectToMainThread();
const channel = new net.Socket({ fd: data.channelFd, readable: true, writable: true });

function post(method: string, params: object = {}): Promise<unknown> {
  return new Promise((resolve, reject) => {
    session.post(method, params, (error, result) => (error === null ? resolve(result) : reject(error)));
  });
}

// Enabled once, while the worker is still idle: enabling replays every parsed script (about 100 ms),
// far too slow to do at a kill; a pause alone answers in a few milliseconds.
// V8 leaves a call frame's url empty: its script's url comes from the scriptParsed notifications.
const scriptUrls = new Map<string, string>();
session.on('Debugger.scriptParsed', (message: { params: { scriptId: string; url: string } }) => scriptUrls.set(message.params.scriptId, message.params.url));
const enabled = post('Debugger.enable');

async function capture(): Promise<void> {
  await enabled;
  const paused = new Promise<PausedParams>((resolve) => session.once('Debugger.paused', (message: { params: PausedParams }) => resolve(message.params)));
  await post('Debugger.pause');
  const { callFrames } = await paused;
  const frames: StackFrame[] = callFrames.slice(0, MAX_FRAMES).map((frame) => ({
    functionName: frame.functionName === '' ? '(anonymous)' : frame.functionName,
    url: frame.url === '' ? (scriptUrls.get(frame.location.scriptId) ?? '') : frame.url,
    line: frame.location.lineNumber + 1,
    column: frame.location.columnNumber + 1,
  }));
  trace.write({ type: 'stack', t: msSince(originNs), pid: data.pid, frames });
  await post('Debugger.resume');
}

let buffered = '';
channel.on('data', (chunk: Buffer) => {
  buffered += chunk.toString();
  let newline = buffered.indexOf('\n');
  while (newline >= 0) {
    const line = buffered.slice(0, newline);
    buffered = buffered.slice(newline + 1);
    newline = buffered.indexOf('\n');
    if (line === 'capture') {
      capture().then(
        () => channel.write('ok\n'),
        (error: unknown) => channel.write(`error ${String(error).replace(/\n/g, ' ')}\n`),
      );
    }
  }
});
channel.on('error', () => {});
