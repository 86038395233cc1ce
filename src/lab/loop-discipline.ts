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
}

/**
 * uvloop 0.17 (Debian's): a timer's callback runs in libuv's timer phase, before the poll for I/O
 * (TimerHandle wraps a UVTimer). A write below the stream's high-water mark is only buffered
 * (`UVStream._initiate_write` -> `loop._queue_write`) and sent by `_exec_queued_writes`, at the end of
 * the batch of ready callbacks or from the loop's check handle after the poll: every handler of that
 * batch burns before any of their responses leave. Node's check phase is where setImmediate runs.
 */
function createUvloopScheduler(): LoopScheduler {
  return {
    onRequest: (received, handle) => {
      received();
      handle();
    },
    sleep: (ms, resume) => {
      setTimeout(resume, ms);
    },
    callLater: (ms, callback) => {
      const timer = setTimeout(callback, ms);
      return () => clearTimeout(timer);
    },
    write: (write) => {
      setImmediate(write);
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
