// The order in which the worker's loop runs request handlers, its tick, its timers and its writes
// (docs/semantics.md §2), replayed on top of Node's loop: `uvloop` is uvloop 0.17 on libuv 1.44, `asyncio`
// is asyncio's _run_once. Both keep a call_soon queue run in batches from Node's check phase.

import { ASYNCIO_POLL_GRANULARITY_MS } from '../../scenario/scale-time.js';

export interface LoopScheduler {
  /**
   * A request's bytes were read (uvicorn's `data_received`): `received` runs where the loop runs I/O
   * callbacks, then the handler runs when this loop would run the task it creates.
   */
  onRequest(received: () => void, handle: () => void, connection?: object): void;
  /** The server accepted `connection` (its 'connection' event). */
  accepted(connection: object): void;
  /** `await asyncio.sleep(ms)`, then continue with `resume`. */
  sleep(ms: number, resume: () => void): void;
  /** `loop.call_later(ms, callback)`: returns the handle's cancel. */
  callLater(ms: number, callback: () => void): () => void;
  /** `transport.write(...)` of a small response on `connection`: `write` does the actual send when this loop would. */
  write(write: () => void, connection?: object): void;
  /**
   * `transport.close()`: both loops stop reading at once and close the socket from the ready queue
   * (`_call_connection_lost` is call_soon'd), after the callbacks already queued. A request that
   * arrives meanwhile is never read and is reset when the socket closes.
   */
  closeTransport(socket: { pause(): unknown; destroy(): unknown }): void;
}

type Callback = () => void;

/** A request Node has read that the loop will read later, with its connection (closed ones never are). */
interface Held {
  read: Callback;
  connection: object | undefined;
}

function runAll(callbacks: Callback[]): void {
  for (const callback of callbacks.splice(0)) callback();
}

/**
 * The loop's ready queue (call_soon), run as one batch per pass from Node's check phase. Each pass
 * first lets the discipline `prepare` it (run or enqueue what its poll and timers produced), takes the
 * batch, runs it, then `finish`es; what the batch call_soon'd runs in the next pass.
 */
function createReadyQueue(prepare: (enqueue: (callback: Callback) => void) => void, finish: Callback = () => {}, backlog: AcceptBacklog | null = null): { schedule: Callback; callSoon: (callback: Callback) => void; busy: () => boolean } {
  let ready: Callback[] = [];
  let pending = false;
  const schedule = (): void => {
    if (!pending) {
      pending = true;
      setImmediate(runIteration);
    }
  };
  const runIteration = (): void => {
    // Queued from the check phase, the pass comes again after Node's next poll, which accepts the next connection.
    if (backlog?.shouldWait() === true) return void setImmediate(runIteration);
    pending = false;
    prepare((callback) => ready.push(callback));
    const batch = ready;
    ready = [];
    for (const callback of batch) callback();
    finish();
    if (ready.length > 0) schedule();
  };
  return {
    schedule,
    callSoon: (callback) => {
      ready.push(callback);
      schedule();
    },
    busy: () => pending || ready.length > 0,
  };
}

/**
 * A batch at least this long ends after the clients answered the responses it flushed: longer than a
 * loopback client's turnaround (autocannon, wrk: 0.1 to 0.3 ms) and than the model's own tick batch
 * with its trace write; a batch that burned a handler lasts far longer. Real time, not scaled: it
 * stands for the wire's and the client's time, which compressed time does not shrink.
 */
const CLIENT_TURNAROUND_MS = 1;

/** asyncio's `_accept_connection` takes up to its backlog of 100 at once; the same bounds the wait here. */
const ACCEPT_BACKLOG = 100;

