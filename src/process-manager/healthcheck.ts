// uvicorn's own process manager (`uvicorn --workers N`, uvicorn/supervisors/multiprocess.py, 0.30 and
// later), as constants read from its source. Every 0.5 s (`should_exit.wait(0.5)`) the parent runs
// keep_subprocess_alive: for each child in turn it sends `ping` over a multiprocessing Pipe and polls up
// to timeout_worker_healthcheck for the answer, which a daemon thread of the child (always_pong) sends;
// a child that does not answer is SIGKILLed (`process.kill()`), joined, logged "Child process [pid]
// died" and replaced. The children are checked one after another, so one that does not answer delays
// the checks of those after it by the whole timeout.

/** The parent's wait between rounds of checks (`self.should_exit.wait(0.5)`), scenario ms. */
export const CHECK_INTERVAL_MS = 500;

/** `timeout_worker_healthcheck`'s default, and before 0.37 the fixed `ping(timeout=5)`. */
export const DEFAULT_HEALTHCHECK_TIMEOUT_MS = 5000;

/** The first uvicorn whose `--workers` runs this manager (multiprocess.py with ping and pong). */
export const PROCESS_MANAGER_SINCE = [0, 30] as const;

/** The first uvicorn with `--timeout-worker-healthcheck`; before it the timeout is the fixed 5 s. */
export const HEALTHCHECK_OPTION_SINCE = [0, 37] as const;

/**
 * How often the child's answering thread needs the GIL back before its answer leaves: back from the
 * blocking read of the message's length and from the read of its body (multiprocessing's Connection
 * releases the GIL around each os.read and os.write); the write of the answer then sends it. Under
 * handlers that hold the GIL back to back, each taking can cost one hold (lab/workers/stand-in-gil.ts).
 */
export const PONG_GIL_ACQUISITIONS = 2;

/** `0.53.0` → [0, 53]; null for what is not a version. */
export function uvicornMinor(version: string): readonly [number, number] | null {
  const match = /^(\d+)\.(\d+)/.exec(version);
  return match === null ? null : [Number(match[1]), Number(match[2])];
}

/** Whether `version` is at least `since` ([major, minor]). */
export function uvicornHas(version: string, since: readonly [number, number]): boolean {
  const found = uvicornMinor(version);
  if (found === null) return false;
  return found[0] > since[0] || (found[0] === since[0] && found[1] >= since[1]);
}

/**
 * The longest a child can go unanswering before the parent's kill: the wait before its check (the
 * interval, and every child checked before it waiting its whole timeout) and its own timeout.
 */
export function detectionWindowMs(healthcheckTimeoutMs: number, workers: number): number {
  return CHECK_INTERVAL_MS + workers * healthcheckTimeoutMs;
}
