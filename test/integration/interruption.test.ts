// However a run ends, it leaves no process and no half-written report: Ctrl-C, SIGTERM, a SIGKILLed
// CLI, a port in use, an unwritable output directory, a corrupted trace.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/build-report.js';
import { CLI, descendants, isAlive, runCli, waitUntil } from '../helpers/run-cli.js';
import { labPids, latestRunDir } from '../helpers/lab-processes.js';

const out = mkdtempSync(join(tmpdir(), 'starve-lab-interrupt-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function startRun(args: string[]): { child: ChildProcess; exited: Promise<number | null>; loadStarted: Promise<void>; stdout: () => string } {
  const child = spawn(process.execPath, [CLI, 'run', ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const loadStarted = new Promise<void>((resolve) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('load running')) resolve();
    });
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exited, loadStarted, stdout: () => stdout };
}

describe('a run that is interrupted', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('on %s stops every child, writes the report marked interrupted and exits %i', async (signal, code) => {
    const run = startRun(['cpu-burst', '--time-scale', '0.1', '--duration', '300', '--side-by-side', '--out', out]);
    await run.loadStarted;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Two masters, two workers (each started through /bin/sh exec), two loads.
    const children = descendants(run.child.pid ?? -1);
    expect(children.length).toBeGreaterThanOrEqual(6);
    run.child.kill(signal);
    expect(await run.exited).toBe(code);
    expect(children.filter(isAlive)).toEqual([]);
    const runDir = latestRunDir(out, 'cpu-burst');
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
    expect(report.interrupted).toBe(true);
    expect(report.verdict).toBe('inconclusive');
    expect(readdirSync(runDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(run.stdout()).toContain('(interrupted)');
  }, 60_000);

  it('whose CLI is SIGKILLed leaves children that exit by themselves within seconds', async () => {
    const run = startRun(['cpu-burst', '--time-scale', '0.1', '--duration', '300', '--side-by-side', '--out', out]);
    await run.loadStarted;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const before = descendants(run.child.pid ?? -1);
    expect(before.length).toBeGreaterThanOrEqual(6);
    run.child.kill('SIGKILL');
    await run.exited;
    const gone = await waitUntil(() => before.every((pid) => !isAlive(pid)), 5000);
    expect(before.filter(isAlive)).toEqual([]);
    expect(gone).toBe(true);
  }, 60_000);
});

describe('a run whose wrapper dies (a CI cancel that SIGTERMs only npx)', () => {
  it('notices it lost its parent, stops every child and writes the report marked interrupted', async () => {
    // A shell in the place of npx: it waits for the CLI, then is killed without passing anything on.
    const cli = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} run idle --time-scale 0.1 --duration 300 --out ${JSON.stringify(out)}; true`;
    const wrapper = spawn('/bin/sh', ['-c', cli], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const loadStarted = new Promise<void>((resolve) => {
      wrapper.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('running')) resolve();
      });
    });
    await loadStarted;
    const everything = descendants(wrapper.pid ?? -1);
    expect(everything.length).toBeGreaterThanOrEqual(3);
    wrapper.kill('SIGKILL');
    const gone = await waitUntil(() => everything.every((pid) => !isAlive(pid)), 10_000);
    expect(everything.filter(isAlive)).toEqual([]);
    expect(gone).toBe(true);
    const report = JSON.parse(readFileSync(join(latestRunDir(out, 'idle'), 'report.json'), 'utf8')) as Report;
    expect(report.interrupted).toBe(true);
  }, 60_000);
});

describe('bad input before anything starts', () => {
  it('names a port already in use, exit 2, nothing left running', async () => {
    const server = net.createServer();
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
    const before = new Set(labPids());
    try {
      const result = await runCli(['run', 'cpu-burst', '--port', String(port - 1), '--time-scale', '0.1', '--out', out]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use.`);
      expect(labPids().filter((pid) => !before.has(pid))).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('refuses an output directory it cannot write, exit 2', async () => {
    const result = await runCli(['run', 'cpu-burst', '--out', '/proc/starve-lab-cannot-write-here']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Cannot write runs under /proc/starve-lab-cannot-write-here');
    expect(result.stderr).toContain('Pass --out with a directory you can write to.');
  });

  it.each([
    ['--junit', ['--junit', '/proc/starve-lab-junit.xml'], {}, 'Cannot write --junit /proc/starve-lab-junit.xml'],
    ['GITHUB_STEP_SUMMARY', [], { GITHUB_STEP_SUMMARY: '/proc/starve-lab-summary.md' }, "Cannot append the run's summary to GITHUB_STEP_SUMMARY (/proc/starve-lab-summary.md)"],
  ] as const)('refuses a %s it cannot write before the run, exit 2, nothing started', async (_, flags, env, message) => {
    const dest = join(out, 'unwritable-output');
    const before = new Set(labPids());
    const result = await runCli(['run', 'cpu-burst', '--time-scale', '0.1', '--out', dest, ...flags], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(() => readdirSync(dest)).toThrow();
    expect(labPids().filter((pid) => !before.has(pid))).toEqual([]);
  });
});

describe('a corrupted trace given to report', () => {
  it('names the file and line and still reports the readable part', async () => {
    const run = await runCli(['run', 'idle', '--time-scale', '0.05', '--strategies', 'tick-count,wall-clock', '--out', out, '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const runDir = latestRunDir(out, 'idle');
    const trace = join(runDir, 'wall-clock', 'trace.jsonl');
    const lines = readFileSync(trace, 'utf8').split('\n');
    lines[3] = '{"type":"tick","t":"garbage"}';
    writeFileSync(trace, lines.join('\n'));
    appendFileSync(trace, '{"type":"tick","t":12');
    const result = await runCli(['report', runDir]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`${trace}:4: event "tick": field "t": expected number, found "garbage"`);
    expect(result.stderr).toMatch(/trace\.jsonl:\d+: truncated JSON/);
    expect(result.stdout).toContain('wall-clock');
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
    expect(report.traceProblems).toHaveLength(2);
    expect(report.strategies.find((s) => s.name === 'wall-clock')?.heartbeatsSeen).toBeGreaterThan(2);
  }, 30_000);
});
