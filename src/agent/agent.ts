// The preload agent (`node --import starve-lab/agent ./server.mjs`): makes the user's unmodified Node
// HTTP server (node:http, Express, Fastify: anything on http.Server) a lab worker. Loaded before the
// app's own module, it waits for the supervisor's go (its "fork"), then lets the app start; the app's
// first listen() is bound where the lab says (the shared socket) whatever port it asks for; requests
// are traced from Node's diagnostics_channel; a tick loop records the loop's lag and, under a gunicorn
// master, runs the chosen heartbeat rule; under the kubelet it answers the chosen health strategy.
//
// Preflight (STARVE_LAB_AGENT_PREFLIGHT=1): the app is started once on a free port before anything
// else, to refuse an app that throws at start-up or never listens with one clear line.

import diagnostics from 'node:diagnostics_channel';
import http from 'node:http';
import net from 'node:net';
import { isMainThread, Worker } from 'node:worker_threads';
import { findNotifier } from '../notifiers/registry.js';
import { HEARTBEAT_FD, LISTEN_FD, readChildConfig, STACK_CHANNEL_FD, WORKER_CONFIG_ENV, WORKER_FIELDS, type WorkerConfig } from '../lab/ipc/child-config.js';
import type { StackCaptureData } from '../lab/workers/threads/stack-capture-thread.js';
import { onDecodedMessage } from '../lab/ipc/child-decode.js';
import { decodeGoMessage, type WorkerMessage } from '../lab/ipc/to-children.js';
import { createLastTick, startHealthListener } from '../lab/workers/health-listener.js';
import { createHeartbeatNotifier } from '../lab/heartbeat-file.js';
import { startLoopMonitor } from '../lab/workers/loop-monitor.js';
import { msSince } from '../lab/time-base.js';
import { openTraceWriter } from '../lab/trace-writer.js';
import { onLoopback } from './loopback-listen.js';

export const PREFLIGHT_ENV = 'STARVE_LAB_AGENT_PREFLIGHT';
const ID_HEADER = 'x-starve-request';

const originalListen = net.Server.prototype.listen;

/** The app's HTTP server: the first http.Server that listens. */
let appServer: http.Server | null = null;

function tell(message: WorkerMessage | { type: 'preflight' | 'preflight-other'; port: number; asked: string }): void {
  process.send?.(message);
}

function describeAsked(args: unknown[]): string {
  const [first, second] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) return `port ${String(first)}${typeof second === 'string' ? ` on ${second}` : ''}`;
  if (typeof first === 'object' && first !== null) return JSON.stringify(first);
  if (typeof first === 'string') return `path ${first}`;
  return 'any port';
}

/** Redirects the app server's first listen() to `target`, keeping its callback; `onOther` hears of any other server's listen. */
function takeOverListen(target: (asked: string) => object, onListening: (server: http.Server, asked: string) => void, onOther: (asked: string) => void = () => {}): void {
  net.Server.prototype.listen = function listen(this: net.Server, ...args: unknown[]) {
    if (appServer !== null || !(this instanceof http.Server)) {
      if (appServer === null) onOther(describeAsked(args));
      return originalListen.apply(this, onLoopback(args) as Parameters<typeof originalListen>);
    }
    appServer = this;
    const asked = describeAsked(args);
    const callback = args.find((arg): arg is () => void => typeof arg === 'function');
    this.once('listening', () => onListening(this as http.Server, asked));
    return originalListen.call(this, target(asked), callback);
  } as typeof net.Server.prototype.listen;
}

if (!isMainThread) {
  // A thread of the app (or of ours) that inherited the --import: the agent belongs to the main thread.
} else if (process.env[PREFLIGHT_ENV] === '1') {
  // Listen anywhere on loopback, say so, and leave: the lab only wanted to know that the app starts.
  takeOverListen(
    () => ({ port: 0, host: '127.0.0.1' }),
    (server, asked) => {
      const address = server.address();
      tell({ type: 'preflight', port: typeof address === 'object' && address !== null ? address.port : 0, asked });
      setTimeout(() => process.exit(0), 50);
    },
    // A server that is not an http.Server (node:net, a custom one): starve-lab cannot drive it.
    (asked) => tell({ type: 'preflight-other', port: 0, asked }),
  );
} else {
  await runAsWorker();
}

