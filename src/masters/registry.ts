// Master presets found by name: the two heartbeat carriers gunicorn has used.

import type { MasterPreset } from './types.js';

export const MASTERS: readonly MasterPreset[] = [
  {
    name: 'gunicorn-20',
    summary: 'gunicorn <= 21 (Debian ships 20.1.0): file ctime on the wall clock; boot counts as a heartbeat',
    realVersions: 'gunicorn 19 to 21; real: Debian bookworm\'s 20.1.0 (the system stack)',
    carrier: 'ctime-wall',
    bootCountsAsBeat: true,
  },
  {
    name: 'gunicorn-22',
    summary: 'gunicorn >= 22: monotonic time in the file mtime; a worker that never notified is never timed out',
    realVersions: 'gunicorn 22 to 26; real: trixie\'s 23.0.0, unstable\'s 26.2.2 (stacks install trixie|newest)',
    carrier: 'mtime-monotonic',
    bootCountsAsBeat: false,
  },
];

export function findMaster(name: string): MasterPreset | undefined {
  return MASTERS.find((preset) => preset.name === name);
}

export function masterNames(): string[] {
  return MASTERS.map((preset) => preset.name);
}

/** A gunicorn version's major number (`23.0.0` → 23); null when it is not a version. */
export function gunicornMajor(version: string): number | null {
  const major = /^(\d+)\./.exec(version)?.[1];
  return major === undefined ? null : Number(major);
}

/** The preset of a real gunicorn by its version (`23.0.0`): gunicorn-22 from 22 on; null when it is not a version. */
export function masterForGunicornVersion(version: string): 'gunicorn-20' | 'gunicorn-22' | null {
  const major = gunicornMajor(version);
  if (major === null) return null;
  return major >= 22 ? 'gunicorn-22' : 'gunicorn-20';
}
