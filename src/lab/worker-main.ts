// A worker process: uvicorn's server loop (tick 0 on listening, then sleep 100 ms and tick again),
// its heartbeat rule, and the routes a scenario's load calls. Started by the master only.

import http from 'node:http';
import { findNotifier } from '../notifiers/registry.js';
import { TICK_COUNTER_WRAP } from '../notifiers/types.js';
import { msSince } from '../trace/time-base.js';
import { openTraceWriter } from '../trace/trace-writer.js';
import { burnCpu } from './burn-cpu.js';
import { HEARTBEAT_FD, LISTEN_FD, readChildConfig, WORKER_CONFIG_ENV, type WorkerConfig, type WorkerMessage } from './child-config.js';
import { createHeartbeatNotifier } from './heartbeat-file.js';
import { createLoopScheduler } from './loop-discipline.js';

const config = readChildConfig<WorkerConfig>(WORKER_CONFIG_ENV);
const originNs = BigInt(config.originNs);
const now = (): number => msSince(originNs);
const pid = process.pid;
const trace = openTraceWriter(config.tracePath);
const rule = findNotifier(config.notifier);
if (rule === undefined) throw new Error(`unknown notifier ${config.notifier}`);
const decision = rule.create({ tickMs: config.tickMs, timeoutMs: config.timeoutMs });
const notify = createHeartbeatNotifier(config.carrier, HEARTBEAT_FD);
const scheduler = createLoopScheduler(config.loop);

trace.write({ type: 'worker-start', t: now(), pid, notifier: config.notifier, loop: config.loop });

// CPU-bound handlers that ran since the previous tick.
let handlersSinceTick = 0;

function onTick(counter: number): void {
  trace.write({ type: 'tick', t: now(), pid, counter, handlers: handlersSinceTick });
  handlersSinceTick = 0;
  if (decision.shouldNotify(counter, Date.now)) {
    notify();
    trace.write({ type: 'notify', t: now(), pid, counter });
  }
}

function startTicking(): void {
  let counter = 0;
  const tick = (): void => {
    onTick(counter);
    counter = (counter + 1) % TICK_COUNTER_WRAP;
    scheduler.sleep(config.tickMs, tick);
  };
  tick();
}

function respond(res: http.ServerResponse, id: number, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
  res.end(body);
  trace.write({ type: 'request-end', t: now(), pid, id, status });
}

function handleRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const id = Number(req.headers['x-starve-request'] ?? -1);
  const ms = Number(url.searchParams.get('ms') ?? 0);
  const route = url.pathname.slice(1);
  if (!Number.isFinite(ms) || ms < 0) return respond(res, id, 400, 'ms must be a number >= 0\n');
  switch (route) {
    case 'cpu':
      scheduler.onRequest(() => {
        trace.write({ type: 'request-start', t: now(), pid, id, route, ms });
        const spun = burnCpu(ms, config.maxBlockMs);
        handlersSinceTick++;
        respond(res, id, 200, `burned ${spun.toFixed(1)} ms\n`);
      });
      return;
    case 'wait':
      scheduler.onRequest(() => {
        trace.write({ type: 'request-start', t: now(), pid, id, route, ms });
        scheduler.sleep(Math.min(ms, config.maxBlockMs), () => respond(res, id, 200, `waited ${ms} ms\n`));
      });
      return;
    case '':
      return respond(res, id, 200, 'ok\n');
    default:
      return respond(res, id, 404, `no route /${route}\n`);
  }
}

const server = http.createServer(handleRequest);
server.keepAliveTimeout = config.keepAliveMs;
server.listen({ fd: LISTEN_FD }, () => {
  trace.write({ type: 'listening', t: now(), pid });
  const message: WorkerMessage = { type: 'listening' };
  process.send?.(message);
  startTicking();
});

// The master is gone (even by SIGKILL): leave too rather than serve on alone.
process.on('disconnect', () => process.exit(0));
