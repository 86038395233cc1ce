// `starve-lab stacks`: listing what is installed, and refusing what cannot be installed before apt is asked.

import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultCacheRoot, readInstalledStack } from '../../src/io/installed-stacks.js';
import { runCli } from '../helpers/run-cli.js';

const cache = mkdtempSync(join(tmpdir(), 'starve-lab-stacks-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

describe('starve-lab stacks', () => {
  it('lists every stack as not installed in an empty cache, and the interpreter\'s own versions', async () => {
    const result = await runCli(['stacks', 'list', '--json'], { STARVE_LAB_CACHE: cache });
    expect(result.code, result.stderr).toBe(0);
    const listing = JSON.parse(result.stdout) as { cache: string; system: { gunicorn: string } | null; stacks: Array<{ name: string; installed: unknown }> };
    expect(listing.cache).toBe(cache);
    expect(listing.stacks.map((s) => [s.name, s.installed])).toEqual([['system', null], ['trixie', null], ['newest', null]]);
    const text = await runCli(['stacks', 'list'], { STARVE_LAB_CACHE: cache, NO_COLOR: '1' });
    expect(text.stdout).toContain('not installed (npx starve-lab stacks install trixie)');
  });

  it('says a damaged stack is damaged, with the command that installs it again', async () => {
    mkdirSync(join(cache, 'stacks', 'trixie'), { recursive: true });
    writeFileSync(join(cache, 'stacks', 'trixie', 'stack.json'), '{"stackRecordVersion": 1}');
    const result = await runCli(['stacks', 'list'], { STARVE_LAB_CACHE: cache });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/trixie +damaged: The installed stack "trixie" is damaged/);
    const run = await runCli(['run', 'cpu-burst', '--stack', 'real', '--python-stack', 'trixie', '--out', cache], { STARVE_LAB_CACHE: cache });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Install it again: npx starve-lab stacks install trixie');
    rmSync(join(cache, 'stacks', 'trixie'), { recursive: true });
  });

  it('refuses an unknown stack, the system one, and a missing action, before apt is asked', async () => {
    for (const [args, message] of [
      [['stacks', 'install', 'sid'], 'No stack named "sid"; the stacks are system, trixie, newest.'],
      [['stacks', 'install', 'trixie', 'system'], '"system" is the interpreter\'s own gunicorn and uvicorn'],
      [['stacks', 'install'], 'Expected the stacks to install'],
      [['stacks', 'remove', 'trixie'], 'Unknown stacks action "remove"'],
    ] as const) {
      const result = await runCli([...args], { STARVE_LAB_CACHE: cache });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
    }
    expect((await runCli(['stacks', 'list'], { STARVE_LAB_CACHE: cache })).stdout).not.toContain('installed:');
  });

  // Where `stacks install` already ran (CI does, in .ci/run), an installed stack is listed with its versions.
  const installed = readInstalledStack(defaultCacheRoot(), 'trixie');
  it.skipIf(installed === null)('lists an installed stack with the versions Python imported', async () => {
    cpSync(join(defaultCacheRoot(), 'stacks', 'trixie'), join(cache, 'stacks', 'trixie'), { recursive: true });
    const result = await runCli(['stacks', 'list', '--json'], { STARVE_LAB_CACHE: cache });
    const listing = JSON.parse(result.stdout) as { stacks: Array<{ name: string; installed: { versions: { gunicorn: string } } | null }> };
    expect(listing.stacks.find((s) => s.name === 'trixie')?.installed?.versions.gunicorn).toMatch(/^2[2-9]\./);
  });
});
