// The orchestrator: for every strategy at once, a supervisor (with its workers, started through the
// target) and a load process; waits out the run, stops everything, and leaves the traces in the run
// directory. Processes are started only here, by the supervisors, and by the masters they run.

import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StarveError } from '../../errors.js';
import { maxDuration, type LabPlan } from '../../scenario/scale-time.js';
import type { TraceEvent } from '../../trace/events.js';
import { TRACE_FILE } from '../../trace/run-params.js';
import { LOAD_CONFIG_ENV, type LoadConfig } from '../ipc/child-config.js';
import { findWrk } from '../load/find-wrk.js';
import { findNginx } from '../load/find-nginx.js';
import { freeLoopbackPort } from '../free-port.js';
import { CHILD_STOP_GRACE_MS, LOAD_OVERRUN_MS } from '../lab-timing.js';
import { loadMessageSchema, onMessage, type LoadCounts } from '../ipc/to-orchestrator.js';
import type { LoadGoMessage } from '../ipc/to-children.js';
import { isRunning, killGroup, spawnNodeChild, stopChild, waitForExit } from '../spawn-child.js';
import { gunicornModelSupervisor } from '../supervisors/gunicorn/model.js';
import type { SupervisedStrategy, Supervisor } from '../supervisors/types.js';
import { modelTarget } from '../targets/model-target.js';
import type { Target } from '../targets/types.js';
import { msSince, readMonotonicNs } from '../time-base.js';
import { openTraceWriter } from '../trace-writer.js';
import { startSchedSampler, type SchedSampler } from './sched-sampler.js';

const LOAD_ENTRY = fileURLToPath(new URL('../load/load-main.js', import.meta.url));

export interface LabObserver {
  /** A notable event (spawn, WORKER TIMEOUT, exit) as the supervisor reports it. */
  onEvent?(strategy: string, event: TraceEvent): void;
  /** The load started: the run's clock is now running for `durationMs` (real ms). */
  onLoadStart?(durationMs: number, strategies: readonly string[]): void;
  /** The load's running counts of requests by outcome. */
  onLoadProgress?(strategy: string, counts: LoadCounts): void;
}

export interface LabOptions {
  runDir: string;
  /** 0: any free port; otherwise strategy i's master binds basePort + i on 127.0.0.1. */
  basePort?: number;
  /** Capture each killed worker's stack before SIGABRT (--stacks). */
  captureStacks?: boolean;
  /** Extra environment for the workers of a strategy, given its directory (Clinic.js Doctor). */
  workerEnv?: (strategyDir: string) => Record<string, string>;
  observer?: LabObserver;
  /** Aborting stops every child early; the traces so far stay. */
  signal?: AbortSignal;
  /**
   * One strategy at a time instead of all at once: on a small machine, strategies running together
   * each burn a core and change each other's tick timing (calibration measures this way).
   */
  sequential?: boolean;
  /** What runs the workers and what supervises them; the model and its gunicorn arbiter by default. */
  target?: Target;
  supervisor?: Supervisor;
}

export interface LabResult {
  interrupted: boolean;
}

interface StrategyRun {
  strategy: string;
  dir: string;
  /** The port its supervisor binds: 0 for any free one. */
  port: number;
  /** Null until every load is armed. */
  supervised: SupervisedStrategy | null;
  load: ChildProcess | null;
  /** True once its load waits for the go; false if it exited first. */
  armed: Promise<boolean> | null;
}

