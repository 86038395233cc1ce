// Exit codes a CI job can branch on.

export const EXIT = {
  ok: 0,
  /** An expectation failed (with --ci): a regression. */
  expectationFailed: 1,
  /** Bad flags or a bad scenario: nothing was started. */
  badInput: 2,
  /** Inconclusive, or the lab itself failed (a child did not start). */
  labFailure: 3,
  interruptedBySigint: 130,
  interruptedBySigterm: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code of a command that was interrupted (Ctrl-C: 130; SIGTERM or a lost parent: 143), or null. */
export function interruptedExitCode(cause: 'SIGINT' | 'SIGTERM' | 'parent gone' | null): ExitCode | null {
  if (cause === null) return null;
  return cause === 'SIGINT' ? EXIT.interruptedBySigint : EXIT.interruptedBySigterm;
}
