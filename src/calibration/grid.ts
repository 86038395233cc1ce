// A calibration grid file (scenarios/calibration/*.json): a list of cases, each a scenario (a built-in
// name, a file relative to the grid, or an inline object) with changes on top. Decoded once (pure).

import { z } from 'zod';
import { describeIssues } from '../decode/describe-issues.js';

const caseSchema = z.object({
  /** The case's name in the tables; defaults to the scenario's own name. */
  name: z.string().min(1).optional(),
  scenario: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
  /** Fields laid over the scenario's (one level deep into `load`), e.g. { "timeoutMs": 10000, "load": { "clients": 4 } }. */
  changes: z.record(z.string(), z.unknown()).optional(),
});

export const gridSchema = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  cases: z.array(caseSchema).min(1),
});
export type Grid = z.infer<typeof gridSchema>;
export type GridCase = z.infer<typeof caseSchema>;

export function decodeGrid(value: unknown): { ok: true; value: Grid } | { ok: false; problem: string } {
  const decoded = gridSchema.safeParse(value);
  return decoded.success ? { ok: true, value: decoded.data } : { ok: false, problem: describeIssues(decoded.error, value) };
}

/** Whether a parsed JSON file is a grid (it has `cases`) rather than a scenario. */
export function looksLikeGrid(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'cases' in value;
}

/** Lays `changes` over a raw scenario object; `load` is merged one level deep. */
export function applyChanges(raw: Record<string, unknown>, changes: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(changes)) {
    const current = raw[key];
    if (key === 'load' && typeof current === 'object' && current !== null && typeof value === 'object' && value !== null) raw[key] = { ...current, ...value };
    else raw[key] = value;
  }
}
