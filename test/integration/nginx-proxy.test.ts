// nginx in front of the server (--proxy nginx): the real nginx runs between the load and the lab's
// supervisor, one per strategy, and goes away with the run. Requests cut by a kill come back to the
// clients as nginx answers them (sent again to the next worker, or a 502), never as a reset. Skipped
// loudly where nginx is missing, unless STARVE_LAB_REQUIRE_REAL_STACK=1 (CI installs it).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { locateNginx } from '../../src/lab/load/find-nginx.js';
import type { Report } from '../../src/report/report-schema.js';
import { runCli } from '../helpers/run-cli.js';

const nginx = locateNginx();
if (nginx === null) {
  if (process.env['STARVE_LAB_REQUIRE_REAL_STACK'] === '1') throw new Error('nginx is required here but not installed (apt-get install nginx-light)');
  process.stderr.write('\n*** SKIPPING the nginx proxy tests: nginx is not installed (apt-get install nginx-light)\n\n');
}

const out = mkdtempSync(join(tmpdir(), 'starve-lab-nginx-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Two back-to-back clients of 200-600 ms handlers under a 6 s timeout: the fixed rule is killed every 6-7 s. */
const SCENARIO = {
  name: 'behind-nginx',
  timeoutMs: 6000,
  durationMs: 24_000,
  strategies: ['wall-clock'],
  seed: 11,
  load: { clients: 2, thinkMs: 0, routes: [{ kind: 'cpu', ms: { min: 200, max: 600 } }] },
};

function nginxProcessesUnder(dir: string): string {
  try {
    return execFileSync('pgrep', ['-af', dir], { encoding: 'utf8' }).split('\n').filter((line) => line.includes('nginx')).join('\n');
  } catch {
    return '';
  }
}

describe.skipIf(nginx === null)('--proxy nginx', () => {
  it('puts nginx between the clients and the server: the worker is still killed, the clients see no reset, nginx goes with the run', async () => {
    const file = join(out, 'behind-nginx.json');
    writeFileSync(file, JSON.stringify(SCENARIO));
    const result = await runCli(['run', file, '--proxy', 'nginx', '--time-scale', '0.1', '--out', out, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.params.load.proxy).toBe('nginx');
    const strategy = report.strategies[0];
    expect(strategy?.outcome).toBe('killed');
    const requests = strategy!.requests;
    expect(requests.reset).toBe(0);
    expect(requests.vanished).toBe(0);
    const dir = join(out, 'behind-nginx', readdirSync(join(out, 'behind-nginx'))[0] ?? '', 'wall-clock');
    expect(readFileSync(join(dir, 'nginx.conf'), 'utf8')).toContain('listen 127.0.0.1:');
    // What the kills cut: each request in hand at a kill was sent again by nginx (the server started it
    // twice, and the report says so) or answered with nginx's 502.
    const starts = readFileSync(join(dir, 'trace.jsonl'), 'utf8').split('\n').filter((line) => line.includes('"request-start"')).map((line) => (JSON.parse(line) as { id: number }).id);
    const twice = new Set(starts.filter((id, index) => starts.indexOf(id) !== index)).size;
    const retried = strategy!.findings.find((f) => f.kind === 'proxy-retried');
    expect(retried === undefined ? 0 : retried.requests).toBe(twice);
    expect(twice + requests.failedStatus).toBeGreaterThan(0);
    expect(nginxProcessesUnder(dir)).toBe('');
    expect(existsSync(join(dir, 'nginx-error.log'))).toBe(true);
  }, 120_000);

  it('an nginx that cannot start fails the run with what nginx said, and leaves no process', async () => {
    // A fake nginx first on the PATH: it prints what a real one prints when its port is taken, and exits.
    const bin = mkdtempSync(join(out, 'bin-'));
    writeFileSync(join(bin, 'nginx'), '#!/bin/sh\n[ "$1" = "-V" ] && exit 0\necho \'nginx: [emerg] bind() to 127.0.0.1 failed (98: Address already in use)\' >&2\nexit 1\n', { mode: 0o755 });
    const file = join(out, 'broken-nginx.json');
    writeFileSync(file, JSON.stringify({ ...SCENARIO, name: 'broken-nginx' }));
    const result = await runCli(['run', file, '--proxy', 'nginx', '--time-scale', '0.1', '--out', out], { PATH: `${bin}:${process.env['PATH'] ?? ''}` });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Address already in use');
    expect(result.stderr).toMatch(/load process for wall-clock exited before it started/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(nginxProcessesUnder(out)).toBe('');
  });

  it('refuses a proxy it does not know before anything starts', async () => {
    const before = existsSync(join(out, 'cpu-burst'));
    const result = await runCli(['run', 'cpu-burst', '--proxy', 'haproxy', '--time-scale', '0.1', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/load\.proxy.*nginx/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(out, 'cpu-burst'))).toBe(before);
  });
});
