// A worker process: uvicorn's server loop (tick 0 on listening, then sleep 100 ms and tick again),
// its heartbeat rule, and the routes a scenario's load calls. Started by the master only.

import http from 'node:http';
import type { Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { findNotifier } from '../../notifiers/registry.js';
import { TICK_COUNTER_WRAP } from '../../notifiers/types.js';
import { wallOffsetAt } from '../../scenario/clock-steps.js';
import { msSince } from '../time-base.js';
import { openTraceWriter } from '../trace-writer.js';
import type { TraceEvent } from '../../trace/events.js';
import { burnCpu } from './burn-cpu.js';
import { HEARTBEAT_FD, LISTEN_FD, PING_CHANNEL_FD, readChildConfig, STACK_CHANNEL_FD, WORKER_CONFIG_ENV, WORKER_FIELDS, type WorkerConfig } from '../ipc/child-config.js';
import { onDecodedMessage } from '../ipc/child-decode.js';
import { decodeGoMessage, type WorkerMessage } from '../ipc/to-children.js';
import { createHeartbeatNotifier } from '../heartbeat-file.js';
import type { HeartbeatThreadData } from './threads/heartbeat-thread.js';
import type { StackCaptureData } from './threads/stack-capture-thread.js';
import type { PongThreadData } from './threads/pong-thread.js';
import { createLastTick, startHealthListener } from './health-listener.js';
import { createLoopScheduler } from './loop-discipline.js';
import { startLoopMonitor } from './loop-monitor.js';
import { createOffloadPool } from './offload-pool.js';
import { createStandInGil, holdingGil, releaseAtBlockingCall } from './stand-in-gil.js';
import { createGracefulShutdown } from './graceful-shutdown.js';

type ScriptHandler = (context: { ms: number; id: number }) => unknown;

const config = readChildConfig<WorkerConfig>(WORKER_CONFIG_ENV, WORKER_FIELDS);
const originNs = BigInt(config.originNs);
const now = (): number => msSince(originNs);
const pid = process.pid;
// A benchmark knob (bench/run-bench.mjs): the worker's own events off, to measure what they cost.
const trace = process.env['STARVE_LAB_WORKER_TRACE'] === 'off' ? { write: () => {}, defer: () => {}, close: () => {} } : openTraceWriter(config.tracePath);
// Under gunicorn a heartbeat rule; under the kubelet a health strategy (config.health), and a rule too
// when the pod's container is a gunicorn master; under uvicorn's process manager its answering thread
// (config.pong): no rule.
const rule = config.pong === null ? findNotifier(config.notifier) : undefined;
if (config.health === null && config.pong === null && rule === undefined) throw new Error(`unknown notifier ${config.notifier}`);
const settings = { tickMs: config.tickMs, timeoutMs: config.timeoutMs };
const decision = rule?.create(settings) ?? null;
/** health-off-loop: the loop's last tick, shared with the health thread. */
const lastTick = createLastTick();
const notify = createHeartbeatNotifier(config.carrier, HEARTBEAT_FD, config.stamps);
/** The stand-in GIL: `gil` handlers hold it; the threads that stand for Python threads wait for it. */
const gil = createStandInGil();
/** The loop's thread makes a blocking call outside a hold (a poll, a trace line's os.write): the GIL goes to a thread that waits. */
const releaseGil = (): void => releaseAtBlockingCall(gil);
const scheduler = createLoopScheduler(config.loop, config.pollGranularityMs, releaseGil);
const offload = createOffloadPool(config.offloadThreads);
/** time.time() as this worker sees it: the real wall clock plus any scenario clock step. */
let clockOriginMs = 0;
const readWallMs = (): number => Date.now() + wallOffsetAt(config.clockSteps, now() - clockOriginMs);

async function loadScriptHandlers(): Promise<Record<string, ScriptHandler>> {
  if (config.scenarioModule === null) return {};
  const module = (await import(pathToFileURL(config.scenarioModule).href)) as { default?: { handlers?: Record<string, ScriptHandler> } };
  return module.default?.handlers ?? {};
}
const scriptHandlers = await loadScriptHandlers();

// CPU-bound handlers that ran since the previous tick.
let handlersSinceTick = 0;

function onTick(counter: number): void {
  trace.write({ type: 'tick', t: now(), pid, counter, handlers: handlersSinceTick });
  releaseGil();
  handlersSinceTick = 0;
  lastTick.stamp();
  // health-exec-file: the loop touches the file the exec probe checks, every tick.
  if (config.health?.answeredBy === 'file') notify();
  if (decision?.shouldNotify(counter, readWallMs) === true) {
    notify();
    trace.write({ type: 'notify', t: now(), pid, counter });
  }
}

function startTicking(): void {
  let counter = 0;
  const tick = (): void => {
    onTick(counter);
    // on_tick returns should_exit: the main loop ends and uvicorn shuts down.
    if (shutdown.shouldExit()) return shutdown.shutdown(() => process.exit(0));
    counter = (counter + 1) % TICK_COUNTER_WRAP;
    scheduler.sleep(config.tickMs, tick);
  };
  tick();
}

function startHeartbeatThread(): void {
  const data: HeartbeatThreadData = {
    carrier: config.carrier,
    stamps: config.stamps,
    fd: HEARTBEAT_FD,
    intervalMs: rule?.notifyIntervalMs(settings) ?? config.timeoutMs / 2,
    tracePath: config.tracePath,
    originNs: config.originNs,
    pid,
    gil: gil.buffer as SharedArrayBuffer,
    maxGilWaitMs: config.maxBlockMs,
  };
  new Worker(new URL('./threads/heartbeat-thread.js', import.meta.url), { workerData: data }).unref();
}

/**
 * gunicorn's ASGI worker: `while alive: notify(); await asyncio.sleep(1.0)` as a task on the loop, and
 * its SIGABRT handler added to the loop (loop.add_signal_handler): Node's signal handlers run on the
 * loop too, so a blocked loop keeps the worker alive until the master's SIGKILL, as gunicorn's does.
 */
function startHeartbeatTask(intervalMs: number): void {
  const beat = (): void => {
    notify();
    trace.write({ type: 'notify', t: now(), pid, counter: -1 });
    scheduler.sleep(intervalMs, beat);
  };
  // handle_abort_signal: alive = False, worker_abort(), sys.exit(1).
  process.on('SIGABRT', () => process.exit(1));
  beat();
}

/** uvicorn's always_pong thread, started with the process as uvicorn starts it before its server runs. */
function startPongThread(gilTakings: number): void {
  const data: PongThreadData = { fd: PING_CHANNEL_FD, gil: gil.buffer as SharedArrayBuffer, gilTakings, maxGilWaitMs: config.maxBlockMs };
  new Worker(new URL('./threads/pong-thread.js', import.meta.url), { workerData: data }).unref();
}

function startStackCaptureThread(): void {
  const data: StackCaptureData = { channelFd: STACK_CHANNEL_FD, tracePath: config.tracePath, originNs: config.originNs, pid };
  new Worker(new URL('./threads/stack-capture-thread.js', import.meta.url), { workerData: data }).unref();
}

/**
 * uvicorn's keep-alive (httptools_impl, 0.17): on_response_complete arms `call_later(keep-alive,
 * close)`; data_received cancels it. Whether a request already waiting on the socket is read before
 * the expired timer closes the connection is the loop's order (lab/workers/loop-discipline.ts).
 */
const keepAliveTimers = new Map<Socket, () => void>();

function cancelKeepAlive(socket: Socket): void {
  keepAliveTimers.get(socket)?.();
  keepAliveTimers.delete(socket);
}

function armKeepAlive(socket: Socket): void {
  cancelKeepAlive(socket);
  keepAliveTimers.set(socket, scheduler.callLater(config.keepAliveMs, () => {
    keepAliveTimers.delete(socket);
    // timeout_keep_alive_handler: transport.close().
    scheduler.closeTransport(socket);
  }));
}

/** A CPU-bound handler's burn: how long it spun by the clock, and how much CPU the process got meanwhile. */
interface Burn {
  spunMs: number;
  cpuMs: number;
}

function respond(res: http.ServerResponse, id: number, status: number, body: string, burn?: Burn): void {
  if (res.destroyed) return;
  // Deferred to the next write: a request's end is the one event a kill may lose (the load records its outcome).
  trace.defer({ type: 'request-end', t: now(), pid, id, status, ...burn });
  // The real routes app writes this line at once: an os.write, the GIL released around it.
  releaseGil();
  // The body goes to transport.write, *then* on_response_complete arms the keep-alive: on asyncio the
  // bytes have left by then (it sends at once; Node's write takes ~0.5 ms here, which the timer must not
  // swallow), on uvloop they leave at the end of the batch, after the timer was armed.
  const socket = res.socket as Socket;
  // Shutting down (keep_alive = False): the response says so and the connection closes after it.
  const last = shutdown.responseComplete(socket);
  // h11 serialises the response in Python before each transport.write.
  if (config.httpWriteMs > 0) burnCpu(config.httpWriteMs, config.maxBlockMs);
  scheduler.write(() => {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), ...(last ? { connection: 'close' } : {}) });
    res.end(body);
  }, socket);
  if (!last) armKeepAlive(socket);
}

