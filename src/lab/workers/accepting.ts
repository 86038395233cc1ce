// Accepting connections: libuv's and asyncio's accept-all against Node's one a loop iteration, and when
// uvloop reads what came with a connection.

import type { Callback } from './loop-callbacks.js';

/** asyncio's `_accept_connection` takes up to its backlog of 100 at once; the same bounds the wait here. */
const ACCEPT_BACKLOG = 100;

export interface AcceptBacklog {
  /** Node accepted `connection` (its server's 'connection' event). */
  accepted(connection: object): void;
  /** A request was read on `connection`. */
  read(connection: object | undefined): void;
  /** Whether the next pass should wait one more Node iteration for the next waiting connection. */
  shouldWait(): boolean;
}

/**
 * Accepting: libuv under uvloop (`uv__server_io`) and asyncio (`_accept_connection`) accept every
 * connection waiting in the listen backlog at once and read all their requests in the next poll, so
 * after a block or a respawn the clients' queued requests run in one batch. Node accepts one a loop
 * iteration (measured, Node 20: four connections queued while its loop was blocked were accepted, and
 * their requests read, in four successive iterations). So while the requests of new connections
 * arrive iteration after iteration, the pass waits an iteration for the next, up to the backlog; with
 * none waiting it costs one non-blocking poll.
 *
 * Only a connection whose request was already there when it was accepted, read by the poll right
 * after its accept, came out of the backlog. A client that connects first and sends a moment later
 * (autocannon writes once connected; a load process just started is slow to) was accepted by an idle
 * loop as soon as it arrived, on uvloop as on Node; its request is read as it comes, like any other,
 * and the loop runs it at once rather than wait for the next client's.
 */
export function createAcceptBacklog(): AcceptBacklog {
  const seen = new WeakSet<object>();
  /** Accepted, and Node's next poll (which reads what came with the connection) has not finished yet. */
  const justAccepted = new WeakSet<object>();
  let fresh = false;
  let waits = 0;
  return {
    accepted(connection) {
      justAccepted.add(connection);
      // Queued from the poll this runs in the same iteration's check phase; queued again from there, after the next poll.
      setImmediate(() => setImmediate(() => justAccepted.delete(connection)));
    },
    read(connection) {
      if (connection === undefined || seen.has(connection)) return;
      seen.add(connection);
      if (justAccepted.has(connection)) fresh = true;
    },
    shouldWait() {
      const wait = fresh && waits < ACCEPT_BACKLOG;
      fresh = false;
      waits = wait ? waits + 1 : 0;
      return wait;
    },
  };
}

/**
 * A connection that reaches the listen backlog while uvloop runs a batch is accepted by the poll at
 * its end (`uv__server_io` only accepts), and its request, which came with it, is read by the poll
 * after that: libuv watches a new fd from the next `uv__io_poll` on (`uv__io_start` queues the
 * watcher; epoll then reports it behind the fds already watched).
 */
export interface AcceptStages {
  /** `connection` reached the backlog during a batch. */
  reachedBacklog(connection: object): void;
  /** Node read a request on `connection`: whether it waits for those polls (it is then theirs to read). */
  waits(connection: object | undefined, read: Callback): boolean;
  /** The poll at a batch's end: returns the requests it reads; an idle loop polls again at once and reads the rest too. */
  poll(idle: boolean): Callback[];
}

export function createAcceptStages(): AcceptStages {
  let reached = new WeakSet<object>();
  /** Accepted by the last poll: whatever Node reads on them before the next poll waits for it. */
  let acceptedByLastPoll = new WeakSet<object>();
  /** Requests that came with connections not accepted yet. */
  let arrivedWithConnection: Callback[] = [];
  /** Requests of connections the last poll accepted, read by the next. */
  let acceptedUnread: Callback[] = [];
  return {
    reachedBacklog: (connection) => void reached.add(connection),
    waits(connection, read) {
      if (connection === undefined) return false;
      if (reached.delete(connection)) arrivedWithConnection.push(read);
      else if (acceptedByLastPoll.delete(connection)) acceptedUnread.push(read);
      else return false;
      return true;
    },
    poll(idle) {
      const reads = acceptedUnread;
      acceptedUnread = arrivedWithConnection;
      arrivedWithConnection = [];
      acceptedByLastPoll = reached;
      reached = new WeakSet();
      return [...reads, ...(idle ? acceptedUnread.splice(0) : [])];
    },
  };
}