interface AcceptBacklog {
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
function createAcceptBacklog(): AcceptBacklog {
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

/** Waits about `ms`, then `fire`; returns the cancel. */
type Wait = (ms: number, fire: Callback) => Callback;

/** libuv's timer (Node's, and uvloop's): on a clock truncated to the millisecond, so up to 1 ms early. */
const libuvWait: Wait = (ms, fire) => {
  const timer = setTimeout(fire, ms);
  return () => clearTimeout(timer);
};


/**
 * asyncio's call_later: `_run_once` moves a handle to the ready queue only once `time()` has reached its
 * `when`, never before; it learns the time from select(), whose timeout CPython rounds *up* to the
 * millisecond, counted from whenever the loop last went to poll. So a handle runs up to one poll
 * granule late, at a phase nothing observable fixes: a random one. (libuv's truncated clock fires up
 * to 1 ms *early* instead, which moves uvicorn's keep-alive expiry before a client whose think time
 * equals it.) The last fraction of a millisecond is waited out in the check phase.
 */
function asyncioWait(granularityMs: number): Wait {
  return (ms, fire) => {
    const when = performance.now() + ms + Math.random() * granularityMs;
    let cancelled = false;
    const check = (): void => {
      if (cancelled) return;
      const left = when - performance.now();
      if (left <= 0) fire();
      else if (left < 1) setImmediate(check);
      else setTimeout(check, Math.floor(left));
    };
    setTimeout(check, Math.floor(ms));
    return () => {
      cancelled = true;
    };
  };
}

/** A timer whose expiry joins `due` for the next pass instead of running in Node's timer phase; returns its cancel. */
function dueAfter(wait: Wait, ms: number, due: Callback[], schedule: Callback, callback: Callback): Callback {
  let cancelled = false;
  const cancelTimer = wait(ms, () => {
    due.push(() => {
      if (!cancelled) callback();
    });
    schedule();
  });
  return () => {
    cancelled = true;
    cancelTimer();
  };
}

/** create_task(run_asgi): the handler's step is call_soon'd; when it finishes, its done-callbacks take one more. */
function runAsTask(callSoon: (callback: Callback) => void, handle: Callback): void {
  callSoon(() => {
    handle();
    callSoon(() => {});
  });
}

/**
 * Transports closed by transport.close(). Node may already have parsed a request the loop had not read
 * yet (uvloop's flush-to-poll holds it; asyncio's pass reads it after its timers): once closed, the
 * real loop never reads it (uvloop stops the handle's reading, asyncio removes the reader), so its
 * data_received never runs, its handler never runs, and the client sees a reset.
 */
const closedTransports = new WeakSet<object>();

/** transport.close() on either loop: stop reading now, `_call_connection_lost` from the ready queue. */
function closeTransport(callSoon: (callback: Callback) => void, socket: { pause(): unknown; destroy(): unknown }): void {
  closedTransports.add(socket);
  socket.pause();
  callSoon(() => socket.destroy());
}

/** Whether the loop can still read a request on `connection` (its transport was not closed first). */
function readable(connection: object | undefined): boolean {
  return connection === undefined || !closedTransports.has(connection);
}

/**
 * uvloop 0.17 (Debian's) on libuv: each loop iteration runs timers, then the ready queue as one batch
 * (uvloop's idle handle, `Loop._on_idle`), then polls for I/O, then its check handle. A timer's callback
 * runs in the timer phase (TimerHandle wraps a UVTimer), and asyncio.sleep's wake-up is call_soon'd
 * into the ready queue from it; data_received runs in the poll and its request task is call_soon'd
 * too. So a handler that blocks in a batch is followed by a poll before the next timers: requests
 * that arrived meanwhile are queued *before* the tick whose timer expired meanwhile, and run first.
 * A write below the stream's high-water mark is only buffered (`UVStream._initiate_write` ->
 * `loop._queue_write`) and sent by `_exec_queued_writes` at the end of the batch (or from the check
 * handle): every handler of a batch burns before any of their responses leave.
 *
 * On Node's loop (timers, poll, check): the batch runs in the check phase, after the poll, and the
 * uvloop timer callbacks whose Node timer fired in this iteration run just before it, after the poll's
 * I/O. That is uvloop's order shifted by one phase: its poll, then its next iteration's timers and batch.
 *
 * A connection that reaches the listen backlog while a batch runs is accepted by the poll at its end
 * (`uv__server_io`), and its request, which came with it, is read by the poll after that: libuv watches
 * a new fd from the next `uv__io_poll` on. A client the keep-alive dropped reconnects that way, about a
 * millisecond after the flush, when uvloop has woken at another client's answer; Node, slower to write,
 * may accept it first. So a connection Node accepts while uvloop, on its clock, is running an answer
 * goes through those two polls.
 */
function createUvloopScheduler(onPoll: Callback): LoopScheduler {
  const backlog = createAcceptBacklog();
  const dueTimers: Callback[] = [];
  const queuedWrites: Array<{ write: Callback; connection: object | undefined }> = [];
  /** Connections whose response has left and whose client's answer is, on uvloop's clock, still on the wire. */
  let answering = new Set<object>();
  /** Those answers, already read by Node, in the order it read them: held until uvloop's poll would find them. */
  const late: Held[] = [];
  /** The loop woke at a client's answer and, on uvloop's clock, is running the batch it read: until that batch ends. */
  let wokenByAnswer = false;
  /**
   * Connections that reached the listen backlog while the loop, on uvloop's clock, was running a batch
   * (woken by an answer Node has not let it run yet): uvloop's poll at that batch's end accepts them.
   */
  let reachedBacklog = new WeakSet<object>();
  /** Those the last such poll accepted: whatever Node reads on them before the next poll waits for it. */
  let acceptedByLastPoll = new WeakSet<object>();
  /** Requests that came with those connections, read by the poll after the one that accepts them. */
  let arrivedWithConnection: Callback[] = [];
  /** Requests of connections the last poll accepted: their fds are watched from the next poll, which reads them. */
  let acceptedUnread: Callback[] = [];
  /**
   * Those read by the poll: epoll reports a fd added at the poll's start after the ones already
   * watched, so they come behind the requests Node reads meanwhile, and before the next timers.
   */
  const polledNewConnections: Callback[] = [];
  /** The loop is blocked in its poll with every answer still on the wire: the first to come wakes it. */
  let blockedInPoll = false;
  /** When the last batch's responses had left Node (its writes uncork on the next tick). */
  let flushedAt = 0;
  let batchStartedAt = 0;
  let idleCheckArmed = false;
  /** The answers have arrived: read the ones Node already has, and take the rest as they come. */
  const answersArrived = (): void => {
    answering = new Set();
    blockedInPoll = false;
    for (const { read } of late.splice(0)) read();
  };
  /** uvloop would already be running the batch of an answer it woke at (Node has read that answer, or let it run). */
  const runningAnAnswer = (): boolean => wokenByAnswer || late.some(({ connection }) => readable(connection));
  /**
   * uvloop's poll at a batch's end: it reads the requests of the connections the previous poll accepted
   * (libuv watches a new fd from the next poll on; `uv__server_io` only accepts) and accepts those that
   * reached the backlog during the batch. An idle loop polls again at once and reads them too.
   */
  const pollAccepts = (idle: boolean): void => {
    const reads = acceptedUnread;
    acceptedUnread = arrivedWithConnection;
    arrivedWithConnection = [];
    acceptedByLastPoll = reachedBacklog;
    reachedBacklog = new WeakSet();
    polledNewConnections.push(...reads, ...(idle ? acceptedUnread.splice(0) : []));
    if (polledNewConnections.length > 0) schedule();
  };
  /**
   * The loop blocks in its poll and wakes at the first answer, reading only what has arrived by then.
   * One closed-loop client process answers its connections one after another (autocannon: 0.2-0.5 ms
   * apart in the real traces), longer than uvloop takes to wake, read and start that handler; so it
   * reads the first answer alone and the others in the poll after its batch (measured: two clients
   * answered together fall apart into one request a batch, and stay apart). Node, whose writes are
   * slower and whose poll reads every socket ready, often has several by then: the first it read goes,
   * the rest wait for that poll. With none read yet, the first to come goes, if it comes within a
   * client's turnaround of the responses leaving; what comes later was not an answer to them but a
   * request after a pause (think time), read as it comes: a loop idle that long is slow to wake (the
   * real h11 runs read two clients' requests 0.5 ms apart in one poll after a second's think), and so
   * is Node's.
   */
  const firstAnswerArrives = (): void => {
    // A connection the keep-alive closed is not read any more: its request wakes nothing.
    while (late.length > 0 && !readable(late[0]?.connection)) late.shift();
    const first = late.shift();
    if (first === undefined) blockedInPoll = true;
    else {
      wokenByAnswer = true;
      first.read();
    }
  };
  const { schedule, callSoon, busy } = createReadyQueue(
    // The timer phase: callbacks run directly; what they call_soon joins this batch.
    () => {
      batchStartedAt = performance.now();
      runAll(polledNewConnections);
      runAll(dueTimers);
    },
    // _exec_queued_writes at the end of the batch, then back to libuv's poll.
    () => {
      // A batch longer than a client's turnaround ends with a poll that finds the answers to earlier responses.
      const long = performance.now() - batchStartedAt >= CLIENT_TURNAROUND_MS;
      if (long) answersArrived();
      // Connections that came while it ran are accepted by that poll. A short batch ends with a poll too,
      // unless uvloop, on its clock, is still running the answer Node has not let it run yet.
      const answerRan = wokenByAnswer;
      wokenByAnswer = false;
      if (long || answerRan || !runningAnAnswer()) pollAccepts(!busy() && late.length === 0);
      const writes = queuedWrites.splice(0);
      for (const { write, connection } of writes) {
        write();
        if (connection !== undefined) answering.add(connection);
      }
      // Queued after the writes' own uncork: the bytes have left when this runs.
      if (writes.length > 0) process.nextTick(() => (flushedAt = performance.now()));
      onPoll();
      if (answering.size > 0) armIdleCheck();
    },
    backlog,
  );
  /**
   * After a short batch (a tick's) the answers are still on the wire: the first is read by the poll
   * the loop blocks in once nothing else is pending, the rest by the poll after its batch. Whatever
   * arrived before (a probe's request, which Node reads one poll after accepting its connection) is
   * served first.
   */
  function armIdleCheck(): void {
    if (idleCheckArmed) return;
    idleCheckArmed = true;
    // Queued from the check phase, this runs after Node's next poll.
    setImmediate(() => {
      idleCheckArmed = false;
      if (answering.size === 0) return;
      if (busy() || dueTimers.length > 0 || queuedWrites.length > 0) return armIdleCheck();
      firstAnswerArrives();
      // Blocked, the loop waits for the answer itself; after one it polls again once its batch is done.
      if (answering.size > 0 && !blockedInPoll) armIdleCheck();
    });
  }
  return {
    onRequest: (received, handle, connection) => {
      const read = (): void => {
        if (!readable(connection)) return;
        received();
        runAsTask(callSoon, handle);
      };
      if (connection !== undefined && reachedBacklog.has(connection)) {
        reachedBacklog.delete(connection);
        arrivedWithConnection.push(read);
        return;
      }
      if (connection !== undefined && acceptedByLastPoll.has(connection)) {
        acceptedByLastPoll.delete(connection);
        acceptedUnread.push(read);
        return;
      }
      backlog.read(connection);
      // Flush-to-poll: uvloop's queued writes leave in microseconds and its poll follows at once, before
      // any client can answer a response; Node's write path takes 0.5-0.9 ms, long enough for the answer
      // to be in Node's next poll already. A request on a connection whose answer is still on the wire
      // by uvloop's clock is read where uvloop would read it: after the next timers and their batch,
      // behind what came before it.
      if (connection !== undefined && answering.has(connection)) {
        if (blockedInPoll) {
          // The first answer wakes the loop; after a pause, the clients were not answering these responses.
          if (performance.now() - flushedAt > CLIENT_TURNAROUND_MS) answersArrived();
          blockedInPoll = false;
          wokenByAnswer = true;
          return read();
        }
        late.push({ read, connection });
        schedule();
        return;
      }
      read();
    },
    accepted: (connection) => {
      if (runningAnAnswer()) reachedBacklog.add(connection);
      backlog.accepted(connection);
    },
    sleep: (ms, resume) => {
      dueAfter(libuvWait, ms, dueTimers, schedule, () => callSoon(resume));
    },
    callLater: (ms, callback) => dueAfter(libuvWait, ms, dueTimers, schedule, callback),
    write: (write, connection) => {
      queuedWrites.push({ write, connection });
      schedule();
    },
    closeTransport: (socket) => closeTransport(callSoon, socket),
  };
}

/**
 * asyncio's BaseEventLoop._run_once: poll for I/O, queue the I/O callbacks it found, *then* queue the
 * expired timers, then run what was queued at that point. Creating a task and waking a sleeping task
 * are both call_soon, so a handler or a resumed tick runs one pass after the event that caused it.
 * One pass runs in Node's check phase: in one Node iteration the timers phase has fired the expired
 * timers and the poll phase has read the requests; the pass puts the I/O first.
 *
 * A response leaves at once (`_SelectorSocketTransport.write`: one send), and the next pass's select
 * follows the pass within microseconds, with a zero timeout while anything is ready: a client's answer
 * to a response sent near the end of a pass (the last handler's) is not in it. It is in the first
 * select after a pass longer than a client's turnaround, or wakes the select the loop blocks in. The
 * real three-client traces show it: `[H1 H2 H3]`, then the two answers that came during the pass and
 * the tick's timer, then `[H4 H5 tick]`, the third answer only after. Node's write takes 0.5-0.9 ms,
 * long enough for that answer to be in its next poll already; the model holds it where asyncio's
 * select would not have it yet, as the uvloop discipline does for all of a batch's responses.
 */
function createAsyncioScheduler(pollGranularityMs: number, onPoll: Callback): LoopScheduler {
  const wait = asyncioWait(pollGranularityMs);
  const backlog = createAcceptBacklog();
  const polledIo: Callback[] = [];
  const expiredTimers: Callback[] = [];
  /** The responses this pass sent, and when. */
  let sentThisPass: Array<{ connection: object; at: number }> = [];
  /** Connections whose response left within a client's turnaround of its pass's end: their answer is still on the wire. */
  let answering = new Set<object>();
  /** Those answers, already read by Node: held until asyncio's select would find them. */
  const late: Held[] = [];
  /** Nothing was ready: the loop is blocked in select, and the first answer to come wakes it. */
  let blockedInSelect = false;
  let passStartedAt = 0;
  let passEndedAt = 0;
  let idleCheckArmed = false;
  const answersArrived = (): void => {
    answering = new Set();
    blockedInSelect = false;
    // Ready before the pass ended: ahead of whatever Node reads next.
    for (const { read } of late.splice(0)) polledIo.push(read);
    if (polledIo.length > 0) schedule();
  };
  // Each pass queues the poll's I/O callbacks, then the expired timers, behind what was call_soon'd.
  const { schedule, callSoon, busy } = createReadyQueue(
    (enqueue) => {
      passStartedAt = performance.now();
      for (const callback of [...polledIo.splice(0), ...expiredTimers.splice(0)]) enqueue(callback);
    },
    () => {
      passEndedAt = performance.now();
      if (passEndedAt - passStartedAt >= CLIENT_TURNAROUND_MS) answersArrived();
      for (const { connection, at } of sentThisPass) if (passEndedAt - at < CLIENT_TURNAROUND_MS) answering.add(connection);
      sentThisPass = [];
      onPoll();
      if (answering.size > 0) armIdleCheck();
    },
    backlog,
  );
  /** With nothing ready after Node's next poll, the loop blocks in select: it wakes at the first answer, the rest come during its batch. */
  function armIdleCheck(): void {
    if (idleCheckArmed) return;
    idleCheckArmed = true;
    setImmediate(() => {
      idleCheckArmed = false;
      if (answering.size === 0) return;
      if (busy() || polledIo.length > 0 || expiredTimers.length > 0) return armIdleCheck();
      while (late.length > 0 && !readable(late[0]?.connection)) late.shift();
      const first = late.shift();
      if (first === undefined) blockedInSelect = true;
      else {
        polledIo.push(first.read);
        schedule();
      }
    });
  }
  return {
    onRequest(received, handle, connection) {
      const read = (): void => {
        if (!readable(connection)) return;
        received();
        runAsTask(callSoon, handle);
      };
      if (connection !== undefined && answering.has(connection)) {
        if (!blockedInSelect) return void late.push({ read, connection });
        // The first answer wakes the select; after a pause, the clients were not answering those responses.
        if (performance.now() - passEndedAt > CLIENT_TURNAROUND_MS) answersArrived();
        blockedInSelect = false;
      }
      backlog.read(connection);
      polledIo.push(read);
      schedule();
    },
    accepted: (connection) => backlog.accepted(connection),
    sleep(ms, resume) {
      // call_later fires _set_result_unless_cancelled; the task wakes one pass later.
      dueAfter(wait, ms, expiredTimers, schedule, () => callSoon(resume));
    },
    // The expired handle joins the ready queue after the I/O callbacks of the same pass, so a
    // data_received found by that pass's poll cancels it before it runs.
    callLater: (ms, callback) => dueAfter(wait, ms, expiredTimers, schedule, callback),
    // _SelectorSocketTransport.write sends at once when nothing is buffered.
    write: (write, connection) => {
      write();
      if (connection !== undefined) sentThisPass.push({ connection, at: performance.now() });
    },
    closeTransport: (socket) => closeTransport(callSoon, socket),
  };
}

/** `pollGranularityMs`: asyncio's poll granule at this run's time scale (ASYNCIO_POLL_GRANULARITY_MS scaled). */
/** `onPoll`: the loop goes back to its poll (a blocking call) after each batch. */
export function createLoopScheduler(loop: 'uvloop' | 'asyncio', pollGranularityMs = ASYNCIO_POLL_GRANULARITY_MS, onPoll: Callback = () => {}): LoopScheduler {
  switch (loop) {
    case 'uvloop':
      return createUvloopScheduler(onPoll);
    case 'asyncio':
      return createAsyncioScheduler(pollGranularityMs, onPoll);
  }
}
