// The master process: gunicorn's arbiter (docs/semantics.md §3). Holds the socket, gives each worker a
// heartbeat file, wakes every period to judge staleness, aborts then kills stale workers, respawns.

import type { ChildProcess } from 'node:child_process';
import { decideStaleness } from '../../../masters/staleness.js';
import { wallOffsetAt } from '../../../scenario/clock-steps.js';
import { msSince } from '../../time-base.js';
import { openTraceWriter } from '../../trace-writer.js';
import { MASTER_CONFIG_ENV, MASTER_FIELDS, readChildConfig, type MasterConfig } from '../../ipc/child-config.js';
import { readCarrierClockMs, readHeartbeatMs, stampHeartbeatFile } from '../../heartbeat-file.js';
import { stopWithGrace } from '../../stop-children.js';
import type { SharedSocket } from '../process/shared-socket.js';
import { awaitArmedSpare, prepareTrackedSpare, type SpareWorker } from '../process/spare-workers.js';
import { awaitContainerGo, openMasterSocket, openSupervisorChannel, stopWhenDone } from '../process/supervisor-process.js';
import { requestStack, type StackChannel } from '../process/stack-request.js';

interface WorkerSlot {
  child: ChildProcess;
  /** The request channel to the worker's stack-capture thread (--stacks). */
  stackChannel: StackChannel | null;
  pid: number;
  heartbeatFd: number;
  lastBeatMs: number;
  aborted: boolean;
}

const config = readChildConfig<MasterConfig>(MASTER_CONFIG_ENV, MASTER_FIELDS);
const originNs = BigInt(config.originNs);
const now = (): number => msSince(originNs);
const trace = openTraceWriter(config.tracePath);
const workers = new Map<number, WorkerSlot>();
let spawned = 0;
let stopping = false;
let readySent = false;
/** Forked workers that have listened: the load starts once every initial worker serves. */
let listened = 0;

const { send, record } = openSupervisorChannel(trace);

function log(level: string, text: string): void {
  // gunicorn's log line shape, so a master.log reads like the real one.
  process.stderr.write(`[${new Date().toISOString()}] [${process.pid}] [${level}] ${text}\n`);
}

/**
 * The scenario's clock steps count from the first worker's fork (as first kills do), not from the
 * run's origin: the spare's Node start-up before that fork is not scenario time.
 */
let clockOriginMs: number | null = null;
function stepOffsetAt(runMs: number): number {
  return clockOriginMs === null ? 0 : wallOffsetAt(config.clockSteps, runMs - clockOriginMs);
}

function scheduleClockSteps(originMs: number): void {
  clockOriginMs = originMs;
  for (const step of config.clockSteps) {
    setTimeout(() => record({ type: 'clock-step', t: now(), pid: process.pid, stepMs: step.stepMs }, true), Math.max(0, originMs + step.atMs - now())).unref();
  }
}

/** The master's clock for its carrier; a wall clock carries the scenario's clock steps. */
function readMasterClockMs(): number {
  const raw = readCarrierClockMs(config.carrier);
  return config.carrier === 'ctime-wall' ? raw + stepOffsetAt(now()) : raw;
}

/**
 * A worker's last heartbeat, in the master's clock and in the run's time base. The kernel stamped the
 * ctime with the real clock; on a machine whose clock stepped it would carry the step, so add it.
 */
function readBeat(fd: number): { raw: number; clockMs: number; runMs: number } {
  const raw = readHeartbeatMs(config.carrier, fd, config.stamps);
  const runMs = raw - readCarrierClockMs(config.carrier) + now();
  const clockMs = config.carrier === 'ctime-wall' ? raw + stepOffsetAt(runMs) : raw;
  return { raw, clockMs, runMs };
}

const spares: SpareWorker[] = [];
/** Every worker process alive, a spare or forked: the master exits only after they have. */
const children = new Set<ChildProcess>();
/** trace/run-params.ts's MASTER_LOG_FILE, not imported: that module loads zod (lab/ipc/child-decode.ts says why not). */
const MASTER_LOG_NAME = 'master.log';

