// Finds wrk on the PATH for `--client wrk`, or refuses the run before anything starts.

import { StarveError } from '../../errors.js';
import { locateExecutable } from './locate-executable.js';

/** wrk's executable on `env`'s PATH; null when it is not installed. */
export function locateWrk(env: NodeJS.ProcessEnv = process.env): string | null {
  return locateExecutable('wrk', env);
}

export function findWrk(env: NodeJS.ProcessEnv = process.env): string {
  const found = locateWrk(env);
  if (found !== null) return found;
  throw new StarveError('BAD_ARGUMENT', 'The client wrk was asked for, but wrk is not on the PATH.', {
    hint: 'Install it (Debian and Ubuntu: apt-get install wrk), or leave out --client wrk to use autocannon. Nothing was started.',
  });
}
