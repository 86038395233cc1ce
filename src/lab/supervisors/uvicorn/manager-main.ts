// uvicorn's process manager (`uvicorn --workers N`, uvicorn/supervisors/multiprocess.py) as a process of
// the lab: it starts the workers on one shared socket, then every 0.5 s (`should_exit.wait(0.5)`) checks
// each in turn (keep_subprocess_alive): `ping` down the child's pipe, wait up to the healthcheck timeout
// for the answer from the child's answering thread (lab/workers/threads/pong-thread.ts). No answer:
// SIGKILL (`process.kill()`), join, "Child process [pid] died", and a new child in its place. A child
// that exited by itself is replaced the same way. The checks are serial: while the parent waits on one
// child, the others are not checked.

import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { readChildConfig, UVICORN_CONFIG_ENV, UVICORN_FIELDS, type UvicornManagerConfig } from '../../ipc/child-config.js';
import { stopWithGrace, waitForExit } from '../../stop-children.js';
import type { SharedSocket } from '../process/shared-socket.js';
import { awaitArmedSpare, prepareTrackedSpare, type SpareWorker } from '../process/spare-workers.js';
import { awaitContainerGo, openMasterSocket, openSupervisorChannel, stopWhenDone } from '../process/supervisor-process.js';
import { requestStack, type StackChannel } from '../process/stack-request.js';
import { msSince } from '../../time-base.js';
import { openTraceWriter } from '../../trace-writer.js';

const config = readChildConfig<UvicornManagerConfig>(UVICORN_CONFIG_ENV, UVICORN_FIELDS);
const originNs = BigInt(config.originNs);
const now = (): number => msSince(originNs);
const trace = openTraceWriter(config.tracePath);
const { send, record } = openSupervisorChannel(trace);
/** The child's end of its ping channel is fd 7 (PING_CHANNEL_FD); the parent's is this stdio entry. */
const PING_STDIO = 7;

interface Child {
  child: ChildProcess;
  pid: number;
  channel: Socket;
  stackChannel: StackChannel | null;
  exited: boolean;
}

const slots: Array<Child | null> = [];
const spares: SpareWorker[] = [];
const children = new Set<ChildProcess>();
let started = 0;
let stopping = false;
let readySent = false;

function log(text: string): void {
  // uvicorn's own log format, so master.log reads like uvicorn's.
  process.stderr.write(`INFO:     ${text}\n`);
}

function prepareWorker(socket: SharedSocket): SpareWorker {
  return prepareTrackedSpare(children, config.worker, socket, config.captureStacks, true);
}

/** Process(config, sockets).start(): a spare gets its go, and (with `warmNext`) a new spare warms up behind it. */
async function startChild(index: number, socket: SharedSocket, warmNext = true): Promise<boolean> {
  const first = spares.shift() ?? prepareWorker(socket);
  const { spare, failures } = await awaitArmedSpare(first, () => prepareWorker(socket), () => stopping);
  if (spare === null) {
    if (!stopping) {
      send({ type: 'failed', code: 'CHILD_FAILED', message: `The worker exited before it was ready, ${failures} times in a row.`, hint: 'Its output is in master.log of the strategy\'s directory.' });
      stop('worker failed to boot');
    }
    return false;
  }
  const channel = (spare.child.stdio as unknown as Array<Socket | null | undefined>)[PING_STDIO];
  if (channel === null || channel === undefined) throw new Error('the worker has no ping channel');
  const respawn = started >= config.workers;
  started++;
  const entry: Child = { child: spare.child, pid: spare.pid, channel, stackChannel: spare.stackChannel, exited: false };
  slots[index] = entry;
  record({ type: 'worker-spawn', t: now(), pid: entry.pid, worker: started, bootCountsAsBeat: true, respawn }, true);
  log(`Started server process [${entry.pid}]`);
  entry.child.once('exit', (code, signal) => {
    entry.exited = true;
    record({ type: 'worker-exit', t: now(), pid: entry.pid, code, signal }, !stopping);
  });
  entry.child.send({ type: 'go', clockOriginMs: 0 });
  void spare.listening.then(() => {
    if (readySent) return;
    readySent = true;
    send({ type: 'ready', port: socket.port });
  });
  if (warmNext) spares.push(prepareWorker(socket));
  return true;
}

/** Process.ping: send `ping`, poll up to the timeout for the answer. */
function ping(entry: Child): Promise<{ answered: boolean; waitedMs: number }> {
  const sentAt = now();
  return new Promise((resolve) => {
    const finish = (answered: boolean): void => {
      clearTimeout(timer);
      entry.channel.off('data', onData);
      entry.child.off('exit', onExit);
      resolve({ answered, waitedMs: now() - sentAt });
    };
    const onData = (): void => finish(true);
    // A child that dies meanwhile never answers; the poll still runs to its timeout (EOF counts as no answer at once).
    const onExit = (): void => finish(false);
    const timer = setTimeout(() => finish(false), config.healthcheckTimeoutMs);
    entry.channel.on('data', onData);
    entry.child.once('exit', onExit);
    entry.channel.write('p');
  });
}

