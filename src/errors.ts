// The one error type starve-lab throws on purpose: a code to branch on, a message, and what to do next.

export const STARVE_ERROR_CODES = [
  'BAD_ARGUMENT',
  'UNKNOWN_SCENARIO',
  'INVALID_SCENARIO',
  'PORT_IN_USE',
  'OUTPUT_NOT_WRITABLE',
  'CHILD_FAILED',
  /** A saved run's file (params.json, a trace, doctor.json, series-params.json) is missing or malformed. */
  'BAD_TRACE',
  'INTERRUPTED',
] as const;

export type StarveErrorCode = (typeof STARVE_ERROR_CODES)[number];

export class StarveError extends Error {
  readonly code: StarveErrorCode;
  readonly hint: string | undefined;
  /** One line per problem when there are several (every scenario mistake at once). */
  readonly details: readonly string[];

  constructor(code: StarveErrorCode, message: string, options: { hint?: string; details?: readonly string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StarveError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? [];
  }
}

export function isStarveError(error: unknown): error is StarveError {
  return error instanceof StarveError;
}
