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
