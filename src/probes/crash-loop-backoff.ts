// When the kubelet restarts a container that exited (pkg/kubelet/kuberuntime doBackOff with
// client-go's flowcontrol.Backoff, initial 10 s, max 5 min): the first exit restarts at once and arms
// a 10 s back-off; while armed, an exit waits out the back-off from its finish time, and each restart
// doubles it up to 5 minutes; an entry untouched for twice the maximum (10 minutes) expires, so a
// container that ran that long starts over at once.

export const BACKOFF_INITIAL_MS = 10_000;
export const BACKOFF_MAX_MS = 300_000;

export interface Backoff {
  delayMs: number;
  /** When the back-off was last stepped (the last restart). */
  lastUpdateMs: number;
}

/** The back-off's first delay and its cap (scaled with the run: scenario/scale-time.ts). */
export interface BackoffLimits {
  initialMs: number;
  maxMs: number;
}

export const BACKOFF_LIMITS: BackoffLimits = { initialMs: BACKOFF_INITIAL_MS, maxMs: BACKOFF_MAX_MS };

function expired(backoff: Backoff, nowMs: number, limits: BackoffLimits): boolean {
  return nowMs - backoff.lastUpdateMs > 2 * limits.maxMs;
}

export interface Restart {
  /** When the container starts again: at once, or when its back-off since `finishedAtMs` has passed. */
  atMs: number;
  backoff: Backoff;
}

/** The restart of a container that finished at `finishedAtMs`, given the back-off so far (null: none yet). */
export function nextRestart(backoff: Backoff | null, finishedAtMs: number, limits: BackoffLimits = BACKOFF_LIMITS): Restart {
  const inBackoff = backoff !== null && !expired(backoff, finishedAtMs, limits);
  const atMs = inBackoff ? finishedAtMs + backoff.delayMs : finishedAtMs;
  // flowcontrol.Backoff.Next at the restart: a fresh (or expired) entry starts at the initial delay.
  const fresh = backoff === null || expired(backoff, atMs, limits);
  const delayMs = fresh ? limits.initialMs : Math.min(backoff.delayMs * 2, limits.maxMs);
  return { atMs, backoff: { delayMs, lastUpdateMs: atMs } };
}
