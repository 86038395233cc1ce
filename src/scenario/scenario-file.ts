// A scenario back in the shape its file has (pure): the supervisor as `master`, `timeoutMs` and
// `probe`. params.json and sweep.json keep that shape, so runs of every version decode the same way,
// and a scenario object given to the library is validated as a file would be.

import { supervisorFileFields } from './supervisor.js';
import type { Scenario } from './types.js';
import { SYSTEM_STACK } from '../stacks/stack-names.js';

export function scenarioToFile(scenario: Scenario): Record<string, unknown> {
  const { supervisor, pythonStack, ...rest } = scenario;
  // The default stack is left out, so files written before the field existed read back the same.
  return { ...rest, ...(pythonStack === SYSTEM_STACK ? {} : { pythonStack }), ...supervisorFileFields(supervisor) };
}
