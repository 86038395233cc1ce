// The master's listening socket: bound on 127.0.0.1 but never accepted on by the master, as gunicorn's
// arbiter holds it; workers listen on the same fd, so it stays open while a worker is replaced.

import net from 'node:net';
import { StarveError } from '../../../errors.js';

interface TcpHandle {
  fd: number;
  getsockname(out: { port?: number }): number;
  close(): void;
}

type CreateServerHandle = (address: string, port: number, addressType: number) => TcpHandle | number;

export interface SharedSocket {
  fd: number;
  port: number;
  close(): void;
}

const EADDRINUSE = -98;

/**
 * Binds without listening in this process. Node's public API cannot hold a socket without accepting
 * on it; `net._createServerHandle` is what Node's own cluster primary uses for exactly this.
 */
export function bindSharedSocket(port: number): SharedSocket {
  const create = (net as unknown as { _createServerHandle?: CreateServerHandle })._createServerHandle;
  if (typeof create !== 'function') {
    throw new StarveError('CHILD_FAILED', `This Node.js (${process.version}) lacks net._createServerHandle.`, {
      hint: 'Use Node.js 20 or 22.',
    });
  }
  const handle = create('127.0.0.1', port, 4);
  if (typeof handle === 'number') {
    if (handle === EADDRINUSE) {
      throw new StarveError('PORT_IN_USE', `Port ${port} on 127.0.0.1 is already in use.`, {
        hint: 'Pick another --port, or leave it out to use a free one.',
      });
    }
    throw new StarveError('CHILD_FAILED', `Could not bind 127.0.0.1:${port} (error ${handle}).`);
  }
  const address: { port?: number } = {};
  handle.getsockname(address);
  return { fd: handle.fd, port: address.port ?? port, close: () => handle.close() };
}