/** A spare (supervisors/process/spare-workers.ts); the first to serve makes the master ready. */
function prepareWorker(socket: SharedSocket): SpareWorker {
  const spare = prepareTrackedSpare(children, config.worker, socket, config.captureStacks);
  void spare.listening.then(() => {
    // A deployment under steady load has all its workers up before the traffic comes: started after
    // the first alone, the load's connections all went to it, and the others idled.
    if (readySent || ++listened < config.workers) return;
    readySent = true;
    send({ type: 'ready', port: socket.port });
  });
  return spare;
}

/** gunicorn's spawn_worker: the heartbeat file is "created" now (its ctime), and the worker boots. */
async function spawnWorker(socket: SharedSocket, respawn: boolean): Promise<void> {
  const { spare, failures } = await awaitArmedSpare(spares.shift() ?? prepareWorker(socket), () => prepareWorker(socket), () => stopping);
  if (spare === null) {
    if (stopping) return;
    // gunicorn halts when a worker cannot boot (WORKER_BOOT_ERROR) rather than fork it forever.
    log('ERROR', 'Worker failed to boot.');
    send({ type: 'failed', code: 'CHILD_FAILED', message: `The worker exited before it was ready, ${failures} times in a row.`, hint: `Its output is in ${MASTER_LOG_NAME} of the strategy's directory.` });
    return stop('worker failed to boot');
  }
  // One spare is kept beyond the workers: the next one warms up while this one works. At the run's
  // start it is already armed (start below), so no Node start-up shares the cores with the first
  // requests; after a respawn it starts now, as the killed worker's place is taken.
  if (spares.length === 0) spares.push(prepareWorker(socket));
  const { child, pid, heartbeatFd, stackChannel } = spare;
  // gunicorn makes the file just before the fork; this spare's file is older, so stamp it now.
  stampHeartbeatFile(config.carrier, heartbeatFd, config.stamps);
  spawned++;
  const slot: WorkerSlot = { child, stackChannel, pid, heartbeatFd, lastBeatMs: readHeartbeatMs(config.carrier, heartbeatFd, config.stamps), aborted: false };
  workers.set(pid, slot);
  record({ type: 'worker-spawn', t: now(), pid, worker: spawned, bootCountsAsBeat: config.bootCountsAsBeat, respawn }, true);
  log('INFO', `Booting worker with pid: ${pid}`);
  child.on('exit', (code, signal) => {
    workers.delete(pid);
    record({ type: 'worker-exit', t: now(), pid, code, signal }, !stopping);
    if (signal !== null && !stopping) log('ERROR', `Worker (pid:${pid}) was sent ${signal}!`);
    // SIGCHLD: gunicorn reaps and wakes its loop at once, which then checks and tops up.
    wake();
  });
  if (clockOriginMs === null) scheduleClockSteps(now());
  child.send({ type: 'go', clockOriginMs: clockOriginMs ?? 0 });
}

/** Asks the worker's capture thread for its stack, at most `deadlineMs` (lab/supervisors/process/stack-request.ts). */
function captureStack(slot: WorkerSlot, deadlineMs: number): Promise<void> {
  return requestStack(slot.stackChannel, deadlineMs, (reason) => record({ type: 'stack-unavailable', t: now(), pid: slot.pid, reason }));
}

async function checkWorkers(): Promise<void> {
  const clockMs = readMasterClockMs();
  for (const slot of workers.values()) {
    const beat = readBeat(slot.heartbeatFd);
    const beatMs = beat.clockMs;
    if (beat.raw !== slot.lastBeatMs) {
      slot.lastBeatMs = beat.raw;
      record({ type: 'heartbeat', t: now(), pid: slot.pid, beatT: beat.runMs }, true);
    }
    const ageMs = clockMs - beatMs;
    // gunicorn >= 22: a file that was never notified holds wall time against a monotonic clock.
    record({ type: 'check', t: now(), pid: slot.pid, ageMs: ageMs < 0 ? null : ageMs });
    const decision = decideStaleness({ nowMs: clockMs, lastBeatMs: beatMs, timeoutMs: config.timeoutMs, aborted: slot.aborted });
    switch (decision) {
      case 'fresh':
        break;
      case 'abort':
        log('CRITICAL', `WORKER TIMEOUT (pid:${slot.pid})`);
        record({ type: 'worker-timeout', t: now(), pid: slot.pid, ageMs }, true);
        slot.aborted = true;
        await captureStack(slot, config.periodMs / 2);
        record({ type: 'signal', t: now(), pid: slot.pid, signal: 'SIGABRT' });
        slot.child.kill('SIGABRT');
        break;
      case 'kill':
        record({ type: 'signal', t: now(), pid: slot.pid, signal: 'SIGKILL' }, true);
        slot.child.kill('SIGKILL');
        break;
    }
  }
}

