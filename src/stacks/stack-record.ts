// stack.json, what `stacks install` records of one installed stack (pure): which suite, which Debian
// package versions, and the versions Python itself reported when it imported them. One decoder.

import { z } from 'zod';
import { describeIssues } from '../decode/describe-issues.js';

export const STACK_RECORD_FILE = 'stack.json';
/** The directory of the stack that goes on PYTHONPATH (the packages' dist-packages, unpacked). */
export const STACK_SITE_DIR = 'site';

const version = z.string().min(1).max(100).regex(/^[\w.+~:-]+$/);

const recordSchema = z.object({
  stackRecordVersion: z.literal(1),
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  suite: z.string().regex(/^[a-z][a-z0-9-]*$/),
  installedAt: z.string(),
  /** Debian's package versions, as apt fetched them. */
  packages: z.array(z.object({ name: z.string().regex(/^[a-z0-9][a-z0-9.+-]*$/), version })),
  /** The interpreter it was checked with, and what it imported from the stack. */
  python: z.string(),
  versions: z.object({ gunicorn: version, uvicorn: version }),
});

export type StackRecord = z.infer<typeof recordSchema>;

/** An installed stack: its record, and what goes first on PYTHONPATH. */
export interface InstalledStack {
  record: StackRecord;
  sitePath: string;
}

/** One line of `stacks list`. */
export interface StackListing {
  name: string;
  suite: string | null;
  summary: string;
  installed: InstalledStack | null;
  /** Why an installed stack cannot be used (damaged), or null. */
  problem: string | null;
}

export function decodeStackRecord(value: unknown): { ok: true; value: StackRecord } | { ok: false; problem: string } {
  const parsed = recordSchema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: describeIssues(parsed.error, value) };
}

export function encodeStackRecord(record: StackRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}
