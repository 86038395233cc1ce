// Both killers at once, nested, through the real CLI at compressed time: the kubelet probes a container
// that is a gunicorn master with its worker on the container's socket. Probed on the loop behind
// CPU-bound handlers, the container is killed by the kubelet while gunicorn's heartbeat stays inside
// its timeout;
// with the old tick-counting heartbeat and a probe the kernel answers, gunicorn's master strikes first.
// The report names the first killer, the kubelet's kill takes the master and its workers, and nothing
// is left running. (The built-in runs one worker: with two, whether three probes in a row fail depends
// on how the clients split between them, a draw on the real stack too; see docs/kubelet.md.)

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/build-report.js';
import { decodeTrace } from '../../src/trace/decode-trace.js';
import { runCli } from '../helpers/run-cli.js';
import { labProcesses, latestRunDir } from '../helpers/lab-processes.js';

const out = mkdtempSync(join(tmpdir(), 'starve-lab-pod-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('a pod whose container is a gunicorn master', () => {
  it('is killed by the kubelet first when its probe waits behind the handlers, the master and its workers with it; a tcpSocket probe spares it', async () => {
    // A contended host (exit 3: the lab declines to judge a strategy whose loop was starved of CPU by
    // something else) is the lab right, not the pod's verdict: the pod is run again.
    let result = await runCli(['run', 'pod-gunicorn', '--time-scale', '0.1', '--out', out, '--ci']);
    for (let attempt = 1; attempt < 3 && result.code === 3; attempt++) result = await runCli(['run', 'pod-gunicorn', '--time-scale', '0.1', '--out', out, '--ci']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/FIRST KILLER: the kubelet/);
    const runDir = latestRunDir(out, 'pod-gunicorn');
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
    const onLoop = report.strategies.find((s) => s.name === 'health-on-loop')!;
    const tcp = report.strategies.find((s) => s.name === 'tcp-socket')!;
    expect(onLoop.outcome).toBe('killed');
    expect(onLoop.findings[0]).toMatchObject({ kind: 'first-killer', killer: 'kubelet', master: 'gunicorn-20' });
    expect(['survived', 'at-risk']).toContain(tcp.outcome);
    const { events } = decodeTrace(readFileSync(join(runDir, 'health-on-loop', 'trace.jsonl'), 'utf8'));
    // The kubelet killed the container (the master's pid), and the master's workers went with it.
    const killed = events.flatMap((e) => (e.type === 'liveness-failed' ? [e.pid] : []));
    const containers = events.flatMap((e) => (e.type === 'container-start' ? [e] : []));
    expect(containers.length).toBeGreaterThan(1);
    expect(killed[0]).toBe(containers[0]?.pid);
    const firstKill = events.find((e) => e.type === 'liveness-failed')!.t;
    const restart = containers[1]!.t;
    const workers = events.flatMap((e) => (e.type === 'worker-spawn' && e.t < firstKill ? [e.pid] : []));
    const scenario = JSON.parse(readFileSync(new URL('../../scenarios/pod-gunicorn.json', import.meta.url), 'utf8')) as { workers: number };
    expect(workers).toHaveLength(scenario.workers);
    const exited = new Set(events.flatMap((e) => (e.type === 'worker-exit' && e.t <= restart ? [e.pid] : [])));
    expect(workers.every((pid) => exited.has(pid)), `workers ${workers.join(', ')} exited by the restart: ${[...exited].join(', ')}`).toBe(true);
    // The restarted container's master forked fresh workers on the same socket.
    expect(events.some((e) => e.type === 'worker-spawn' && e.t > restart)).toBe(true);
    expect(labProcesses()).toEqual([]);
  }, 300_000);

  it("is killed by gunicorn's master first under the tick-counting heartbeat while the kernel answers the probe", async () => {
    const file = join(out, 'pod-master-first.json');
    const base = JSON.parse(readFileSync(new URL('../../scenarios/pod-gunicorn.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...base, name: 'pod-master-first', durationMs: 45000, strategies: ['tcp-socket'], container: { master: 'gunicorn-20', timeoutMs: 30000, notifier: 'tick-count' }, expect: { 'tcp-socket': 'killed' } }));
    const result = await runCli(['run', file, '--time-scale', '0.1', '--out', out, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    const [tcp] = report.strategies;
    expect(tcp?.outcome).toBe('killed');
    expect(tcp?.findings[0]).toMatchObject({ kind: 'first-killer', killer: 'master', failuresInARow: 0 });
    expect(labProcesses()).toEqual([]);
  }, 120_000);

  it("is killed by uvicorn's process manager first when a child's code holds the GIL past the healthcheck", async () => {
    const file = join(out, 'pod-uvicorn.json');
    const base = JSON.parse(readFileSync(new URL('../../scenarios/pod-gunicorn.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    // One 8 s call that keeps the GIL: the child's answering thread cannot answer its 5 s ping.
    const load = { clients: 1, thinkMs: 30000, routes: [{ kind: 'cpu', weight: 1, ms: 8000 }] };
    writeFileSync(file, JSON.stringify({ ...base, name: 'pod-uvicorn', durationMs: 20000, strategies: ['tcp-socket'], container: { master: 'uvicorn', timeoutMs: 5000, code: 'holds-gil' }, load, expect: { 'tcp-socket': 'killed' } }));
    const result = await runCli(['run', file, '--time-scale', '0.1', '--out', out, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    const [tcp] = report.strategies;
    expect(tcp?.outcome).toBe('killed');
    expect(tcp?.findings[0]).toMatchObject({ kind: 'first-killer', killer: 'uvicorn', master: 'uvicorn' });
    expect(labProcesses()).toEqual([]);
  }, 120_000);

  it('is refused on the real stack and by check, each with what to do instead', async () => {
    const real = await runCli(['run', 'pod-gunicorn', '--stack', 'real', '--out', out]);
    expect(real.code).toBe(2);
    expect(real.stderr).toMatch(/runs on the model only for now/);
    const check = await runCli(['check', 'pod-gunicorn', '--out', out]);
    expect(check.code).toBe(2);
    expect(check.stderr).toMatch(/check judges one killer at a time/);
  });
});
