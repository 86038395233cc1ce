// The lab's own real-time allowances (never scaled: they bound processes, not the scenario), in one place.

/** Real ms a supervisor gets to bind and boot its first worker (process start-up is not scaled). */
export const READY_TIMEOUT_MS = 20_000;
/** Real ms the orchestrator's children (masters, loads) get to stop before their group is SIGKILLed. */
export const CHILD_STOP_GRACE_MS = 5_000;
/** Real ms a master's workers get after SIGTERM at the end of a run before SIGKILL (within the above). */
export const WORKER_STOP_GRACE_MS = 2_000;
/** Real ms the load may overrun its duration before it is stopped. */
export const LOAD_OVERRUN_MS = 10_000;
/** asyncio's default executor on a 2-core machine has min(32, cores + 4) = 6 threads; 4 serve 4 clients. */
export const OFFLOAD_THREADS = 4;
