// The orchestrator: for every strategy at once, a master (with its workers) and a load process; waits
// out the run, stops everything, and leaves the traces in the run directory. The only place that
// starts the lab's processes.

import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StarveError, type StarveErrorCode } from '../errors.js';
import { findMaster } from '../masters/registry.js';
import { maxDuration, type LabPlan } from '../scenario/scale-time.js';
import type { TraceEvent } from '../trace/events.js';
import { MASTER_LOG_FILE, TRACE_FILE } from '../trace/run-params.js';
import { readMonotonicNs } from '../trace/time-base.js';
import {
  isMessageOfType,
  LOAD_CONFIG_ENV,
  MASTER_CONFIG_ENV,
  type LoadConfig,
  type LoadCounts,
  type MasterConfig,
  type LoadMessage,
  type MasterMessage,
} from './child-config.js';
import { isRunning, killGroup, spawnNodeChild, stopChild, waitForExit, waitForMessage } from './spawn-child.js';

const MASTER_ENTRY = fileURLToPath(new URL('./master-main.js', import.meta.url));
const LOAD_ENTRY = fileURLToPath(new URL('./load-main.js', import.meta.url));
/** Real milliseconds a master gets to bind and boot its first worker (process start-up is not scaled). */
const READY_TIMEOUT_MS = 20_000;
/** Real milliseconds children get to stop before their process group is killed. */
const STOP_GRACE_MS = 5_000;
/** asyncio's default executor on a 2-core machine has min(32, cores + 4) = 6 threads; 4 serve 4 clients. */
const OFFLOAD_THREADS = 4;
/** Real milliseconds the load may overrun its duration before it is stopped. */
const LOAD_OVERRUN_MS = 10_000;


export interface LabObserver {
  /** A notable event (spawn, WORKER TIMEOUT, exit) as the master reports it. */
  onEvent?(strategy: string, event: TraceEvent): void;
  /** The load started: the run's clock is now running for `durationMs`. */
  onLoadStart?(durationMs: number): void;
  /** The load's running counts of requests by outcome. */
  onLoadProgress?(strategy: string, counts: LoadCounts): void;
}

export interface LabOptions {
  runDir: string;
  /** 0: any free port; otherwise strategy i's master binds basePort + i on 127.0.0.1. */
  basePort?: number;
  /** Capture each killed worker's JavaScript stack before SIGABRT (--stacks). */
  captureStacks?: boolean;
  /** Extra environment for the workers of a strategy, given its directory (Clinic.js Doctor). */
  workerEnv?: (strategyDir: string) => Record<string, string>;
  observer?: LabObserver;
  /** Aborting stops every child early; the traces so far stay. */
  signal?: AbortSignal;
}

export interface LabResult {
  interrupted: boolean;
}

interface StrategyProcesses {
  strategy: string;
  dir: string;
  master: ChildProcess;
  load: ChildProcess | null;
}

function masterConfig(plan: LabPlan, strategy: string, port: number, captureStacks: boolean, workerEnv: Record<string, string>, tracePath: string, originNs: bigint): MasterConfig {
  const { scenario, timing } = plan;
  const master = findMaster(scenario.master);
  if (master === undefined) throw new StarveError('INVALID_SCENARIO', `Unknown master preset "${scenario.master}".`);
  return {
    master: master.name,
    carrier: master.carrier,
    workers: scenario.workers,
    timeoutMs: timing.timeoutMs,
    periodMs: timing.masterPeriodMs,
    port,
    deadlineMs: READY_TIMEOUT_MS + timing.durationMs + LOAD_OVERRUN_MS + STOP_GRACE_MS,
    clockSteps: plan.clockSteps,
    workerEnv,
    workerStopSignal: Object.keys(workerEnv).length > 0 ? 'SIGINT' : 'SIGTERM',
    tracePath,
    originNs: originNs.toString(),
    worker: {
      notifier: strategy,
      loop: scenario.loop,
      carrier: master.carrier,
      tickMs: timing.tickMs,
      timeoutMs: timing.timeoutMs,
      keepAliveMs: timing.keepAliveMs,
      // Longer than the run, so a hang outlives it; bounded, so no loop spins forever.
      maxBlockMs: 2 * timing.durationMs + LOAD_OVERRUN_MS,
      offloadThreads: OFFLOAD_THREADS,
      scenarioModule: plan.scenarioModule,
      clockSteps: plan.clockSteps,
      captureStacks,
      loopWindowMs: timing.masterPeriodMs,
      tracePath,
      originNs: originNs.toString(),
    },
  };
}

