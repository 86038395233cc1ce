// An executable by name on a PATH (and in extra directories), as a shell would find it.

import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The first executable `name` in `env`'s PATH, then in `extraDirs`; null when there is none. */
export function locateExecutable(name: string, env: NodeJS.ProcessEnv = process.env, extraDirs: readonly string[] = []): string | null {
  for (const dir of [...(env['PATH'] ?? '').split(delimiter), ...extraDirs]) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}
