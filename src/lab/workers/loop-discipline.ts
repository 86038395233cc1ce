// The order in which the worker's loop runs request handlers, its tick, its timers and its writes
// (docs/semantics.md §2), replayed on top of Node's loop: `uvloop` is uvloop 0.17 on libuv 1.44, `asyncio`
// is asyncio's _run_once. Both keep a call_soon queue run in batches from Node's check phase.

import { ASYNCIO_POLL_GRANULARITY_MS } from '../../scenario/scale-time.js';
import { createAcceptBacklog, createAcceptStages, type AcceptBacklog } from './accepting.js';
import { CLIENT_TURNAROUND_MS, createAnswersOnTheWire } from './answers-on-the-wire.js';
import { closeTransport, readable } from './closed-transports.js';
import type { Callback } from './loop-callbacks.js';

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

/** The loop reads a request (unless the keep-alive closed its transport first): data_received, then its task. */
function readRequest(callSoon: (callback: Callback) => void, received: Callback, handle: Callback, connection: object | undefined): Callback {
  return () => {
    if (!readable(connection)) return;
    received();
    runAsTask(callSoon, handle);
  };
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
 * A client the keep-alive dropped reconnects about a millisecond after the flush, when uvloop has woken
 * at another client's answer and is burning its handler; Node, slower to write, may accept it before it
 * lets that answer run. So a connection Node accepts while uvloop, on its clock, is running an answer
 * goes through the two polls of `AcceptStages`, as it would have reached the backlog during that batch.
 */
function createUvloopScheduler(onPoll: Callback): LoopScheduler {
  const backlog = createAcceptBacklog();
  const dueTimers: Callback[] = [];
  const queuedWrites: Array<{ write: Callback; connection: object | undefined }> = [];
  /** The loop woke at a client's answer and, on uvloop's clock, is running the batch it read: until that batch ends. */
  let wokenByAnswer = false;
  const answers = createAnswersOnTheWire((read) => read(), () => (wokenByAnswer = true));
  const accepting = createAcceptStages();
  /**
   * The requests the poll at a batch's end read on the connections the poll before accepted: they
   * come behind the requests Node reads meanwhile, and before the next timers.
   */
  const polledNewConnections: Callback[] = [];
  /** When the last batch's responses had left Node (its writes uncork on the next tick). */
  let flushedAt = 0;
  let batchStartedAt = 0;
  /** uvloop would already be running the batch of an answer it woke at (Node has read that answer, or let it run). */
  const runningAnAnswer = (): boolean => wokenByAnswer || answers.holdsOne();
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
      if (long) answers.arrived();
      // Connections that came while it ran are accepted by that poll. A short batch ends with a poll too,
      // unless uvloop, on its clock, is still running the answer Node has not let it run yet.
      const answerRan = wokenByAnswer;
      wokenByAnswer = false;
      if (long || answerRan || !answers.holdsOne()) {
        polledNewConnections.push(...accepting.poll(!busy() && answers.holdsNone()));
        if (polledNewConnections.length > 0) schedule();
      }
      const writes = queuedWrites.splice(0);
      for (const { write, connection } of writes) {
        write();
        if (connection !== undefined) answers.expect(connection);
      }
      // Queued after the writes' own uncork: the bytes have left when this runs.
      if (writes.length > 0) process.nextTick(() => (flushedAt = performance.now()));
      onPoll();
      // After a short batch (a tick's) the answers are still on the wire. Whatever arrived before them
      // (a probe's request, which Node reads one poll after accepting its connection) is served first.
      if (answers.pending()) answers.watch(() => !busy() && dueTimers.length === 0 && queuedWrites.length === 0);
    },
    backlog,
  );
  return {
    onRequest: (received, handle, connection) => {
      const read = readRequest(callSoon, received, handle, connection);
      if (accepting.waits(connection, read)) return;
      backlog.read(connection);
      // Flush-to-poll: uvloop's queued writes leave in microseconds and its poll follows at once, before
      // any client can answer a response; Node's write path takes 0.5-0.9 ms, long enough for the answer
      // to be in Node's next poll already. A request on a connection whose answer is still on the wire
      // by uvloop's clock is read where uvloop would read it: after the next timers and their batch,
      // behind what came before it.
      if (answers.take(read, connection, flushedAt) === 'held') return schedule();
      read();
    },
    accepted: (connection) => {
      if (runningAnAnswer()) accepting.reachedBacklog(connection);
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
  // A held answer is ready before the pass that releases it ends: ahead of whatever Node reads next.
  const answers = createAnswersOnTheWire((read) => {
    polledIo.push(read);
    schedule();
  });
  let passStartedAt = 0;
  let passEndedAt = 0;
  // Each pass queues the poll's I/O callbacks, then the expired timers, behind what was call_soon'd.
  const { schedule, callSoon, busy } = createReadyQueue(
    (enqueue) => {
      passStartedAt = performance.now();
      for (const callback of [...polledIo.splice(0), ...expiredTimers.splice(0)]) enqueue(callback);
    },
    () => {
      passEndedAt = performance.now();
      if (passEndedAt - passStartedAt >= CLIENT_TURNAROUND_MS) answers.arrived();
      for (const { connection, at } of sentThisPass) if (passEndedAt - at < CLIENT_TURNAROUND_MS) answers.expect(connection);
      sentThisPass = [];
      onPoll();
      if (answers.pending()) answers.watch(() => !busy() && polledIo.length === 0 && expiredTimers.length === 0);
    },
    backlog,
  );
  return {
    onRequest(received, handle, connection) {
      const read = readRequest(callSoon, received, handle, connection);
      if (answers.take(read, connection, passEndedAt) === 'held') return;
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
