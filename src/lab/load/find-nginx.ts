// Finds nginx for `"proxy": "nginx"` (--proxy nginx), or refuses the run before anything starts. Debian
// installs it in /usr/sbin, which a user's PATH may not hold.

import { StarveError } from '../../errors.js';
import { locateExecutable } from './locate-executable.js';

const SYSTEM_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

/** nginx's executable on `env`'s PATH or in the system's sbin directories; null when it is not installed. */
export function locateNginx(env: NodeJS.ProcessEnv = process.env): string | null {
  return locateExecutable('nginx', env, SYSTEM_DIRS);
}

export function findNginx(env: NodeJS.ProcessEnv = process.env): string {
  const found = locateNginx(env);
  if (found !== null) return found;
  throw new StarveError('BAD_ARGUMENT', 'The proxy nginx was asked for, but nginx is not installed (not on the PATH nor in /usr/sbin).', {
    hint: 'Install it (Debian and Ubuntu: apt-get install nginx-light), or leave out --proxy nginx to send the load straight to the server. Nothing was started.',
  });
}
