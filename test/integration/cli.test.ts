// The CLI's help, list and bad-input paths, run as a user runs them.

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

describe('starve-lab CLI', () => {
  it('prints help and its version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('starve-lab run <scenario>');
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('lists scenarios and presets', async () => {
    const list = await runCli(['list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/cpu-burst\s+uvicorn #360/);
    expect(list.stdout).toMatch(/tick-count\s+uvicorn <= 0\.7\.1/);
    expect(list.stdout).toMatch(/gunicorn-20/);
    expect(list.stdout).toMatch(/HTTP implementations[^\n]*\n\s+httptools\s+uvicorn\[standard\][^\n]*\n\s+h11\s+plain/);
    // uvicorn's own process manager, its kinds of handler code, and the real versions it was run against.
    expect(list.stdout).toMatch(/\n\s+uvicorn\s+uvicorn's own process manager[^\n]*\n\s+faithful to uvicorn 0\.32\.0/);
    expect(list.stdout).toMatch(/Kinds of handler code[^\n]*\n\s+pure-python\s[^\n]*\n\s+holds-gil\s/);
    const json = await runCli(['list', '--json']);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { scenarios: Array<{ name: string; strategies: string[]; http: string }> };
    expect(parsed.scenarios.find((s) => s.name === 'cpu-burst')?.strategies).toEqual(['tick-count', 'wall-clock']);
    expect(parsed.scenarios.find((s) => s.name === 'cpu-burst')?.http).toBe('httptools');
    expect(parsed.scenarios.find((s) => s.name === 'uvicorn-gil')?.strategies).toEqual(['pure-python', 'holds-gil']);
    const stray = await runCli(['list', 'cpu-burst']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('list takes no arguments, got `cpu-burst`.');
    const version = await runCli(['run', '--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('answers an unknown scenario with the known ones and exit 2, without a stack trace', async () => {
    const run = await runCli(['run', 'cpu-brust']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown scenario "cpu-brust"; did you mean cpu-burst?');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a bad time scale and an unknown flag with exit 2', async () => {
    const scale = await runCli(['run', 'cpu-burst', '--time-scale', 'fast']);
    expect(scale.code).toBe(2);
    expect(scale.stderr).toContain('Expected --time-scale to be a number from 0.02 to 10, got `fast`');
    const flag = await runCli(['run', 'cpu-burst', '--fast']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('Unknown option --fast.');
    const typo = await runCli(['run', 'cpu-burst', '--timeoutt', '5']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Unknown option --timeoutt; did you mean --timeout?');
  });

  it('says what is wrong with a flag in its own words, before anything starts', async () => {
    /** Runs the CLI, which must refuse with exit 2; its stderr. */
    const refused = async (args: string[]): Promise<string> => {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      return result.stderr;
    };
    const negative = await refused(['run', 'cpu-burst', '--clients', '-3']);
    expect(negative).toContain('--clients needs a value, and the word after it starts with "-"');
    expect(negative).not.toContain('ambiguous');
    const absurd = await refused(['run', 'cpu-burst', '--timeout', '30000000']);
    expect(absurd).toContain('--timeout 30000000 is more than starve-lab accepts (1 hour).');
    expect(absurd).not.toContain('cpu-burst.json');
    expect(await refused(['run', 'cpu-burst', '--http', 'auto'])).toMatch(/http.*uvicorn's HTTP implementation, one of httptools, h11/);
    const cores = availableParallelism();
    for (const command of [['run', 'cpu-burst', '--repeat', '4'], ['sweep', 'cpu-burst', '--vary', 'clients=1,2']]) {
      expect(await refused([...command, '--parallel', String(cores + 1)])).toContain(`Expected --parallel to be a whole number from 1 to ${Math.min(64, cores)}, got \`${cores + 1}\`.`);
    }
    expect(await refused(['run', 'cpu-burst', '--clients=100000'])).toContain('Expected --clients to be a whole number from 0 to 256, got `100000`.');
    // gunicorn's --timeout under the kubelet: the flag is named, not the scenario file.
    const kubelet = await refused(['run', 'liveness-probe', '--timeout', '10']);
    expect(kubelet).toContain("--timeout is gunicorn's worker timeout; liveness-probe runs under the kubelet");
    expect(kubelet).not.toContain('liveness-probe.json has');
    expect(await refused(['run', 'cpu-burst', '--client', 'curl'])).toContain('the closed-loop client, one of autocannon, wrk');
    // The real stack's versions: a stack that is not one, one on the model, one not installed (named with its install command).
    expect(await refused(['run', 'cpu-burst', '--stack', 'real', '--python-stack', 'sid'])).toContain('one of system, trixie, newest');
    expect(await refused(['run', 'cpu-burst', '--python-stack', 'trixie'])).toContain('--python-stack trixie picks the real gunicorn and uvicorn');
    const empty = mkdtempSync(join(tmpdir(), 'starve-lab-cache-'));
    const missing = await runCli(['run', 'cpu-burst', '--stack', 'real', '--python-stack', 'newest', '--out', empty], { STARVE_LAB_CACHE: empty });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('The Python stack "newest"');
    expect(missing.stderr).toContain('npx starve-lab stacks install newest');
    expect(readdirSync(empty)).toEqual([]);
    rmSync(empty, { recursive: true });
  });
});
