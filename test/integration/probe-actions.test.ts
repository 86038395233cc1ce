// The kubelet's probe actions against real servers on 127.0.0.1, including one whose event loop is
// blocked: httpGet times out on it, tcpSocket still passes (the kernel completes the handshake).

import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHeartbeatFile, createHeartbeatFile, readCarrierClockMs, readHeartbeatMs, stampHeartbeatFile } from '../../src/lab/heartbeat-file.js';
import { execHeartbeatProbe, httpGetProbe, KUBE_PROBE_USER_AGENT, tcpSocketProbe, wholeSecondAge, wholeSecondLimit } from '../../src/lab/supervisors/kubelet/probe-actions.js';

let server: http.Server;
let port: number;
const seen: Array<{ userAgent: string | undefined; connection: string | undefined }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ userAgent: req.headers['user-agent'], connection: req.headers.connection });
    if (req.url === '/elsewhere') return void res.writeHead(302, { location: `http://localhost:${port}/500` }).end();
    if (req.url === '/loop') return void res.writeHead(301, { location: '/loop' }).end();
    if (req.url === '/to-500') return void res.writeHead(307, { location: '/500' }).end();
    if (req.url === '/endless') {
      // 64 KiB of body, then the response never ends: the kubelet judges after 10 KiB.
      res.writeHead(200);
      return void res.write(Buffer.alloc(64 * 1024, 'x'));
    }
    const status = Number(req.url?.slice(1) ?? 200);
    res.writeHead(status, status === 302 ? { location: '/200' } : {});
    res.end('x');
  });
  port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
});
afterAll(() => server.close());

describe('httpGet', () => {
  it('passes on 200 and 399, fails on 400 and 500, and sends what the kubelet sends', async () => {
    expect((await httpGetProbe(port, '/200', 1000)).result).toBe('success');
    expect((await httpGetProbe(port, '/302', 1000)).result).toBe('success');
    expect((await httpGetProbe(port, '/399', 1000)).result).toBe('success');
    expect(await httpGetProbe(port, '/400', 1000)).toMatchObject({ result: 'failure', detail: 'HTTP 400' });
    expect(await httpGetProbe(port, '/500', 1000)).toMatchObject({ result: 'failure', detail: 'HTTP 500' });
    expect(seen[0]).toEqual({ userAgent: KUBE_PROBE_USER_AGENT, connection: 'close' });
    expect(KUBE_PROBE_USER_AGENT).toMatch(/^kube-probe\/1\.\d+$/);
  });

  it('follows redirects on the same host only, up to 10, and judges after 10 KiB of body', async () => {
    // Same host: followed, and the target's status decides.
    expect(await httpGetProbe(port, '/to-500', 1000)).toMatchObject({ result: 'failure', detail: 'HTTP 500' });
    // Another host name (localhost is not 127.0.0.1): not followed, the redirect itself passes.
    expect(await httpGetProbe(port, '/elsewhere', 1000)).toMatchObject({ result: 'success', detail: 'HTTP 302 (redirect to another host not followed)' });
    expect(await httpGetProbe(port, '/loop', 1000)).toMatchObject({ result: 'failure', detail: 'stopped after 10 redirects' });
    expect(await httpGetProbe(port, '/endless', 1000)).toMatchObject({ result: 'success', detail: 'HTTP 200' });
  });

  it('fails with "connection refused" where nothing listens', async () => {
    const closed = http.createServer();
    const free = await new Promise<number>((resolve) => closed.listen(0, '127.0.0.1', () => resolve((closed.address() as AddressInfo).port)));
    await new Promise((resolve) => closed.close(resolve));
    expect(await httpGetProbe(free, '/', 1000)).toMatchObject({ result: 'failure', detail: 'connection refused' });
    expect(await tcpSocketProbe(free, 1000)).toMatchObject({ result: 'failure', detail: 'connection refused' });
  });
});

describe('a worker whose loop is blocked', () => {
  let child: ChildProcess;
  let blockedPort: number;
  beforeAll(async () => {
    // Listens, says its port, then blocks its loop for 4 s: the kernel still accepts connections.
    const script = `const s=require('http').createServer((q,r)=>r.end('ok'));s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);setTimeout(()=>{const e=Date.now()+4000;while(Date.now()<e){}},50)})`;
    child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    blockedPort = await new Promise<number>((resolve) => child.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
    await new Promise((resolve) => setTimeout(resolve, 300));
  });
  afterAll(() => child.kill('SIGKILL'));

  it('fails httpGet by its timeout, and passes tcpSocket', async () => {
    const [get, tcp] = await Promise.all([httpGetProbe(blockedPort, '/healthz', 500), tcpSocketProbe(blockedPort, 500)]);
    expect(get).toMatchObject({ result: 'failure', detail: 'timed out' });
    expect(tcp).toMatchObject({ result: 'success', detail: 'connection opened' });
  });
});

describe('exec on a heartbeat file', () => {
  it('checks the age in whole seconds in a process of its own: passes while younger than the limit, fails after, and fails once the file cannot be read', async () => {
    // As the kubelet reads a container's heartbeat: through the fd the worker stamps (lab/supervisors/kubelet/kubelet-main.ts).
    const fd = createHeartbeatFile();
    stampHeartbeatFile('ctime-wall', fd, 'precise');
    const read = (): { nowMs: number; stampMs: number } => ({ nowMs: readCarrierClockMs('ctime-wall'), stampMs: readHeartbeatMs('ctime-wall', fd, 'precise') });
    expect(await execHeartbeatProbe(read, 10_000, 1000)).toMatchObject({ result: 'success', detail: 'heartbeat file fresh' });
    // Seconds of 20 ms: after 60 ms the file is 3 whole seconds old, past a 2-second limit (40 ms).
    await new Promise((resolve) => setTimeout(resolve, 60));
    const stale = await execHeartbeatProbe(read, 40, 1000, 20);
    expect(stale).toMatchObject({ result: 'failure', detail: 'heartbeat file too old' });
    expect(stale.heartbeatAgeMs).toBeGreaterThanOrEqual(40);
    closeHeartbeatFile(fd);
    expect(await execHeartbeatProbe(read, 10_000, 1000)).toMatchObject({ result: 'failure', detail: 'no heartbeat file (EBADF)', heartbeatAgeMs: null });
  });

  it('enforces its timeout: a process that has not exited by then fails the probe', async () => {
    // The loop is held past the timeout before it can see the process exit: Node's timers phase comes
    // before the poll that reads the exit, so the timeout decides, however fast the process was.
    const probe = execHeartbeatProbe(() => ({ nowMs: 5000, stampMs: 5000 }), 10_000, 1);
    const until = performance.now() + 50;
    while (performance.now() < until);
    expect(await probe).toMatchObject({ result: 'failure', detail: 'timed out' });
  });

  it('truncates each time to its second before subtracting, as date +%s and stat -c %Y do', () => {
    // 0.1 s apart across a second boundary counts as a whole second; 0.9 s within one counts as none.
    expect(wholeSecondAge(10_050, 9950)).toBe(1);
    expect(wholeSecondAge(10_950, 10_050)).toBe(0);
    expect(wholeSecondAge(1050, 950, 100)).toBe(1);
    expect(wholeSecondLimit(10_000)).toBe(10);
    expect(wholeSecondLimit(400, 100)).toBe(4);
  });
});
