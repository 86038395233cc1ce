// starve-lab's own version, read from its package.json.

import { readFileSync } from 'node:fs';

export function readOwnVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return manifest.version ?? '0.0.0';
}
