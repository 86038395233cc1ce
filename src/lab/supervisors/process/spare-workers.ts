// Warm spares, as every supervisor process of the lab keeps them: a worker process started ahead of
// time and waiting, imports done, for its go (its "fork"), so Node's own start-up (~0.1-0.2 s of real
// time, never scaled) stays off the scenario's clock where gunicorn's fork is almost instant. Started
// again when one dies before it is ready; a worker that cannot boot three times in a row halts the
// supervisor, as gunicorn halts on WORKER_BOOT_ERROR.

import type { ChildProcess } from 'node:child_process';
import type { WorkerLaunch } from '../../ipc/child-config.js';
import { onDecodedMessage } from '../../ipc/child-decode.js';
import { decodeWorkerMessage } from '../../ipc/to-children.js';
import { closeHeartbeatFile, createHeartbeatFile } from '../../heartbeat-file.js';
import type { SharedSocket } from './shared-socket.js';
import { stackChannelOf, type StackChannel } from './stack-request.js';
import { spawnWorkerProcess } from './supervisor-process.js';

export const BOOT_FAILURES_BEFORE_HALT = 3;

export interface SpareWorker {
  child: ChildProcess;
  pid: number;
  heartbeatFd: number;
  /** The request channel to its stack-capture thread (--stacks). */
  stackChannel: StackChannel | null;
  /** True once it waits for its go; false if it died first. */
  armed: Promise<boolean>;
  /** Once it serves: the port its liveness probe goes to (null under gunicorn). Never settles if it dies first. */
  listening: Promise<number | null>;
}

/** Starts a spare with the lab's fds and its own heartbeat file; the file is closed once the process exits. */
export function prepareSpare(launch: WorkerLaunch, socket: SharedSocket, captureStacks: boolean, pingChannel = false): SpareWorker {
  const heartbeatFd = createHeartbeatFile();
  const child = spawnWorkerProcess(launch, heartbeatFd, socket, captureStacks, pingChannel);
  const stackChannel = stackChannelOf(child, captureStacks);
  let onListening: (port: number | null) => void = () => {};
  const listening = new Promise<number | null>((resolve) => (onListening = resolve));
  const armed = new Promise<boolean>((resolve) => {
    child.once('exit', () => resolve(false));
    child.once('error', () => resolve(false));
    onDecodedMessage(child, decodeWorkerMessage, (message) => (message.type === 'armed' ? resolve(true) : onListening(message.probePort)), `worker ${child.pid ?? '?'}`);
  });
  child.once('exit', () => closeHeartbeatFile(heartbeatFd));
  return { child, pid: child.pid ?? -1, heartbeatFd, stackChannel, armed, listening };
}

/** prepareSpare, its process kept in `children` (the supervisor's set to stop) until it exits. */
export function prepareTrackedSpare(children: Set<ChildProcess>, launch: WorkerLaunch, socket: SharedSocket, captureStacks: boolean, pingChannel = false): SpareWorker {
  const spare = prepareSpare(launch, socket, captureStacks, pingChannel);
  children.add(spare.child);
  spare.child.once('exit', () => children.delete(spare.child));
  return spare;
}

/**
 * The first spare that arms, starting a new one (with `prepare`) each time one dies first; null when
 * the supervisor is stopping, or after BOOT_FAILURES_BEFORE_HALT deaths in a row (`failures` says which).
 */
export async function awaitArmedSpare(first: SpareWorker, prepare: () => SpareWorker, stopping: () => boolean): Promise<{ spare: SpareWorker | null; failures: number }> {
  let spare = first;
  let failures = 0;
  while (!(await spare.armed)) {
    if (stopping()) return { spare: null, failures };
    if (++failures >= BOOT_FAILURES_BEFORE_HALT) return { spare: null, failures };
    spare = prepare();
  }
  return { spare: stopping() ? null : spare, failures };
}
