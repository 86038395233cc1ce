// wrk as the closed-loop client: the real wrk binary runs the lab's Lua script against the lab's
// supervisor, and every request it sends is accounted for as autocannon's are. Skipped loudly where
// wrk is missing, unless STARVE_LAB_REQUIRE_REAL_STACK=1 (CI installs it).

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { locateWrk } from '../../src/lab/load/find-wrk.js';
import { startWrk } from '../../src/lab/load/wrk-client.js';
import type { Report } from '../../src/report/report-schema.js';
import { runCli } from '../helpers/run-cli.js';

const wrk = locateWrk();
if (wrk === null) {
  if (process.env['STARVE_LAB_REQUIRE_REAL_STACK'] === '1') throw new Error('wrk is required here but not on the PATH (apt-get install wrk)');
  process.stderr.write('\n*** SKIPPING the wrk client tests: wrk is not on the PATH (apt-get install wrk)\n\n');
}

const out = mkdtempSync(join(tmpdir(), 'starve-lab-wrk-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function runDirs(): string[] {
  const base = join(out, 'cpu-burst');
  return existsSync(base) ? readdirSync(base) : [];
}

describe.skipIf(wrk === null)('--client wrk', () => {
  it('drives cpu-burst with wrk: the old rule is killed, the fixed one survives, and every request wrk sent is settled once', async () => {
    const result = await runCli(['run', 'cpu-burst', '--client', 'wrk', '--time-scale', '0.1', '--out', out, '--json', '--ci']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.params.load.client).toBe('wrk');
    const byName = new Map(report.strategies.map((s) => [s.name, s]));
    expect(byName.get('tick-count')?.outcome).toBe('killed');
    expect(byName.get('wall-clock')?.outcome).toBe('survived');
    for (const strategy of report.strategies) {
      const r = strategy.requests;
      expect(r.completed, strategy.name).toBeGreaterThan(5);
      expect(r.vanished, strategy.name).toBe(0);
      expect(r.completed + r.failedStatus + r.reset + r.refused + r.timedOut + r.cutAtEnd, strategy.name).toBe(r.sent);
    }
    const dir = join(out, 'cpu-burst', runDirs()[0] ?? '');
    const trace = readFileSync(join(dir, 'tick-count', 'trace.jsonl'), 'utf8');
    const sent = trace.split('\n').filter((line) => line.includes('"request-sent"')).map((line) => (JSON.parse(line) as { id: number }).id);
    expect(new Set(sent).size).toBe(sent.length);
    expect(readFileSync(join(dir, 'tick-count', 'wrk-client.lua'), 'utf8')).toContain('function response');
  }, 180_000);

  it('pauses the think time after every response, even when the server closes the idle connection during the pause', async () => {
    // A server that answers after 40 ms and closes a connection idle for 280 ms, against a think time
    // of 300 ms: each pause sees a reconnect, which makes wrk ask for its delay twice.
    const server = net.createServer((socket) => {
      let idle: NodeJS.Timeout | undefined;
      socket.on('data', () => {
        clearTimeout(idle);
        setTimeout(() => {
          if (socket.destroyed) return;
          socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
          idle = setTimeout(() => socket.destroy(), 280);
        }, 40);
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), 'starve-lab-wrk-think-'));
    const originNs = process.hrtime.bigint();
    const now = (): number => Number(process.hrtime.bigint() - originNs) / 1e6;
    let nextId = 1;
    const events: Array<{ kind: 'sent' | 'settled'; t: number; client: number; outcome?: string }> = [];
    const clientOf = new Map<number, number>();
    await new Promise<void>((resolve, reject) => {
      startWrk(
        { command: wrk as string, port, clients: 2, thinkMs: 300, durationMs: 3000, requestTimeoutMs: 10_000, idHeader: 'x-starve-request', dir, originNs, now,
          nextRequest: () => ({ id: nextId++, route: 'cpu', ms: 1, handler: null, request: null }) },
        {
          sent: (request, t, client) => {
            clientOf.set(request.id, client);
            events.push({ kind: 'sent', t, client });
          },
          settled: (id, t, outcome) => events.push({ kind: 'settled', t, client: clientOf.get(id) ?? -1, outcome }),
          done: (error) => (error === null ? resolve() : reject(error)),
        },
      );
    });
    server.close();
    rmSync(dir, { recursive: true, force: true });
    for (const client of [0, 1]) {
      const mine = events.filter((e) => e.client === client);
      expect(mine.filter((e) => e.kind === 'sent').length, `client ${client}`).toBeGreaterThan(3);
      for (let i = 1; i < mine.length; i++) {
        const [before, after] = [mine[i - 1], mine[i]] as [(typeof mine)[number], (typeof mine)[number]];
        // Never a second request while one is in flight: sends and settlements alternate.
        expect(after.kind, `client ${client}, event ${i}`).not.toBe(before.kind);
        // After a response, the next request waits the think time (a lost one is sent again at once).
        if (after.kind === 'sent' && before.outcome === 'completed') expect(after.t - before.t).toBeGreaterThanOrEqual(295);
      }
    }
  }, 60_000);

  it('counts a request whose connection the server dropped as reset, once, and sends the next at once', async () => {
    // Every second request on a connection is answered by closing it, as a killed worker's socket closes.
    const server = net.createServer((socket) => {
      let seen = 0;
      socket.on('data', () => {
        seen++;
        if (seen % 2 === 0) socket.destroy();
        else setTimeout(() => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'), 20);
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), 'starve-lab-wrk-lost-'));
    const originNs = process.hrtime.bigint();
    let nextId = 1;
    const outcomes = new Map<number, string[]>();
    let sent = 0;
    await new Promise<void>((resolve, reject) => {
      startWrk(
        { command: wrk as string, port, clients: 1, thinkMs: 0, durationMs: 1500, requestTimeoutMs: 10_000, idHeader: 'x-starve-request', dir, originNs, now: () => Number(process.hrtime.bigint() - originNs) / 1e6,
          nextRequest: () => ({ id: nextId++, route: 'cpu', ms: 1, handler: null, request: null }) },
        {
          sent: () => sent++,
          settled: (id, _t, outcome) => outcomes.set(id, [...(outcomes.get(id) ?? []), outcome]),
          done: (error) => (error === null ? resolve() : reject(error)),
        },
      );
    });
    server.close();
    rmSync(dir, { recursive: true, force: true });
    const all = [...outcomes.values()];
    expect(all.every((list) => list.length === 1)).toBe(true);
    expect(all.length).toBe(sent);
    const count = (outcome: string): number => all.filter(([o]) => o === outcome).length;
    expect(count('reset')).toBeGreaterThan(3);
    expect(count('completed')).toBeGreaterThan(3);
    // Alternating on each connection: as many dropped as answered, give or take the one cut at the end.
    expect(Math.abs(count('reset') - count('completed'))).toBeLessThanOrEqual(2);
  }, 60_000);

  it('refuses --client wrk before anything starts when wrk is not on the PATH', async () => {
    const before = runDirs().length;
    // A PATH with node and nothing else (node's own directory may hold wrk too, as /usr/bin does).
    const bin = mkdtempSync(join(tmpdir(), 'starve-lab-path-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const result = await runCli(['run', 'cpu-burst', '--client', 'wrk', '--time-scale', '0.1', '--out', out], { PATH: bin });
    rmSync(bin, { recursive: true, force: true });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/wrk is not on the PATH/);
    expect(result.stderr).toMatch(/apt-get install wrk/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(runDirs().length).toBe(before);
  }, 60_000);
});
