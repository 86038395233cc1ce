// uvicorn's SIGTERM (Server.handle_exit, then Server.shutdown; 0.17 and still today), as a container
// under the kubelet meets it. The signal only sets should_exit; the main loop sees it at its next tick,
// so a starved loop stops late (measured on the real stack: 7 s after the kubelet's SIGTERM with four
// clients of 1-2 s handlers) and a hung one never does (the kubelet's SIGKILL after the grace period).
// Then: stop accepting; shut every connection down (httptools_impl `shutdown`: no request in progress
// -> transport.close(), so a request the loop has not read yet is reset; one in progress -> keep_alive
// = False, so its response goes out with `connection: close` and the connection closes after it);
// sleep 0.1 s; every 0.1 s until no connection is left; then the process ends.

import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { LoopScheduler } from './loop-discipline.js';

export interface GracefulShutdown {
  /** A request was read on this connection (a cycle started). */
  requestRead(socket: Socket): void;
  /** Its response is written: true when the connection must close after it (keep_alive = False). */
  responseComplete(socket: Socket): boolean;
  /** SIGTERM arrived: should_exit. */
  requestExit(): void;
  /** Read by the tick (on_tick returns should_exit). */
  shouldExit(): boolean;
  /** The main loop has ended: shut down, then `onDone`. */
  shutdown(onDone: () => void): void;
}

export function createGracefulShutdown(server: Server, scheduler: LoopScheduler, tickMs: number): GracefulShutdown {
  const open = new Set<Socket>();
  const inProgress = new Set<Socket>();
  let exiting = false;
  let closing = false;
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => {
      open.delete(socket);
      inProgress.delete(socket);
    });
  });
  return {
    requestRead: (socket) => {
      inProgress.add(socket);
    },
    responseComplete: (socket) => {
      inProgress.delete(socket);
      return closing;
    },
    requestExit: () => {
      exiting = true;
    },
    shouldExit: () => exiting,
    shutdown: (onDone) => {
      closing = true;
      server.close();
      for (const socket of open) if (!inProgress.has(socket)) scheduler.closeTransport(socket);
      // `await asyncio.sleep(0.1)`, then `while connections: await asyncio.sleep(0.1)` (one tick's length).
      const wait = (): void => {
        if (open.size === 0) onDone();
        else scheduler.sleep(tickMs, wait);
      };
      scheduler.sleep(tickMs, wait);
    },
  };
}
