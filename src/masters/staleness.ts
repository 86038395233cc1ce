// gunicorn's murder_workers rule (pure): stale when now - last heartbeat > timeout (strict);
// the first stale pass aborts (SIGABRT), a later one kills (SIGKILL); timeout 0 disables the check.

export type StaleDecision = 'fresh' | 'abort' | 'kill';

export interface StalenessInput {
  /** The master's clock, in the carrier's clock (wall or monotonic). */
  nowMs: number;
  /** The heartbeat file's timestamp, in the same clock. */
  lastBeatMs: number;
  timeoutMs: number;
  /** Already sent SIGABRT on an earlier pass. */
  aborted: boolean;
}

export function decideStaleness({ nowMs, lastBeatMs, timeoutMs, aborted }: StalenessInput): StaleDecision {
  if (timeoutMs === 0) return 'fresh';
  if (nowMs - lastBeatMs <= timeoutMs) return 'fresh';
  return aborted ? 'kill' : 'abort';
}
