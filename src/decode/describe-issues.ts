// Turns a schema library's complaints into one short line a person can act on (pure): which field,
// what was expected, what was found.

import type { z } from 'zod';

function pathOf(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(the whole value)' : path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('').replace(/^\./, '');
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Reads the value at `path` inside `input`, for the "found" part of a message. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** `field "ageMs": expected number, found "soon"`, for the first (most telling) issue. */
export function describeIssues(error: z.ZodError, input: unknown): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'not valid';
  const field = pathOf(issue.path);
  if (issue.code === 'invalid_union' && issue.path.length === 0) return 'unknown or malformed event';
  if (issue.code === 'unrecognized_keys') return `unexpected field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  let expected: string;
  if (issue.code === 'invalid_type') expected = issue.expected;
  else if (issue.code === 'invalid_value') expected = `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  else expected = issue.message.replace(/^(Invalid input|Too small|Too big): expected /, '');
  return `field "${field}": expected ${expected}, found ${describeValue(valueAt(input, issue.path))}`;
}
