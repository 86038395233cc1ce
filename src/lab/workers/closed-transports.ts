// uvicorn's transport.close() on either loop, and what it means for requests Node has already read.

import type { Callback } from './loop-callbacks.js';

/**
 * Transports closed by transport.close(). Node may already have parsed a request the loop had not read
 * yet (uvloop's flush-to-poll holds it; asyncio's pass reads it after its timers): once closed, the
 * real loop never reads it (uvloop stops the handle's reading, asyncio removes the reader), so its
 * data_received never runs, its handler never runs, and the client sees a reset.
 */
const closedTransports = new WeakSet<object>();

/** transport.close() on either loop: stop reading now, `_call_connection_lost` from the ready queue. */
export function closeTransport(callSoon: (callback: Callback) => void, socket: { pause(): unknown; destroy(): unknown }): void {
  closedTransports.add(socket);
  socket.pause();
  callSoon(() => socket.destroy());
}

/** Whether the loop can still read a request on `connection` (its transport was not closed first). */
export function readable(connection: object | undefined): boolean {
  return connection === undefined || !closedTransports.has(connection);
}