function loadConfig(plan: LabPlan, port: number, tracePath: string, originNs: bigint): LoadConfig {
  const worstHandlerMs = Math.max(0, ...plan.routes.map((route) => maxDuration(route.ms)));
  const { timing } = plan;
  return {
    port,
    clients: plan.scenario.load.clients,
    thinkMs: timing.thinkMs,
    durationMs: timing.durationMs,
    // Above the worst handler, and above the master's timeout, so only a kill cuts a slow request.
    requestTimeoutMs: (timing.timeoutMs > 0 ? timing.timeoutMs : timing.durationMs) + 2 * worstHandlerMs,
    routes: plan.routes,
    seed: plan.scenario.seed,
    tracePath,
    originNs: originNs.toString(),
  };
}

function startMaster(plan: LabPlan, strategy: string, port: number, options: LabOptions, dir: string, originNs: bigint): ChildProcess {
  mkdirSync(dir);
  const logFd = openSync(join(dir, MASTER_LOG_FILE), 'a');
  const config = masterConfig(plan, strategy, port, options.captureStacks === true, options.workerEnv?.(dir) ?? {}, join(dir, TRACE_FILE), originNs);
  const { observer } = options;
  const master = spawnNodeChild(MASTER_ENTRY, { [MASTER_CONFIG_ENV]: JSON.stringify(config) }, ['ignore', logFd, logFd, 'ipc']);
  closeSync(logFd);
  master.on('message', (message: unknown) => {
    if (isMessageOfType<MasterMessage>(message, 'event')) observer?.onEvent?.(strategy, (message as { event: TraceEvent }).event);
  });
  return master;
}

async function awaitReady(master: ChildProcess, strategy: string): Promise<number> {
  const reply = await waitForMessage(master, `master for ${strategy}`, READY_TIMEOUT_MS, (message) =>
    isMessageOfType<MasterMessage>(message, 'ready') || isMessageOfType<MasterMessage>(message, 'failed') ? (message as MasterMessage) : undefined,
  );
  if (reply.type === 'failed') {
    throw new StarveError(reply.code as StarveErrorCode, reply.message, reply.hint === null ? {} : { hint: reply.hint });
  }
  if (reply.type !== 'ready') throw new StarveError('CHILD_FAILED', `Unexpected reply from the master for ${strategy}.`);
  return reply.port;
}

function sleepUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

async function stopAll(runs: StrategyProcesses[]): Promise<void> {
  await Promise.all(runs.flatMap((run) => [run.load, run.master].filter((c): c is ChildProcess => c !== null).map((c) => stopChild(c, STOP_GRACE_MS))));
}

export async function runLab(plan: LabPlan, options: LabOptions): Promise<LabResult> {
  const originNs = readMonotonicNs();
  const { signal, observer } = options;
  const basePort = options.basePort ?? 0;
  const runs: StrategyProcesses[] = plan.scenario.strategies.map((strategy, index) => {
    const dir = join(options.runDir, strategy);
    return { strategy, dir, master: startMaster(plan, strategy, basePort === 0 ? 0 : basePort + index, options, dir, originNs), load: null };
  });
  try {
    const ports = await Promise.all(runs.map((run) => awaitReady(run.master, run.strategy)));
    if (signal?.aborted !== true) {
      observer?.onLoadStart?.(plan.timing.durationMs);
      if (plan.scenario.load.clients > 0) {
        runs.forEach((run, index) => {
          const config = loadConfig(plan, ports[index] ?? 0, join(run.dir, TRACE_FILE), originNs);
          const load = spawnNodeChild(LOAD_ENTRY, { [LOAD_CONFIG_ENV]: JSON.stringify(config) }, ['ignore', 'inherit', 'inherit', 'ipc']);
          load.on('message', (message: unknown) => {
            if (isMessageOfType<LoadMessage>(message, 'progress')) observer?.onLoadProgress?.(run.strategy, (message as { counts: LoadCounts }).counts);
          });
          run.load = load;
        });
        const loads = runs.map((run) => run.load).filter((c): c is ChildProcess => c !== null);
        const overrun = setTimeout(() => loads.filter(isRunning).forEach((c) => killGroup(c, 'SIGKILL')), plan.timing.durationMs + LOAD_OVERRUN_MS);
        const onAbort = (): void => loads.forEach((c) => void stopChild(c, STOP_GRACE_MS));
        signal?.addEventListener('abort', onAbort, { once: true });
        await Promise.all(loads.map(waitForExit));
        clearTimeout(overrun);
        signal?.removeEventListener('abort', onAbort);
      } else {
        await sleepUnlessAborted(plan.timing.durationMs, signal);
      }
    }
  } finally {
    await stopAll(runs);
  }
  return { interrupted: signal?.aborted === true };
}
