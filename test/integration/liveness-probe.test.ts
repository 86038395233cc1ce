// The kubelet supervisor through the real CLI at compressed time: a busy worker whose probe is answered
// on its loop is killed, restarted at once, killed again and restarted at once again (the back-off is
// judged by the container that exited before the one killed);
// answered off the loop it survives; the report tells each kill in the probe's terms; nothing is left
// running. A SIGKILLed CLI takes the kubelet and its containers with it.

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/build-report.js';
import { decodeTrace } from '../../src/trace/decode-trace.js';
import { CLI, runCli, waitUntil } from '../helpers/run-cli.js';
import { labPids } from '../helpers/lab-processes.js';

const out = mkdtempSync(join(tmpdir(), 'starve-lab-kubelet-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the kubelet\'s liveness probe', () => {
  it('kills the busy worker probed on its loop, restarts it with the back-off, spares the one probed off the loop, and leaves nothing running', async () => {
    const result = await runCli(['run', 'liveness-probe', '--time-scale', '0.1', '--out', out, '--ci']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const runDir = join(out, 'liveness-probe', readdirSync(join(out, 'liveness-probe'))[0] ?? '');
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
    const onLoop = report.strategies.find((s) => s.name === 'health-on-loop')!;
    const offLoop = report.strategies.find((s) => s.name === 'health-off-loop')!;
    expect(onLoop.outcome).toBe('killed');
    expect(['survived', 'at-risk']).toContain(offLoop.outcome);
    const story = onLoop.findings.find((f) => f.kind === 'liveness-kill');
    expect(story).toMatchObject({ probe: 'httpGet', answeredBy: 'loop', failureThreshold: 3, loopTickedMeanwhile: true });
    expect(story?.kind === 'liveness-kill' && story.failed.map((f) => f.detail)).toEqual(['timed out', 'timed out', 'timed out']);
    // The first two restarts are immediate: a killed container restarts in the kill's own sync, judged
    // by the one that exited before it (none; then one that finished 30 s ago, longer than 10 s).
    const { events } = decodeTrace(readFileSync(join(runDir, 'health-on-loop', 'trace.jsonl'), 'utf8'));
    const backoffs = events.filter((e) => e.type === 'restart-backoff').map((e) => (e.type === 'restart-backoff' ? e.backoffMs / 0.1 : -1));
    expect(backoffs.length).toBeGreaterThan(0);
    expect(backoffs.slice(0, 2).every((b) => b < 1), String(backoffs)).toBe(true);
    // Every kill is SIGTERM, after failureThreshold failures of one container in a row.
    const signals = events.filter((e) => e.type === 'signal').map((e) => (e.type === 'signal' ? e.signal : ''));
    expect(signals.filter((s) => s === 'SIGTERM').length).toBe(onLoop.kills);
    // uvicorn takes SIGTERM on its loop: each busy container shuts down by itself at its next tick (exit 0), no SIGKILL.
    const killed = new Set(events.flatMap((e) => (e.type === 'liveness-failed' ? [e.pid] : [])));
    const exits = events.flatMap((e) => (e.type === 'worker-exit' && killed.has(e.pid) ? [{ code: e.code, signal: e.signal }] : []));
    expect(exits).toEqual([...killed].map(() => ({ code: 0, signal: null })));
    expect(onLoop.findings.filter((f) => f.kind === 'liveness-kill' && f.neededSigkill)).toEqual([]);
    expect(result.stdout + result.stderr).toContain('liveness probe failed 3 times in a row');
    expect(result.stdout).toMatch(/health-on-loop: (Kill 1 of \d+: the|The) kubelet's httpGet liveness probe/);
    // Every kill is told in the probe's terms, each with its own restart.
    expect(onLoop.findings.filter((f) => f.kind === 'liveness-kill').length).toBe(Math.min(onLoop.kills, 5));
    expect(labPids()).toEqual([]);
  }, 90_000);

  it('needs SIGKILL after the grace period for a hung container: its loop never comes back to see SIGTERM', async () => {
    const result = await runCli(['run', 'liveness-hang', '--strategies', 'health-on-loop', '--time-scale', '0.1', '--out', out, '--quiet']);
    expect(result.code, result.stderr).toBe(0);
    const runDir = join(out, 'liveness-hang', readdirSync(join(out, 'liveness-hang'))[0] ?? '');
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
    const onLoop = report.strategies.find((s) => s.name === 'health-on-loop')!;
    expect(onLoop.outcome).toBe('killed');
    const story = onLoop.findings.find((f) => f.kind === 'liveness-kill');
    expect(story).toMatchObject({ loopTickedMeanwhile: false, neededSigkill: true, exitSignal: 'SIGKILL' });
  }, 60_000);

  it('leaves no kubelet or container behind when the CLI is SIGKILLed mid-run', async () => {
    const child = spawn(process.execPath, [CLI, 'run', 'liveness-hang', '--time-scale', '0.1', '--out', out, '--quiet'], { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    expect(await waitUntil(() => labPids().length >= 4, 20_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill('SIGKILL');
    expect(await waitUntil(() => labPids().length === 0, 15_000)).toBe(true);
  }, 60_000);
});
