// When the kubelet starts a container again after it exited (restartPolicy Always), read from the
// kubelet's source:
// - kuberuntime_manager.go doBackOff: the back-off is judged from the finish time of the *newest
//   container that had already exited* when the sync began. A liveness kill and its restart happen in
//   one sync (computePodActions puts the container in ContainersToKill and ContainersToStart), so the
//   container just killed is not that one: the first and second killed containers start again at once,
//   and the back-off bites only when the previous container finished less than the back-off ago.
//   Each start that passes the check steps the back-off (client-go flowcontrol.Backoff.Next: 10 s,
//   doubled at each step up to 5 min; an entry whose event came more than twice the maximum after its
//   last step starts over at 10 s).
// - pod_workers.go completeWork: a sync refused by the back-off requeues the pod at the back-off's
//   expiry (MinBackoffExpiration, in recent kubelets), capped at the resync interval (1 min), with
//   wait.Jitter's up-to-50% extra; the container's death itself wakes a sync at the next PLEG relist.
// Pure: randomness comes in as `random()`; every time is in the run's (scaled) milliseconds.

export const BACKOFF_INITIAL_MS = 10_000;
export const BACKOFF_MAX_MS = 300_000;
/** The kubelet's --sync-frequency (1 min): a refused sync waits at most this long (before jitter). */
export const KUBELET_RESYNC_MS = 60_000;
/** pod_workers.go workerBackOffPeriodJitterFactor. */
export const REQUEUE_JITTER = 0.5;

/** client-go's per-container back-off entry. */
export interface Backoff {
  delayMs: number;
  /** When the back-off was last stepped (a start that passed the check). */
  lastUpdateMs: number;
}

/** The back-off's first delay, its cap, and the kubelet's sync cadence (scaled with the run: scenario/scale-time.ts). */
export interface BackoffLimits {
  initialMs: number;
  maxMs: number;
  resyncMs: number;
  relistMs: number;
}

export const BACKOFF_LIMITS: BackoffLimits = { initialMs: BACKOFF_INITIAL_MS, maxMs: BACKOFF_MAX_MS, resyncMs: KUBELET_RESYNC_MS, relistMs: 1000 };

/** flowcontrol's hasExpired: the event came more than twice the maximum after the entry's last step. */
function expired(backoff: Backoff, eventMs: number, limits: BackoffLimits): boolean {
  return eventMs - backoff.lastUpdateMs > 2 * limits.maxMs;
}

/** IsInBackOffSince: the newest exited container finished less than the current back-off before `nowMs`. */
export function inBackoff(backoff: Backoff | null, exitedFinishedMs: number | null, nowMs: number, limits: BackoffLimits): boolean {
  if (backoff === null || exitedFinishedMs === null || expired(backoff, exitedFinishedMs, limits)) return false;
  return nowMs - exitedFinishedMs < backoff.delayMs;
}

/** Backoff.Next at a start that passed the check (only when an exited container was there to judge by). */
export function stepBackoff(backoff: Backoff | null, exitedFinishedMs: number, nowMs: number, limits: BackoffLimits): Backoff {
  const fresh = backoff === null || expired(backoff, exitedFinishedMs, limits);
  return { delayMs: fresh ? limits.initialMs : Math.min(backoff.delayMs * 2, limits.maxMs), lastUpdateMs: nowMs };
}

export interface ContainerExit {
  /** When the container finished. */
  finishedAtMs: number;
  /** The kubelet killed it (a liveness failure): its restart is decided in the same sync, right after it stops. */
  killedByKubelet: boolean;
  /** When the previous container of this slot finished (null: this was the first). */
  previousFinishedAtMs: number | null;
}

export interface Restart {
  /** When the container starts again. */
  atMs: number;
  /** How long past the exit the back-off held it (0: started by the first sync that looked). */
  heldMs: number;
  backoff: Backoff | null;
  /** Syncs refused by the back-off ("Back-off restarting failed container"). */
  refusedSyncs: number;
}

/** The most syncs followed; each waits at least until the back-off's expiry, so a few suffice. */
const MAX_SYNCS = 16;

/**
 * The restart after one exit: the syncs the kubelet runs (the kill's own, the PLEG event of the death,
 * then each requeue), each judging by the newest container that had exited when it began.
 */
export function restartAfterExit(backoff: Backoff | null, exit: ContainerExit, limits: BackoffLimits, random: () => number): Restart {
  // The kill's sync looked at the pod before the kill; a container that died on its own is first seen at a relist.
  let nowMs = exit.killedByKubelet ? exit.finishedAtMs : exit.finishedAtMs + random() * limits.relistMs;
  let judgedBy = exit.killedByKubelet ? exit.previousFinishedAtMs : exit.finishedAtMs;
  let refusedSyncs = 0;
  for (let sync = 0; sync < MAX_SYNCS; sync++) {
    if (!inBackoff(backoff, judgedBy, nowMs, limits)) {
      const next = judgedBy === null ? backoff : stepBackoff(backoff, judgedBy, nowMs, limits);
      return { atMs: nowMs, heldMs: nowMs - exit.finishedAtMs, backoff: next, refusedSyncs };
    }
    refusedSyncs++;
    const firstRefusal = judgedBy !== exit.finishedAtMs;
    // From here on the container just gone is the newest exited one.
    judgedBy = exit.finishedAtMs;
    if (firstRefusal && exit.killedByKubelet) {
      // Its death reaches the pod worker at the next relist, as a sync of its own.
      nowMs += random() * limits.relistMs;
      continue;
    }
    const expiryMs = judgedBy + (backoff as Backoff).delayMs;
    const waitMs = Math.min(Math.max(0, expiryMs - nowMs), limits.resyncMs);
    nowMs += waitMs * (1 + REQUEUE_JITTER * random());
  }
  return { atMs: nowMs, heldMs: nowMs - exit.finishedAtMs, backoff, refusedSyncs };
}