/** Runs a script handler on the loop: whatever it does synchronously blocks the loop, as in the user's app. */
function runScriptHandler(res: http.ServerResponse, id: number, name: string, ms: number): void {
  const handler = scriptHandlers[name];
  if (handler === undefined) return respond(res, id, 404, `no handler "${name}" in the scenario script\n`);
  try {
    const result = handler({ ms, id });
    handlersSinceTick++;
    Promise.resolve(result).then(
      () => respond(res, id, 200, `${name} done\n`),
      (error: unknown) => respond(res, id, 500, `${name} failed: ${String(error)}\n`),
    );
  } catch (error) {
    handlersSinceTick++;
    respond(res, id, 500, `${name} failed: ${String(error)}\n`);
  }
}

function handleRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const id = Number(req.headers['x-starve-request'] ?? -1);
  const ms = Math.min(Number(url.searchParams.get('ms') ?? 0), config.maxBlockMs);
  const [route = '', name = ''] = url.pathname.slice(1).split('/');
  const received = (): void => {
    // data_received: h11 parses in Python on the loop (httptools' C parse is within the model's own cost).
    if (config.httpParseMs > 0) burnCpu(config.httpParseMs, config.maxBlockMs);
    cancelKeepAlive(req.socket);
    shutdown.requestRead(req.socket);
  };
  const onRequest = (handle: () => void): void => scheduler.onRequest(received, handle, req.socket);
  // health-on-loop's route: answered as soon as the loop reads it, which is after whatever holds it.
  if (config.health !== null && url.pathname === config.health.path) {
    received();
    return respond(res, id, 200, 'ok\n');
  }
  // Answered without a handler of its own: read, then answered on the spot.
  const answerNow = (status: number, body: string): void => {
    received();
    respond(res, id, status, body);
  };
  if (!Number.isFinite(ms) || ms < 0) return answerNow(400, 'ms must be a number >= 0\n');
  // A handler that runs on the loop may block it right away: its start is on disk before it runs (a kill
  // must find it). One that only waits or offloads cannot: its start goes out with the next write.
  const start = (onLoop = false): void => {
    const event: TraceEvent = { type: 'request-start', t: now(), pid, id, route, ms };
    if (onLoop) trace.write(event);
    else trace.defer(event);
    releaseGil();
  };
  switch (route) {
    case 'cpu':
    case 'gil':
      return onRequest(() => {
        start(true);
        // The burn is timed by the clock: on a busy host it still ends on time, but gets less CPU.
        const cpuBefore = process.cpuUsage();
        const burn = (): number => burnCpu(ms, config.maxBlockMs);
        // `gil`: the same burn in one call that keeps the GIL; the threads standing for Python threads wait it out.
        // The holds-gil code kind under uvicorn's process manager: the cpu route's burn keeps the GIL too.
        const holds = route === 'gil' || config.cpuHoldsGil;
        const spun = holds ? holdingGil(gil, burn) : burn();
        const cpu = process.cpuUsage(cpuBefore);
        handlersSinceTick++;
        respond(res, id, 200, `${holds ? 'held the GIL' : 'burned'} ${spun.toFixed(1)} ms\n`, { spunMs: spun, cpuMs: (cpu.user + cpu.system) / 1000 });
      });
    case 'wait':
      return onRequest(() => {
        start();
        scheduler.sleep(ms, () => respond(res, id, 200, `waited ${ms} ms\n`));
      });
    case 'offload':
      return onRequest(() => {
        start();
        void offload.run(ms).then((spun) => scheduler.sleep(0, () => respond(res, id, 200, `offloaded ${spun.toFixed(1)} ms\n`)));
      });
    case 'script':
      return onRequest(() => {
        start(true);
        runScriptHandler(res, id, name, ms);
      });
    case '':
      return answerNow(200, 'ok\n');
    default:
      return answerNow(404, `no route /${route}\n`);
  }
}

