// Where installed stacks live: STARVE_LAB_CACHE, else $XDG_CACHE_HOME/starve-lab, else
// ~/.cache/starve-lab (pure: the environment and home directory are given).

import { join } from 'node:path';

export function cacheRoot(env: NodeJS.ProcessEnv, home: string): string {
  const own = env['STARVE_LAB_CACHE'];
  if (own !== undefined && own !== '') return own;
  const xdg = env['XDG_CACHE_HOME'];
  return join(xdg !== undefined && xdg !== '' ? xdg : join(home, '.cache'), 'starve-lab');
}

export function stacksDir(root: string): string {
  return join(root, 'stacks');
}

/** apt's private state for `stacks install`: its lists, its downloads and the sources file it reads. */
export function aptDir(root: string): string {
  return join(root, 'apt');
}
