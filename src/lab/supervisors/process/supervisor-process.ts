// What every supervisor process of the lab (gunicorn's arbiter, lab/supervisors/gunicorn/master-main.ts; the kubelet,
// lab/supervisors/kubelet/kubelet-main.ts) does the same way: tell the orchestrator, record to the strategy's trace, bind
// the shared socket or say why not, start a worker process with the lab's fds, and stop when told,
// signalled, timed out or orphaned.

import { spawn, type ChildProcess } from 'node:child_process';
import { isStarveError } from '../../../errors.js';
import type { TraceEvent } from '../../../trace/events.js';
import { LISTEN_FD, type WorkerLaunch } from '../../ipc/child-config.js';
import { onDecodedMessage } from '../../ipc/child-decode.js';
import { decodeGoMessage, decodeStopMessage } from '../../ipc/to-children.js';
import type { MasterMessage } from '../../ipc/to-orchestrator.js';
import { bindSharedSocket, type SharedSocket } from './shared-socket.js';
import type { TraceWriter } from '../../trace-writer.js';

/** How often a supervisor checks that the orchestrator is still there. */
const ORPHAN_CHECK_MS = 500;

export interface SupervisorChannel {
  send(message: MasterMessage): void;
  /** Into the trace; with `tellParent`, to the orchestrator's progress too. */
  record(event: TraceEvent, tellParent?: boolean): void;
}

export function openSupervisorChannel(trace: TraceWriter): SupervisorChannel {
  const send = (message: MasterMessage): void => {
    if (process.connected) process.send?.(message);
  };
  return {
    send,
    record(event, tellParent = false) {
      trace.write(event);
      if (tellParent) send({ type: 'event', event });
    },
  };
}

/** The shared socket on 127.0.0.1, or null after telling the orchestrator why not (and leaving). */
export function bindOrReport(port: number, channel: SupervisorChannel): SharedSocket | null {
  try {
    return bindSharedSocket(port);
  } catch (error) {
    const known = isStarveError(error);
    channel.send({ type: 'failed', code: known ? error.code : 'CHILD_FAILED', message: (error as Error).message, hint: known ? (error.hint ?? null) : null });
    process.exitCode = 2;
    if (process.connected) process.disconnect();
    return null;
  }
}

/**
 * The master's socket: in a pod's container (both killers nested) the one the kubelet holds and passed
 * at LISTEN_FD, on `port`; otherwise bound here (bindOrReport).
 */
export function openMasterSocket(inContainer: boolean, port: number, channel: SupervisorChannel): SharedSocket | null {
  return inContainer ? { fd: LISTEN_FD, port, close: () => {} } : bindOrReport(port, channel);
}

/**
 * A pod's container master waits for the kubelet's go: `armed()` tells the kubelet its spares are
 * ready (to the kubelet, not the orchestrator, whose messages have no `armed`: ipc/to-children.ts
 * ContainerMessage), `go` settles on the go, which stopWhenDone's `onGo` receives.
 */
export function awaitContainerGo(): { armed(): void; onGo(): void; go: Promise<void> } {
  let onGo: () => void = () => {};
  const go = new Promise<void>((resolve) => (onGo = resolve));
  return { armed: () => void (process.connected && process.send?.({ type: 'armed' })), onGo: () => onGo(), go };
}

/**
 * A worker process with the lab's fds: 3 IPC, 4 its heartbeat file, 5 the shared socket, 6 the stack
 * channel (--stacks), 7 uvicorn's ping channel (`pingChannel`: a socket pair, as multiprocessing's Pipe
 * is). `ulimit -c 0`: a worker killed by SIGABRT leaves no core file; exec keeps the pid.
 */
export function spawnWorkerProcess(launch: WorkerLaunch, heartbeatFd: number, socket: SharedSocket, captureStacks: boolean, pingChannel = false): ChildProcess {
  return spawn('/bin/sh', ['-c', 'ulimit -c 0; exec "$0" "$@"', launch.command, ...launch.args], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc', heartbeatFd, socket.fd, captureStacks ? 'pipe' : 'ignore', ...(pingChannel ? ['pipe' as const] : [])],
    env: { ...process.env, ...launch.env },
  });
}

/**
 * Stops on the orchestrator's word, SIGTERM or SIGINT, its death (even by SIGKILL: the 'disconnect'
 * may have come before a listener existed, so it is also polled), or the deadline. `onGo`: a pod's
 * container master also takes the kubelet's go (its start) on the same channel.
 */
export function stopWhenDone(stop: (reason: string) => void, deadlineMs: number, onGo: (() => void) | null = null): void {
  const decode = (raw: unknown) => decodeStopMessage(raw) ?? (onGo === null ? null : decodeGoMessage(raw));
  onDecodedMessage(process, decode, (message) => (message.type === 'stop' ? stop('stopped by orchestrator') : onGo?.()), 'the orchestrator');
  process.on('disconnect', () => stop('orchestrator gone'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  setTimeout(() => stop('deadline'), deadlineMs).unref();
  setInterval(() => {
    if (!process.connected) stop('orchestrator gone');
  }, ORPHAN_CHECK_MS).unref();
}
