// gunicorn >= 24's own ASGI worker (`-k asgi`, gunicorn/workers/gasgi.py): no uvicorn, no tick counting.
// Its serving task does `while alive: notify(); await asyncio.sleep(1.0)` on the event loop, so a beat
// comes whenever the loop gets back to that task: at most about 1 s after the last one while it runs
// freely, one stall's length later while it does not. One stall longer than the timeout kills; nothing
// shorter does. Its SIGABRT handler is a loop.add_signal_handler callback: the master's abort waits for
// the blocked loop, and the master's SIGKILL on its next pass comes first (no worker_abort, no traceback).

import { TICKS_PER_PERIODIC_CHECK, type NotifierRule } from './types.js';

export const gunicornAsgi: NotifierRule = {
  name: 'gunicorn-asgi',
  summary: "gunicorn >= 24's own ASGI worker (-k asgi): notify, then asyncio.sleep(1.0), on the loop; SIGABRT waits for the loop",
  realVersions: "gunicorn 24 to 26 (-k asgi); real: gunicorn's own worker, --python-stack newest",
  checkEveryTicks: null,
  drivenBy: 'timer',
  // One second of uvicorn's ticks: 1 s at real timing, scaled with them.
  notifyIntervalMs: ({ tickMs }) => TICKS_PER_PERIODIC_CHECK * tickMs,
  // The loop's ticks never notify; the worker runs the heartbeat task instead.
  create: () => ({ shouldNotify: () => false }),
};
