// The master process: gunicorn's arbiter (docs/semantics.md §3). Holds the socket, gives each worker a
// heartbeat file, wakes every period to judge staleness, aborts then kills stale workers, respawns.

import type { ChildProcess } from 'node:child_process';
import { decideStaleness } from '../masters/staleness.js';
import { wallOffsetAt } from '../scenario/clock-steps.js';
import { msSince } from './time-base.js';
import { openTraceWriter } from './trace-writer.js';
import { MASTER_CONFIG_ENV, MASTER_FIELDS, readChildConfig, type MasterConfig } from './child-config.js';
import { onDecodedMessage } from './child-decode.js';
import { decodeWorkerMessage } from './child-messages.js';
import { closeHeartbeatFile, createHeartbeatFile, readCarrierClockMs, readHeartbeatMs, stampHeartbeatFile } from './heartbeat-file.js';
import type { SharedSocket } from './shared-socket.js';
import { bindOrReport, openSupervisorChannel, spawnWorkerProcess, stopWhenDone } from './supervisor-process.js';
import { requestStack, stackChannelOf, type StackChannel } from './stack-request.js';

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

/** A worker process started ahead of time, armed (imports done) and waiting for its go. */
interface SpareWorker {
  child: ChildProcess;
  pid: number;
  heartbeatFd: number;
  stackChannel: StackChannel | null;
  armed: Promise<boolean>;
}

const spares: SpareWorker[] = [];
/** Every spare process still alive, handed out or not: the master exits only after they have. */
const liveSpares = new Set<ChildProcess>();
const BOOT_FAILURES_BEFORE_HALT = 3;
/** trace/run-params.ts's MASTER_LOG_FILE, not imported: that module loads zod (lab/child-decode.ts says why not). */
const MASTER_LOG_NAME = 'master.log';

/**
 * Starts a worker process that waits for its go: Node's own start-up (~0.1-0.2 s of real time,
 * unscaled) stays out of the scenario's clock, where gunicorn's fork is almost instant.
 */
function prepareSpare(socket: SharedSocket): SpareWorker {
  const heartbeatFd = createHeartbeatFile();
  const launch = config.worker;
  const child = spawnWorkerProcess(launch, heartbeatFd, socket, config.captureStacks);
  const stackChannel = stackChannelOf(child, config.captureStacks);
  liveSpares.add(child);
  child.once('exit', () => {
    // Still a spare (never forked): its file goes with it; a forked worker's exit handler closes its own.
    if (liveSpares.delete(child)) closeHeartbeatFile(heartbeatFd);
    if (stopping) finishStop?.();
  });
  const armed = new Promise<boolean>((resolve) => {
    child.once('exit', () => resolve(false));
    child.once('error', () => resolve(false));
    onDecodedMessage(child, decodeWorkerMessage, (message) => {
      if (message.type === 'armed') resolve(true);
      if (message.type === 'listening' && !readySent) {
        readySent = true;
        send({ type: 'ready', port: socket.port });
      }
    }, `worker ${child.pid ?? '?'}`);
  });
  return { child, pid: child.pid ?? -1, heartbeatFd, stackChannel, armed };
}

/** gunicorn's spawn_worker: the heartbeat file is "created" now (its ctime), and the worker boots. */
async function spawnWorker(socket: SharedSocket, respawn: boolean): Promise<void> {
  let spare = spares.shift() ?? prepareSpare(socket);
  let failures = 0;
  while (!(await spare.armed)) {
    if (stopping) return;
    // gunicorn halts when a worker cannot boot (WORKER_BOOT_ERROR) rather than fork it forever.
    if (++failures >= BOOT_FAILURES_BEFORE_HALT) {
      log('ERROR', 'Worker failed to boot.');
      send({ type: 'failed', code: 'CHILD_FAILED', message: `The worker exited before it was ready, ${failures} times in a row.`, hint: `Its output is in ${MASTER_LOG_NAME} of the strategy's directory.` });
      return stop('worker failed to boot');
    }
    spare = prepareSpare(socket);
  }
  // stop() has killed every spare, this one included.
  if (stopping) return;
  // The next spare warms up while this one works: started only now, so that it does not compete for
  // the CPU with this one's start-up (at the run's start, every master's first worker and the loads).
  spares.push(prepareSpare(socket));
  const { child, pid, heartbeatFd, stackChannel } = spare;
  // Forked: a worker now, no longer a spare.
  liveSpares.delete(child);
  // gunicorn makes the file just before the fork; this spare's file is older, so stamp it now.
  stampHeartbeatFile(config.carrier, heartbeatFd, config.stamps);
  spawned++;
  const slot: WorkerSlot = { child, stackChannel, pid, heartbeatFd, lastBeatMs: readHeartbeatMs(config.carrier, heartbeatFd, config.stamps), aborted: false };
  workers.set(pid, slot);
  record({ type: 'worker-spawn', t: now(), pid, worker: spawned, bootCountsAsBeat: config.bootCountsAsBeat, respawn }, true);
  log('INFO', `Booting worker with pid: ${pid}`);
  child.on('exit', (code, signal) => {
    workers.delete(pid);
    closeHeartbeatFile(heartbeatFd);
    record({ type: 'worker-exit', t: now(), pid, code, signal }, !stopping);
    if (signal !== null && !stopping) log('ERROR', `Worker (pid:${pid}) was sent ${signal}!`);
    // SIGCHLD: gunicorn reaps and wakes its loop at once, which then checks and tops up.
    wake();
  });
  if (clockOriginMs === null) scheduleClockSteps(now());
  child.send({ type: 'go', clockOriginMs: clockOriginMs ?? 0 });
}

/** Asks the worker's capture thread for its stack, at most `deadlineMs` (lab/stack-request.ts). */
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

let finishStop: (() => void) | null = null;

function stop(reason: string): void {
  if (stopping) return;
  stopping = true;
  wake();
  // Every spare, waiting in line or awaited by a spawn in progress.
  spares.length = 0;
  for (const child of liveSpares) child.kill('SIGKILL');
  const children = [...workers.values()];
  for (const slot of children) slot.child.kill(config.workerStopSignal);
  const force = setTimeout(() => {
    for (const slot of workers.values()) slot.child.kill('SIGKILL');
  }, config.workerStopGraceMs);
  const finish = (): void => {
    if (workers.size > 0 || liveSpares.size > 0) return;
    clearTimeout(force);
    record({ type: 'master-stop', t: now(), pid: process.pid, reason });
    trace.close();
    process.exit(0);
  };
  for (const slot of children) slot.child.once('exit', finish);
  finishStop = finish;
  finish();
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

function start(): void {
  const socket = bindOrReport(config.port, { send, record });
  if (socket === null) return;
  record({ type: 'master-start', t: now(), pid: process.pid, master: config.master, timeoutMs: config.timeoutMs, periodMs: config.periodMs, port: socket.port });
  log('INFO', `Listening at: http://127.0.0.1:${socket.port} (${process.pid})`);
  void arbiterLoop(socket);
}

// The orchestrator is gone (even by SIGKILL), or asks: take the workers down with us.
stopWhenDone(stop, config.deadlineMs);
start();
