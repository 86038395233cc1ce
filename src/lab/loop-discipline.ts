// The order in which the worker's loop runs request handlers and its tick (SPEC section 2):
// `uvloop` is libuv's order, which Node already has (expired timers before polling for I/O);
// `asyncio` replays asyncio's _run_once on top of Node's loop.

export interface LoopScheduler {
  /** A request's bytes were read: run its handler when this loop would. */
  onRequest(handle: () => void): void;
  /** `await asyncio.sleep(ms)`, then continue with `resume`. */
  sleep(ms: number, resume: () => void): void;
}

function createUvloopScheduler(): LoopScheduler {
  return {
    onRequest: (handle) => handle(),
    sleep: (ms, resume) => {
      setTimeout(resume, ms);
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
    onRequest(handle) {
      // data_received -> create_task(run_asgi): the handler's first step is call_soon'd; when it
      // finishes, the task's done-callbacks take one more pass.
      polledIo.push(() =>
        callSoon(() => {
          handle();
          callSoon(() => {});
        }),
      );
      schedulePass();
    },
    sleep(ms, resume) {
      // call_later fires _set_result_unless_cancelled; the task wakes one pass later.
      setTimeout(() => {
        expiredTimers.push(() => callSoon(resume));
        schedulePass();
      }, ms);
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
