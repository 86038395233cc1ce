// Runs jobs with bounded concurrency (--repeat with --parallel), in order of their index.

/** Runs `count` jobs, at most `width` at a time; stops starting new ones once `signal` is aborted. */
export async function runPool<T>(count: number, width: number, signal: AbortSignal | undefined, job: (index: number, slot: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async (slot: number): Promise<void> => {
    while (next < count && signal?.aborted !== true) {
      const index = next++;
      results[index] = await job(index, slot);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, (_, slot) => worker(slot)));
  return results.filter((result) => result !== undefined);
}
