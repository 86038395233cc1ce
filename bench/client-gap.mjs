#!/usr/bin/env node
// Benchmark (not part of `npm test`): how soon each client sends its next request after a response,
// measured on the wire at the server. Near a boundary this decides whether a worker's next request is
// already waiting when its loop polls after a write (and runs in the same batch) or arrives later.
//   node bench/client-gap.mjs [--requests N] [--hold-ms MS]
// --hold-ms holds each response that long on a timer, so the client sleeps between responses as it
// does behind a 1-2 s handler (a client that is kept busy answers sooner than one woken from idle).
// The server is a bare Node TCP server in a process of its own, one connection at a time: it stamps
// the moment its response went to the kernel (socket.write returned) and the moment the next request's
// first bytes arrived. Clients, each with one keep-alive connection and no think time:
//   autocannon as starve-lab drives it, wrk with starve-lab's Lua script (--client wrk), plain wrk,
//   and nginx (Debian's, as a reverse proxy with upstream keep-alive) in front of the server with wrk
//   behind it — the proxy is what a production uvicorn usually sees.
// Prints the median, p90 and p99 gap per client, and each one's ratio to autocannon's median.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { requests: { type: 'string' }, server: { type: 'boolean' }, 'hold-ms': { type: 'string' } } });
/** How long the server holds each response (a timer, the loop free), so a client waits idle as it does behind a slow handler. */
const HOLD_MS = Number(values['hold-ms'] ?? 0);
const RESPONSE = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok';

if (values.server === true) {
  // Server mode: answer every request at once; report each gap (µs) to the parent when a connection closes.
  const server = net.createServer((socket) => {
    let wroteAt = null;
    let pending = '';
    const gaps = [];
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      const now = process.hrtime.bigint();
      if (pending === '' && wroteAt !== null) gaps.push(Number(now - wroteAt) / 1000);
      pending += chunk.toString('latin1');
      const respond = () => {
        socket.write(RESPONSE);
        wroteAt = process.hrtime.bigint();
      };
      while (pending.includes('\r\n\r\n')) {
        pending = pending.slice(pending.indexOf('\r\n\r\n') + 4);
        if (HOLD_MS > 0) setTimeout(respond, HOLD_MS);
        else respond();
      }
    });
    socket.on('close', () => process.send?.({ gaps }));
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
  process.on('disconnect', () => process.exit(0));
}

function startServer() {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--server', '--hold-ms', String(HOLD_MS)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const gaps = [];
  return new Promise((resolve) => {
    child.on('message', (message) => {
      if (typeof message.port === 'number') resolve({ port: message.port, gaps, stop: () => child.kill() });
      if (Array.isArray(message.gaps)) gaps.push(...message.gaps);
    });
  });
}

const percentile = (xs, p) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
};

async function measure(name, drive) {
  const server = await startServer();
  await drive(server.port);
  // The connection's gaps arrive when it closes.
  await new Promise((resolve) => setTimeout(resolve, 300));
  server.stop();
  const gaps = server.gaps;
  if (gaps.length < 10) return { name, error: `only ${gaps.length} gaps measured` };
  return { name, n: gaps.length, p50: percentile(gaps, 0.5), p90: percentile(gaps, 0.9), p99: percentile(gaps, 0.99) };
}

function hasCommand(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

async function main() {
  const requests = Number(values.requests ?? (HOLD_MS > 0 ? Math.round(6000 / HOLD_MS) : 3000));
  const work = mkdtempSync(join(tmpdir(), 'starve-lab-client-gap-'));
  const results = [];
  try {
    const { default: autocannon } = await import('autocannon');
    results.push(
      await measure('autocannon (starve-lab default)', (port) =>
        new Promise((resolve, reject) => autocannon({ url: `http://127.0.0.1:${port}`, connections: 1, pipelining: 1, amount: requests }, (error) => (error ? reject(error) : resolve()))),
      ),
    );
    if (hasCommand('wrk')) {
      const { renderClientPlan, wrkScript } = await import('../dist/lab/load/wrk-script.js');
      const plan = Array.from({ length: 64 }, (_, i) => ({ id: i + 1, route: 'cpu', ms: 0, handler: null, request: null }));
      writeFileSync(join(work, 'wrk-plan-0.lua'), renderClientPlan(plan));
      writeFileSync(join(work, 'wrk-client.lua'), wrkScript(0));
      const runWrk = (port, script, target = `http://127.0.0.1:${port}/`) =>
        new Promise((resolve) => {
          const args = ['-t1', '-c1', `-d${HOLD_MS > 0 ? 6 : 2}s`, target];
          if (script) args.push('-s', join(work, 'wrk-client.lua'), '--', join(work, 'wrk-plan-'), '1', '0', '0', '2', 'x-starve-request');
          // The script's event lines go to descriptor 2 here (stderr, discarded): only the wire is measured.
          spawn('wrk', args, { stdio: 'ignore' }).on('exit', resolve);
        });
      results.push(await measure('wrk + starve-lab script (--client wrk)', (port) => runWrk(port, true)));
      results.push(await measure('wrk, no script', (port) => runWrk(port, false)));
      if (hasCommand('nginx') || hasCommand('/usr/sbin/nginx')) {
        const nginx = hasCommand('nginx') ? 'nginx' : '/usr/sbin/nginx';
        results.push(
          await measure('nginx proxy (upstream keep-alive), wrk behind it', async (port) => {
            const proxyPort = await freePort();
            writeFileSync(
              join(work, 'nginx.conf'),
              `worker_processes 1;
pid ${join(work, 'nginx.pid')};
error_log ${join(work, 'error.log')};
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${work}; proxy_temp_path ${work}; fastcgi_temp_path ${work}; uwsgi_temp_path ${work}; scgi_temp_path ${work};
  upstream app { server 127.0.0.1:${port}; keepalive 4; }
  server {
    listen 127.0.0.1:${proxyPort};
    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
`,
            );
            const proxy = spawn(nginx, ['-p', work, '-c', join(work, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
            await new Promise((resolve) => setTimeout(resolve, 500));
            await runWrk(port, false, `http://127.0.0.1:${proxyPort}/`);
            proxy.kill('SIGQUIT');
            await new Promise((resolve) => proxy.on('exit', resolve));
          }),
        );
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const base = results[0]?.p50;
  const us = (x) => `${x.toFixed(0).padStart(6)} µs`;
  console.log(`Next request after a response, at the server (1 keep-alive connection, no think time, responses held ${HOLD_MS} ms; ${new Date().toISOString()}, node ${process.version}):`);
  for (const r of results) {
    if (r.error) console.log(`  ${r.name.padEnd(52)} ${r.error}`);
    else console.log(`  ${r.name.padEnd(52)} median ${us(r.p50)}  p90 ${us(r.p90)}  p99 ${us(r.p99)}  (n=${r.n})  ×${(r.p50 / base).toFixed(2)} of autocannon`);
  }
}

function freePort() {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

if (values.server !== true) await main();
