// Short wording for settings in init's notes (pure).

import { isDeferred } from './read-server-settings.js';

/** "1 s", "1.5 s", "200 ms". */
export function describeMs(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(2))} s` : `${ms} ms`;
}

export function describeRouteMs(ms: number | { min: number; max: number }): string {
  return typeof ms === 'number' ? describeMs(ms) : `${describeMs(ms.min)}-${describeMs(ms.max)}`;
}

/** Why an option left to the shell could not be read, or null when it is not one. */
export function describeDeferred(option: string): string | null {
  return isDeferred(option) ? 'its value comes from the environment when the container starts; give the number in --from to map it' : null;
}