/**
 * The workers get the stop signal (SIGTERM, or SIGINT under Doctor), spares SIGKILL; SIGKILL for all
 * after the grace. In a pod's container SIGTERM is the kubelet's kill: gunicorn's graceful stop, its
 * workers SIGTERMed and given graceful_timeout; the lab's own stop at the end keeps its short grace.
 */
function stop(reason: string): void {
  if (stopping) return;
  stopping = true;
  wake();
  spares.length = 0;
  const forked = new Set([...workers.values()].map((slot) => slot.child));
  const killedByKubelet = config.inContainer && reason === 'SIGTERM';
  if (killedByKubelet) log('INFO', 'Handling signal: term');
  const graceMs = killedByKubelet ? config.gracefulTimeoutMs : config.workerStopGraceMs;
  void stopWithGrace(children, graceMs, (child) => child.kill(forked.has(child) ? (killedByKubelet ? 'SIGTERM' : config.workerStopSignal) : 'SIGKILL'), (child) => child.kill('SIGKILL')).then(() => {
    record({ type: 'master-stop', t: now(), pid: process.pid, reason });
    trace.close();
    process.exit(0);
  });
}

let wakeUp: (() => void) | null = null;
let wakePending = false;

/** A signal's wakeup(): ends the arbiter's sleep now, or the next one at once if it is not asleep. */
function wake(): void {
  if (wakeUp === null) wakePending = true;
  else wakeUp();
}

/** gunicorn's Arbiter.sleep: select on its pipe for at most one period, woken early by a signal. */
function sleepOnPipe(ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (wakePending || stopping) {
      wakePending = false;
      return resolve();
    }
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      wakeUp = null;
      wakePending = false;
      resolve();
    }
    wakeUp = done;
  });
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** manage_workers -> spawn_workers: fork the missing ones, each followed by `time.sleep(0.1 * random.random())`. */
async function manageWorkers(socket: SharedSocket): Promise<void> {
  while (!stopping && workers.size < config.workers) {
    await spawnWorker(socket, spawned >= config.workers);
    await pause(Math.random() * config.spawnPauseMaxMs);
  }
}

/** Arbiter.run: top up, then forever sleep, murder_workers, manage_workers. */
async function arbiterLoop(socket: SharedSocket): Promise<void> {
  await manageWorkers(socket);
  while (!stopping) {
    await sleepOnPipe(config.periodMs);
    if (stopping) break;
    await checkWorkers();
    await manageWorkers(socket);
  }
}

/** In a pod's container the kubelet holds the socket and says when the container starts. */
const container = awaitContainerGo();

async function start(): Promise<void> {
  const socket = openMasterSocket(config.inContainer, config.port, { send, record });
  if (socket === null) return;
  // Every worker's spare and the first replacement boot now, side by side, and are armed before the
  // first fork: a spare starting up beside the first worker took up to a core for 0.1-0.2 s of real
  // time, a second or two of scenario time at --time-scale 0.1, while the first requests ran.
  for (let index = 0; index <= config.workers; index++) spares.push(prepareWorker(socket));
  await Promise.all(spares.map((spare) => spare.armed));
  if (config.inContainer) {
    // A warm container: Node's start-up, its own and its workers', is not the pod's.
    container.armed();
    await container.go;
    if (stopping) return;
  }
  record({ type: 'master-start', t: now(), pid: process.pid, master: config.master, timeoutMs: config.timeoutMs, periodMs: config.periodMs, port: socket.port });
  log('INFO', `Listening at: http://127.0.0.1:${socket.port} (${process.pid})`);
  await arbiterLoop(socket);
}

// The orchestrator is gone (even by SIGKILL), or asks: take the workers down with us.
stopWhenDone(stop, config.deadlineMs, config.inContainer ? container.onGo : null);
void start();