const server = http.createServer(handleRequest);
// uvicorn's own keep-alive (above) replaces Node's; uvicorn has no request timeout either.
server.keepAliveTimeout = 0;
server.requestTimeout = 0;
server.on('connection', (socket: Socket) => {
  scheduler.accepted(socket);
  socket.once('close', () => cancelKeepAlive(socket));
});
const shutdown = createGracefulShutdown(server, scheduler, config.tickMs);
// Under the kubelet SIGTERM is the kill, and uvicorn's own handler takes it (graceful-shutdown.ts).
// Under gunicorn the kill is SIGABRT; SIGTERM only ends the lab's run, where nothing is judged.
// So is uvicorn's child under its process manager: SIGTERM is how the parent stops it (terminate_all).
if (config.health !== null || config.pong !== null) process.on('SIGTERM', () => shutdown.requestExit());
function tell(message: WorkerMessage): void {
  process.send?.(message);
}

/** The master's go is gunicorn's fork: boot (as long as uvicorn's worker takes), listen, tick 0. */
function boot(): void {
  trace.write({ type: 'worker-start', t: now(), pid, notifier: config.notifier, loop: config.loop });
  setTimeout(() => {
    server.listen({ fd: LISTEN_FD }, async () => {
      lastTick.stamp();
      const probePort = await probeListener;
      trace.write({ type: 'listening', t: now(), pid, http: config.http });
      tell({ type: 'listening', probePort });
      if (rule?.drivenBy === 'thread') startHeartbeatThread();
      if (rule?.drivenBy === 'timer') startHeartbeatTask(rule.notifyIntervalMs(settings));
      if (config.captureStacks) startStackCaptureThread();
      startLoopMonitor(config.loopWindowMs, (window) => trace.write({ type: 'loop-delay', t: now(), pid, ...window }));
      startTicking();
    });
  }, config.bootMs);
}

// Started ahead of time by the master (Node's own start-up is not part of the scenario's clock):
// armed now, booted on the master's go. The probe's listener (a thread's start-up is Node's too)
// starts now; the supervisor learns its port, and probes it, only once the worker listens.
const probeListener = startHealthListener(config.health, lastTick.shared, () => server, gil);
if (config.pong !== null) startPongThread(config.pong.gilTakings);
await probeListener;
let booted = false;
onDecodedMessage(process, decodeGoMessage, (message) => {
  if (booted) return;
  booted = true;
  clockOriginMs = message.clockOriginMs;
  boot();
}, 'the master');
tell({ type: 'armed' });

// The master is gone (even by SIGKILL): leave too rather than serve on alone.
process.on('disconnect', () => process.exit(0));
setInterval(() => {
  if (!process.connected) process.exit(0);
}, 500).unref();
