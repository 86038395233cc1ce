// What a worker thread of the lab receives as its workerData, decoded as the children decode their
// configuration (child-decode.ts): a thread given the wrong data says which field and stops.

import { checkFields, type FieldKind } from './child-decode.js';

export function readThreadData<T>(value: unknown, fields: Readonly<Record<string, FieldKind>>, thread: string): T {
  const problem = checkFields(value, fields);
  if (problem !== null) throw new Error(`starve-lab: the ${thread} thread got bad data: ${problem}`);
  return value as T;
}