function loadConfig(plan: LabPlan, tracePath: string, originNs: bigint, upstreamPort: number): LoadConfig {
  const worstHandlerMs = Math.max(0, ...plan.routes.map((route) => maxDuration(route.ms)));
  const { timing } = plan;
  return {
    clients: plan.scenario.load.clients,
    thinkMs: timing.thinkMs,
    arrivalGapMs: timing.arrivalGapMs,
    client: plan.scenario.load.client ?? 'autocannon',
    wrkPath: plan.scenario.load.client === 'wrk' ? findWrk() : '',
    proxy: plan.scenario.load.proxy === 'nginx' ? { nginxPath: findNginx(), upstreamPort } : null,
    durationMs: timing.durationMs,
    // Above the worst handler, and above the master's timeout, so only a kill cuts a slow request.
    requestTimeoutMs: (timing.timeoutMs > 0 ? timing.timeoutMs : timing.durationMs) + 2 * worstHandlerMs,
    routes: plan.routes,
    seed: plan.scenario.seed,
    tracePath,
    originNs: originNs.toString(),
  };
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

/** `promise`, or null once `signal` aborts (Ctrl-C must not wait out a slow boot). */
async function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T | null> {
  let onAbort = (): void => {};
  const aborted = new Promise<null>((resolve) => {
    onAbort = () => resolve(null);
    if (signal?.aborted === true) resolve(null);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  // One that fails after an abort must not leave an unhandled rejection behind.
  promise.catch(() => {});
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    // One run of many on the same signal (a series, a calibration) must not leave its listener behind.
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Starts each strategy's load process, before any supervisor: Node's start-up and autocannon's import
 * (~0.3 s of real time, not scaled) must not delay the first request in compressed time. Each says
 * when it is armed; nothing is sent before its go.
 */
function prepareLoad(plan: LabPlan, dir: string, strategy: string, originNs: bigint, upstreamPort: number, observer: LabObserver | undefined): { load: ChildProcess; armed: Promise<boolean> } {
  const config = loadConfig(plan, join(dir, TRACE_FILE), originNs, upstreamPort);
  const load = spawnNodeChild(LOAD_ENTRY, { [LOAD_CONFIG_ENV]: JSON.stringify(config) }, ['ignore', 'inherit', 'inherit', 'ipc']);
  const armed = new Promise<boolean>((resolve) => {
    load.once('exit', () => resolve(false));
    onMessage(load, loadMessageSchema, (message) => {
      if (message.type === 'armed') resolve(true);
      if (message.type === 'progress') observer?.onLoadProgress?.(strategy, message.counts);
    }, `the load for ${strategy}`);
  });
  return { load, armed };
}

/** Every supervisor is ready: each armed load gets its go with its supervisor's port. */
function startLoads(runs: readonly StrategyRun[], ports: readonly number[]): ChildProcess[] {
  return runs.map((run, index) => {
    const port = ports[index];
    if (port === undefined || run.load === null) throw new StarveError('CHILD_FAILED', `No port or load for ${run.strategy}.`);
    const message: LoadGoMessage = { type: 'go', port };
    run.load.send(message);
    return run.load;
  });
}

async function driveLoad(plan: LabPlan, loads: ChildProcess[], signal: AbortSignal | undefined): Promise<void> {
  const overrun = setTimeout(() => loads.filter(isRunning).forEach((c) => killGroup(c, 'SIGKILL')), plan.timing.durationMs + LOAD_OVERRUN_MS);
  const onAbort = (): void => loads.forEach((c) => void stopChild(c, CHILD_STOP_GRACE_MS));
  signal?.addEventListener('abort', onAbort, { once: true });
  await Promise.all(loads.map(waitForExit));
  clearTimeout(overrun);
  signal?.removeEventListener('abort', onAbort);
}

export async function runLab(plan: LabPlan, options: LabOptions): Promise<LabResult> {
  const strategies = plan.scenario.strategies;
  if (options.sequential !== true) return runStrategies(plan, strategies, options);
  // Each strategy alone, each on its own time origin, so every trace starts at its own boot.
  for (const strategy of strategies) {
    if (options.signal?.aborted === true) break;
    await runStrategies(plan, [strategy], { ...options, basePort: options.basePort === undefined || options.basePort === 0 ? 0 : options.basePort + strategies.indexOf(strategy) });
  }
  return { interrupted: options.signal?.aborted === true };
}

async function runStrategies(plan: LabPlan, strategies: readonly string[], options: LabOptions): Promise<LabResult> {
  const originNs = readMonotonicNs();
  const { signal, observer } = options;
  const basePort = options.basePort ?? 0;
  const supervisor = options.supervisor ?? gunicornModelSupervisor;
  const target = options.target ?? modelTarget;
  const runs: StrategyRun[] = [];
  let sampler: SchedSampler | null = null;
  try {
    // A proxy is configured with the server's port before the server binds it: each strategy's is chosen now.
    const ports = await Promise.all(strategies.map((_strategy, index) => (basePort !== 0 ? basePort + index : plan.scenario.load.proxy === undefined ? 0 : freeLoopbackPort())));
    for (const [index, strategy] of strategies.entries()) {
      const dir = join(options.runDir, strategy);
      mkdirSync(dir);
      const run: StrategyRun = { strategy, dir, port: ports[index] ?? 0, supervised: null, load: null, armed: null };
      if (plan.scenario.load.clients > 0) Object.assign(run, prepareLoad(plan, dir, strategy, originNs, run.port, observer));
      runs.push(run);
    }
    sampler = startSchedSampler(
      runs.map((run) => ({
        trace: openTraceWriter(join(run.dir, TRACE_FILE)),
        groups: () => [
          ...(run.supervised?.processGroup == null ? [] : [{ pgid: run.supervised.processGroup, kind: 'supervisor' as const }]),
          ...(run.load?.pid === undefined ? [] : [{ pgid: run.load.pid, kind: 'load' as const }]),
        ],
      })),
      () => msSince(originNs),
    );
    // Every load is armed before any supervisor starts, so the go follows the worker's first listen by
    // an IPC hop. A load still starting then (on 2 cores, next to the workers' start-up) sent its first
    // request ms of real time after tick 0: at --time-scale 0.1, idle ticks the real stack does not
    // have (docs/model.md, *The first requests*).
    const armed = await raceAbort(Promise.all(runs.map((run) => run.armed ?? Promise.resolve(true))), signal);
    if (armed === null) return { interrupted: true };
    const unarmed = runs.find((_run, index) => armed[index] !== true);
    if (unarmed !== undefined) throw new StarveError('CHILD_FAILED', `The load process for ${unarmed.strategy} exited before it started.`, { hint: 'Its error is above.' });
    const supervised = runs.map((run) =>
      (run.supervised = supervisor.start({
        plan,
        strategy: run.strategy,
        dir: run.dir,
        tracePath: join(run.dir, TRACE_FILE),
        port: run.port,
        originNs,
        target,
        captureStacks: options.captureStacks === true,
        workerEnv: options.workerEnv?.(run.dir) ?? {},
        onEvent: (event) => observer?.onEvent?.(run.strategy, event),
      })),
    );
    const bound = await raceAbort(Promise.all(supervised.map((one) => one.ready)), signal);
    if (bound !== null && signal?.aborted !== true) {
      if (plan.scenario.load.clients > 0) {
        const loads = startLoads(runs, bound);
        observer?.onLoadStart?.(plan.timing.durationMs, strategies);
        await driveLoad(plan, loads, signal);
      } else {
        observer?.onLoadStart?.(plan.timing.durationMs, strategies);
        await sleepUnlessAborted(plan.timing.durationMs, signal);
      }
    }
  } finally {
    sampler?.stop();
    await Promise.all(runs.flatMap((run) => [...(run.load === null ? [] : [stopChild(run.load, CHILD_STOP_GRACE_MS)]), ...(run.supervised === null ? [] : [run.supervised.stop()])]));
  }
  return { interrupted: signal?.aborted === true };
}
