// Runs jobs with bounded concurrency, for `--repeat` series and for sweeps: at most `limit` at a time,
// each in a numbered slot (a series gives each slot its own ports), stopping new starts once the signal
// is aborted or a job has thrown. A sweep's jobs may put themselves back in the queue and lower the
// limit (a run distorted by its neighbours is run again with fewer at a time); `crowd()` says how many
// ran at once, at the most, while a job ran.

export interface JobContext<J> {
  slot: number;
  /** The most jobs that were running at once during this job (itself included). */
  crowd(): number;
  /** Jobs waiting for a slot. */
  queued(): number;
  /** Runs `job` again, first, once a slot is free. */
  requeue(job: J): void;
  /** The limit now; `lowerLimit` never raises it. */
  limit(): number;
  lowerLimit(to: number): void;
}

export interface SchedulerOptions {
  limit: number;
  signal?: AbortSignal | undefined;
}

/** Runs every job of `queue` (and any requeued); rejects with the first job's error once the rest have settled. */
export async function runScheduled<J>(queue: J[], options: SchedulerOptions, run: (job: J, context: JobContext<J>) => Promise<void>): Promise<{ limit: number }> {
  let limit = Math.max(1, options.limit);
  let failure: { error: unknown } | null = null;
  const freeSlots = Array.from({ length: limit }, (_, slot) => slot);
  const crowds = new Map<symbol, number>();
  const active = new Set<Promise<void>>();
  const stopped = (): boolean => options.signal?.aborted === true || failure !== null;
  while (queue.length > 0 || active.size > 0) {
    while (queue.length > 0 && active.size < limit && !stopped()) {
      const job = queue.shift() as J;
      const slot = freeSlots.shift() ?? active.size;
      const key = Symbol('job');
      for (const other of crowds.keys()) crowds.set(other, Math.max(crowds.get(other) ?? 1, active.size + 1));
      crowds.set(key, active.size + 1);
      const context: JobContext<J> = {
        slot,
        crowd: () => crowds.get(key) ?? 1,
        queued: () => queue.length,
        requeue: (again) => void queue.unshift(again),
        limit: () => limit,
        lowerLimit: (to) => void (limit = Math.max(1, Math.min(limit, to))),
      };
      const running: Promise<void> = run(job, context)
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => {
          active.delete(running);
          crowds.delete(key);
          freeSlots.push(slot);
          freeSlots.sort((a, b) => a - b);
        });
      active.add(running);
    }
    if (active.size === 0) break;
    await Promise.race(active);
  }
  if (failure !== null) throw (failure as { error: unknown }).error;
  return { limit };
}

/** `count` jobs by index, at most `width` at a time; the results of those that ran, in index order. */
export async function runPool<T>(count: number, width: number, signal: AbortSignal | undefined, job: (index: number, slot: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  await runScheduled(Array.from({ length: count }, (_, index) => index), { limit: Math.min(width, count), signal }, async (index, { slot }) => {
    results[index] = await job(index, slot);
  });
  return results.filter((result) => result !== undefined);
}