/** keep_subprocess_alive: one child after another, each waited on until it answers or times out. */
async function checkChildren(socket: SharedSocket): Promise<void> {
  for (let index = 0; index < slots.length; index++) {
    const entry = slots[index];
    if (stopping) return;
    if (entry === null || entry === undefined) continue;
    if (!entry.exited) {
      const { answered, waitedMs } = await ping(entry);
      if (stopping) return;
      // Every ping goes to progress too: its live bar is the time since the last answer.
      record({ type: 'ping', t: now(), pid: entry.pid, answered, waitedMs }, true);
      if (answered) {
        record({ type: 'heartbeat', t: now(), pid: entry.pid, beatT: now() });
        continue;
      }
      // With --stacks, the child's JavaScript stack first (bounded: the kill is not held up for long).
      await requestStack(entry.stackChannel, config.intervalMs, (reason) => record({ type: 'stack-unavailable', t: now(), pid: entry.pid, reason }));
      record({ type: 'signal', t: now(), pid: entry.pid, signal: 'SIGKILL' });
      entry.child.kill('SIGKILL');
    }
    await waitForExit(entry.child);
    if (stopping) return;
    log(`Child process [${entry.pid}] died`);
    slots[index] = null;
    await startChild(index, socket);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * terminate_all: SIGTERM (or SIGINT under Doctor) to each child, spares SIGKILL; SIGKILL for all after
 * the grace. In a pod's container SIGTERM is the kubelet's kill: uvicorn joins each child with no
 * timeout, so only the kubelet's SIGKILL after the pod's grace ends one that does not stop (the long
 * grace here stands for that join); the lab's own stop at the end keeps its short grace.
 */
function stop(reason: string): void {
  if (stopping) return;
  stopping = true;
  const spareSet = new Set(spares.map((spare) => spare.child));
  const killedByKubelet = config.inContainer && reason === 'SIGTERM';
  const graceMs = killedByKubelet ? config.gracefulTimeoutMs : config.workerStopGraceMs;
  void stopWithGrace(children, graceMs, (child) => child.kill(spareSet.has(child) ? 'SIGKILL' : killedByKubelet ? 'SIGTERM' : config.workerStopSignal), (child) => child.kill('SIGKILL')).then(() => {
    record({ type: 'master-stop', t: now(), pid: process.pid, reason });
    log(`Stopping parent process [${process.pid}]`);
    trace.close();
    process.exit(0);
  });
}

/** In a pod's container the kubelet holds the socket and says when the container starts. */
const container = awaitContainerGo();

async function run(): Promise<void> {
  const socket = openMasterSocket(config.inContainer, config.port, { send, record });
  if (socket === null) return;
  if (config.inContainer) {
    // A warm container: Node's start-up, its own and its children's, is not the pod's.
    for (let index = 0; index <= config.workers; index++) spares.push(prepareWorker(socket));
    await Promise.all(spares.map((spare) => spare.armed));
    container.armed();
    await container.go;
    if (stopping) return;
  }
  record({ type: 'master-start', t: now(), pid: process.pid, master: 'uvicorn', timeoutMs: config.healthcheckTimeoutMs, periodMs: config.intervalMs, port: socket.port });
  log(`Started parent process [${process.pid}] on 127.0.0.1:${socket.port}, healthcheck timeout ${config.healthcheckTimeoutMs} ms (scaled)`);
  for (let index = 0; index < config.workers; index++) slots.push(null);
  // init_processes: every child's Process.start() at once (spawn boots them side by side), so the
  // spares are warmed together and started together. The first round of checks comes 0.5 s after
  // init_processes returned, whether or not the children have booted: the rounds' phase is the
  // parent's, not the children's (Node's boot does not scale with --time-scale; a child not yet
  // started is skipped, as its ping would wait on a thread that is not there yet).
  // One more spare, for the first replacement, boots with them: started once they were, its Node
  // start-up shared the cores with the first requests (a second or two of scenario time at ×0.1).
  if (!config.inContainer) for (let index = 0; index <= config.workers; index++) spares.push(prepareWorker(socket));
  void Promise.all(slots.map((_, index) => startChild(index, socket, false)));
  // while not should_exit.wait(0.5): handle_signals(); keep_subprocess_alive(). Bounded by the deadline (stopWhenDone).
  while (!stopping) {
    await sleep(config.intervalMs);
    if (!stopping) await checkChildren(socket);
  }
}

stopWhenDone(stop, config.deadlineMs, config.inContainer ? container.onGo : null);
void run();