/** --stacks: the same capture thread as the model's worker, on the app's main thread (execArgv: [] keeps the agent out of it). */
function startStackCapture(config: WorkerConfig, pid: number): void {
  const data: StackCaptureData = { channelFd: STACK_CHANNEL_FD, tracePath: config.tracePath, originNs: config.originNs, pid };
  new Worker(new URL('../lab/workers/threads/stack-capture-thread.js', import.meta.url), { workerData: data, execArgv: [] }).unref();
}

async function runAsWorker(): Promise<void> {
  const config = readChildConfig<WorkerConfig>(WORKER_CONFIG_ENV, WORKER_FIELDS);
  const originNs = BigInt(config.originNs);
  const now = (): number => msSince(originNs);
  const pid = process.pid;
  const trace = openTraceWriter(config.tracePath);
  // Under a gunicorn master: the heartbeat rule injected into the app; under the kubelet: none.
  const rule = config.health === null ? findNotifier(config.notifier) : undefined;
  const decision = rule?.create({ tickMs: config.tickMs, timeoutMs: config.timeoutMs }) ?? null;
  const notify = createHeartbeatNotifier(config.carrier, HEARTBEAT_FD, config.stamps);
  const lastTick = createLastTick();
  let handlersSinceTick = 0;

  // Requests as Node's HTTP server sees them: the start is on disk before the handler runs (a kill must find it).
  const idOf = (request: http.IncomingMessage): number => Number(request.headers[ID_HEADER] ?? -1);
  diagnostics.subscribe('http.server.request.start', (message) => {
    const { request, server } = message as { request: http.IncomingMessage; server: http.Server };
    if (server !== appServer) return;
    handlersSinceTick++;
    trace.write({ type: 'request-start', t: now(), pid, id: idOf(request), route: new URL(request.url ?? '/', 'http://127.0.0.1').pathname, ms: 0 });
  });
  diagnostics.subscribe('http.server.response.finish', (message) => {
    const { request, response, server } = message as { request: http.IncomingMessage; response: http.ServerResponse; server: http.Server };
    if (server !== appServer) return;
    trace.defer({ type: 'request-end', t: now(), pid, id: idOf(request), status: response.statusCode });
  });

  const startTicking = (): void => {
    let counter = 0;
    const tick = (): void => {
      trace.write({ type: 'tick', t: now(), pid, counter, handlers: handlersSinceTick });
      handlersSinceTick = 0;
      lastTick.stamp();
      if (config.health?.answeredBy === 'file') notify();
      if (decision?.shouldNotify(counter, () => Date.now()) === true) {
        notify();
        trace.write({ type: 'notify', t: now(), pid, counter });
      }
      counter++;
      setTimeout(tick, config.tickMs);
    };
    tick();
  };

  const probeListener = startHealthListener(config.health, lastTick.shared, () => appServer);
  await probeListener;
  takeOverListen(
    () => ({ fd: LISTEN_FD }),
    (_server, asked) => {
      void probeListener.then((probePort) => {
        lastTick.stamp();
        trace.write({ type: 'listening', t: now(), pid });
        process.stderr.write(`starve-lab agent: your app asked for ${asked}; it serves the lab's socket instead (pid ${pid})\n`);
        tell({ type: 'listening', probePort });
        if (config.captureStacks) startStackCapture(config, pid);
        startLoopMonitor(config.loopWindowMs, (window) => trace.write({ type: 'loop-delay', t: now(), pid, ...window }));
        startTicking();
      });
    },
  );

  // Armed: wait for the supervisor's go before the app's own module runs (preloads finish first).
  await new Promise<void>((resolve) => {
    onDecodedMessage(process, decodeGoMessage, () => resolve(), 'the supervisor');
    tell({ type: 'armed' });
  });
  trace.write({ type: 'worker-start', t: now(), pid, notifier: config.notifier, loop: 'node' });
  // The supervisor is gone (even by SIGKILL): leave too rather than serve on alone.
  process.on('disconnect', () => process.exit(0));
  setInterval(() => {
    if (!process.connected) process.exit(0);
  }, 500).unref();
}
