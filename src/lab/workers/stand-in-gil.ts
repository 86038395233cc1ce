// The model's stand-in for CPython's GIL, for the `gil` route (code that holds the GIL: a C call that
// does not release it, `re` on a catastrophic pattern). Shared by the worker's loop and its threads:
// [0] is 1 while a `gil` handler runs, [1] counts its releases: the end of each hold, and each blocking
// call the loop's thread makes between holds (its poll, its os.write of a trace line), where CPython
// hands the GIL to a thread that waits for it at once. A thread that stands for a Python thread
// (the `thread` notifier's heartbeat, health-off-loop's answerer, uvicorn's healthcheck answerer) takes
// it at each point where the Python thread would need the GIL back: after each blocking call (a sleep,
// a select, accept, recv) the thread must reacquire it. Held, the thread waits for the next release;
// CPython then hands it over (a thread waiting longer than the switch interval forces the holder to
// drop it and wait for the hand-over), so one release lets one acquisition through before the loop's
// next `gil` handler takes it back. The pure-Python `cpu` route does not take it: the interpreter
// hands the GIL to a waiting thread every 5 ms (sys.getswitchinterval()), which the model rounds to "at once".

export type StandInGil = Int32Array;

const HELD = 0;
const RELEASES = 1;

export function createStandInGil(): StandInGil {
  return new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
}

/** Runs `work` holding the stand-in GIL (on the loop: nothing else of the worker runs meanwhile). */
export function holdingGil<T>(gil: StandInGil, work: () => T): T {
  Atomics.store(gil, HELD, 1);
  try {
    return work();
  } finally {
    Atomics.store(gil, HELD, 0);
    Atomics.add(gil, RELEASES, 1);
    Atomics.notify(gil, RELEASES);
  }
}

/**
 * The loop's thread makes a blocking call outside any hold (uvloop returns to C between callbacks and
 * polls, `with nogil`; a trace line is an os.write): CPython releases the GIL around it, and a thread
 * waiting for the GIL takes it then, without waiting for the switch interval.
 */
export function releaseAtBlockingCall(gil: StandInGil): void {
  if (Atomics.load(gil, HELD) !== 0) return;
  Atomics.add(gil, RELEASES, 1);
  Atomics.notify(gil, RELEASES);
}

/**
 * CPython's switch interval (sys.getswitchinterval(), 5 ms): how long a thread that wants the GIL waits
 * before the holder is made to drop it at its next bytecode. Not scaled: the interpreter's constant.
 */
export const SWITCH_INTERVAL_MS = 5;

/**
 * Blocks the calling thread through `acquisitions` takings of the GIL. The first passes at once while
 * no `gil` handler holds it. Each later one comes after the thread gave the GIL up in a blocking call,
 * while the loop's thread ran on: it gets it back once the loop has run the switch interval in bytecode
 * (the loop is free then) or at the next release of a hold the loop entered meanwhile. So while a loop
 * runs `gil` handlers back to back, each taking costs one hold. Bounded by `maxWaitMs` in all.
 */
export function takeGil(gil: StandInGil, acquisitions: number, maxWaitMs: number): void {
  const until = Date.now() + maxWaitMs;
  for (let i = 0; i < acquisitions; i++) {
    const seen = Atomics.load(gil, RELEASES);
    if (i > 0) Atomics.wait(gil, RELEASES, seen, SWITCH_INTERVAL_MS);
    while (Atomics.load(gil, HELD) !== 0 && Atomics.load(gil, RELEASES) === seen) {
      const left = until - Date.now();
      if (left <= 0) return;
      Atomics.wait(gil, RELEASES, seen, left);
    }
  }
}

/**
 * How often each thread needs the GIL back before its answer leaves: once after each blocking call that
 * returns before the one that sends it (the sending call itself runs without the GIL). The heartbeat
 * thread: once, back from its sleep, before os.utime stamps the file. http.server's answerer
 * (ThreadingHTTPServer): five, back from select, from accept, the handler thread's start, its recv of
 * the request and its sendall of the headers, before the body's sendall. uvicorn's answering thread
 * (process-manager/healthcheck.ts): twice, back from the read of the message's length and of its body,
 * before the write of the answer. docs/scenarios.md, "Code that holds the GIL", has what they were
 * measured against.
 */
export const GIL_ACQUISITIONS = { heartbeat: 1, healthAnswer: 5 } as const;
