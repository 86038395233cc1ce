// What Linux's /proc says about a gunicorn master (pure): which of its open file descriptors is a
// worker's unlinked heartbeat file (gunicorn <= 21: WorkerTmp, "wgunicorn-*").

/** The fd (of those given, `fd -> link target`) that points at `heartbeatFile` (as the worker saw it). */
export function findHeartbeatFd(links: ReadonlyMap<number, string>, heartbeatFile: string): number | null {
  const wanted = heartbeatFile.replace(/ \(deleted\)$/, '');
  for (const [fd, target] of links) if (target.replace(/ \(deleted\)$/, '') === wanted) return fd;
  return null;
}

/** Whether a link target is one of gunicorn's worker heartbeat files. */
export function isWorkerTmp(target: string): boolean {
  return /\/wgunicorn-[^/]+( \(deleted\))?$/.test(target);
}
