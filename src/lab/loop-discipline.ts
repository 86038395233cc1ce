// The order in which the worker's loop runs request handlers, its tick, its timers and its writes
// (SPEC section 2): `uvloop` is libuv's order, which Node already has (expired timers before polling
// for I/O); `asyncio` replays asyncio's _run_once on top of Node's loop.

export interface LoopScheduler {
  /**
   * A request's bytes were read (uvicorn's `data_received`): `received` runs where the loop runs I/O
   * callbacks, then the handler runs when this loop would run the task it creates.
   */
  onRequest(received: () => void, handle: () => void): void;
  /** `await asyncio.sleep(ms)`, then continue with `resume`. */
  sleep(ms: number, resume: () => void): void;
  /** `loop.call_later(ms, callback)`: returns the handle's cancel. */
  callLater(ms: number, callback: () => void): () => void;
  /** `transport.write(...)` of a small response: `write` does the actual send when this loop would. */
  write(write: () => void): void;
  /**
   * `transport.close()`: both loops stop reading at once and close the socket from the ready queue
   * (`_call_connection_lost` is call_soon'd), after the callbacks already queued. A request that
   * arrives meanwhile is never read and is reset when the socket closes.
   */
  closeTransport(socket: { pause(): unknown; destroy(): unknown }): void;
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
 */
function createUvloopScheduler(): LoopScheduler {
  let ready: Array<() => void> = [];
  const dueTimers: Array<() => void> = [];
  const queuedWrites: Array<() => void> = [];
  let iterationPending = false;

  const runIteration = (): void => {
    iterationPending = false;
    for (const callback of dueTimers.splice(0)) callback();
    const batch = ready;
    ready = [];
    for (const callback of batch) callback();
    for (const write of queuedWrites.splice(0)) write();
    if (ready.length > 0) schedule();
  };
  const schedule = (): void => {
    if (!iterationPending) {
      iterationPending = true;
      setImmediate(runIteration);
    }
  };
  const callSoon = (callback: () => void): void => {
    ready.push(callback);
    schedule();
  };
  const timer = (ms: number, callback: () => void): NodeJS.Timeout =>
    setTimeout(() => {
      dueTimers.push(callback);
      schedule();
    }, ms);

  return {
    onRequest: (received, handle) => {
      received();
      // create_task(run_asgi): the handler runs in a batch; its done-callbacks take one more.
      callSoon(() => {
        handle();
        callSoon(() => {});
      });
    },
    sleep: (ms, resume) => {
      timer(ms, () => callSoon(resume));
    },
    callLater: (ms, callback) => {
      let cancelled = false;
      const handle = timer(ms, () => {
        if (!cancelled) callback();
      });
      return () => {
        cancelled = true;
        clearTimeout(handle);
      };
    },
    write: (write) => {
      queuedWrites.push(write);
      schedule();
    },
    closeTransport: (socket) => {
      socket.pause();
      callSoon(() => socket.destroy());
    },
  };
}

/**
 * asyncio's BaseEventLoop._run_once: poll for I/O, queue the I/O callbacks it found, *then* queue the
 * expired timers, then run what was queued at that point. Creating a task and waking a sleeping task
 * are both call_soon, so a handler or a resumed tick runs one pass after the event that caused it.
 * One pass runs in Node's check phase: in one Node iteration the timers phase has fired the expired
 * timers and the poll phase has read the requests; the pass puts the I/O first.
 */
function createAsyncioScheduler(): LoopScheduler {
  let ready: Array<() => void> = [];
  const polledIo: Array<() => void> = [];
  const expiredTimers: Array<() => void> = [];
  let passPending = false;

  const runPass = (): void => {
    passPending = false;
    ready.push(...polledIo.splice(0), ...expiredTimers.splice(0));
    const todo = ready;
    ready = [];
    for (const callback of todo) callback();
    if (ready.length > 0) schedulePass();
  };
  const schedulePass = (): void => {
    if (!passPending) {
      passPending = true;
      setImmediate(runPass);
    }
  };
  const callSoon = (callback: () => void): void => {
    ready.push(callback);
    schedulePass();
  };

  return {
    onRequest(received, handle) {
      // data_received -> create_task(run_asgi): the handler's first step is call_soon'd; when it
      // finishes, the task's done-callbacks take one more pass.
      polledIo.push(() => {
        received();
        callSoon(() => {
          handle();
          callSoon(() => {});
        });
      });
      schedulePass();
    },
    sleep(ms, resume) {
      // call_later fires _set_result_unless_cancelled; the task wakes one pass later.
      setTimeout(() => {
        expiredTimers.push(() => callSoon(resume));
        schedulePass();
      }, ms);
    },
    callLater(ms, callback) {
      // The expired handle joins the ready queue after the I/O callbacks of the same pass, so a
      // data_received found by that pass's poll cancels it before it runs.
      let cancelled = false;
      const timer = setTimeout(() => {
        expiredTimers.push(() => {
          if (!cancelled) callback();
        });
        schedulePass();
      }, ms);
      return () => {
        cancelled = true;
        clearTimeout(timer);
      };
    },
    // _SelectorSocketTransport.write sends at once when nothing is buffered.
    write: (write) => write(),
    closeTransport: (socket) => {
      socket.pause();
      callSoon(() => socket.destroy());
    },
  };
}

export function createLoopScheduler(loop: 'uvloop' | 'asyncio'): LoopScheduler {
  switch (loop) {
    case 'uvloop':
      return createUvloopScheduler();
    case 'asyncio':
      return createAsyncioScheduler();
  }
}
