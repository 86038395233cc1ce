// The gunicorn-real supervisor: the real gunicorn master running real uvicorn workers (one worker
// class per heartbeat rule, python/starve_lab_real/workers.py), observed from outside as the master
// itself judges them: each worker's heartbeat is its unlinked temp file's ctime (gunicorn <= 21) or the
// monotonic time in its mtime (>= 22), read through the master's open descriptors under /proc; kills,
// exits and respawns come from gunicorn's own log lines.

import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { StarveError } from '../../../errors.js';
import { decodeGunicornLogLine, signalName, type GunicornLogEntry } from '../../../decode/gunicorn-log.js';
import { findHeartbeatFd } from '../../../decode/proc-entries.js';
import { decodePythonTraceback } from '../../../decode/python-traceback.js';
import type { TraceEvent } from '../../../trace/events.js';
import { MASTER_LOG_FILE } from '../../../trace/run-params.js';
import { CHILD_STOP_GRACE_MS, READY_TIMEOUT_MS } from '../../lab-timing.js';
import { isRunning, stopGroupLeader } from '../../spawn-child.js';
import { isPidRunning } from '../../stop-children.js';
import { PYTHON_DIR } from '../../targets/python-target.js';
import { monotonicMs, msSince } from '../../time-base.js';
import { findMaster } from '../../../masters/registry.js';
import { tailTrace } from './trace-tail.js';
import { openTraceWriter } from '../../trace-writer.js';
import type { Supervisor } from '../types.js';

/** How often the observer reads the heartbeat files (the master itself checks once a second). */
const OBSERVE_EVERY_MS = 50;
/** gunicorn's graceful timeout for the end of a run: workers get this long after SIGTERM. */
const GRACEFUL_TIMEOUT_S = 3;

/** The worker class of each heartbeat rule: uvicorn's worker with the rule (workers.py), or gunicorn's own ASGI worker. */
const WORKER_CLASSES: Record<string, string> = {
  'tick-count': 'starve_lab_real.workers.TickCountWorker',
  'wall-clock': 'starve_lab_real.workers.WallClockWorker',
  'wall-clock-full-timeout': 'starve_lab_real.workers.WallClockFullTimeoutWorker',
  'every-tick': 'starve_lab_real.workers.EveryTickWorker',
  thread: 'starve_lab_real.workers.ThreadWorker',
  'gunicorn-asgi': 'starve_lab_real.asgi_worker.TracedAsgiWorker',
};

interface ObservedWorker {
  pid: number;
  heartbeatFile: string | null;
  fd: number | null;
  lastStampMs: number | null;
  lastBeatT: number;
  aborted: boolean;
  abortedT: number | null;
  exited: boolean;
}

export const gunicornRealSupervisor: Supervisor = {
  name: 'gunicorn-real',
  start(context) {
    const { plan, strategy, target } = context;
    if (target.kind !== 'asgi') throw new StarveError('BAD_ARGUMENT', `Real gunicorn serves ASGI apps, not "${target.name}".`);
    const workerClass = WORKER_CLASSES[strategy];
    if (workerClass === undefined) throw new StarveError('BAD_ARGUMENT', `No real-stack worker class for "${strategy}".`);
    const originNs = context.originNs;
    const originMs = Number(originNs) / 1e6;
    const now = (): number => msSince(originNs);
    // choose-stack.ts set the preset from the installed gunicorn's version.
    const preset = plan.scenario.supervisor.kind === 'gunicorn' ? findMaster(plan.scenario.supervisor.master) : undefined;
    if (preset === undefined) throw new StarveError('BAD_ARGUMENT', 'Real gunicorn runs under a gunicorn master preset.');
    const monotonicCarrier = preset.carrier === 'mtime-monotonic';
    const trace = openTraceWriter(context.tracePath);
    const tail = tailTrace(context.tracePath);
    const log = createWriteStream(join(context.dir, MASTER_LOG_FILE), { flags: 'a' });
    const record = (event: TraceEvent, notable = true): void => {
      trace.write(event);
      if (notable) context.onEvent(event);
    };
    const timeoutS = plan.timing.timeoutMs / 1000;
    const args = [
      '-m', 'gunicorn',
      '--config', join(PYTHON_DIR, 'starve_lab_real', 'gunicorn_conf.py'),
      '--bind', `127.0.0.1:${context.port}`,
      '--workers', String(plan.scenario.workers),
      '--timeout', String(timeoutS),
      '--keep-alive', String(plan.timing.keepAliveMs / 1000),
      '--graceful-timeout', String(GRACEFUL_TIMEOUT_S),
      '--worker-class', workerClass,
      // gunicorn's ASGI worker picks its loop itself (uvloop when installed); uvicorn's take the scenario's from starve-lab's settings.
      ...(strategy === 'gunicorn-asgi' ? ['--asgi-loop', plan.scenario.loop] : []),
      '--pythonpath', target.pythonPath.join(','),
      '--error-logfile', '-',
      '--log-level', 'info',
      target.app,
    ];
    const master = spawn(target.stack.python, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
      env: {
        ...process.env,
        ...context.workerEnv,
        // gunicorn reads its config file (which imports starve_lab_real) before it applies --pythonpath.
        PYTHONPATH: target.pythonPath.join(':'),
        STARVE_LAB_TRACE: context.tracePath,
        STARVE_LAB_ORIGIN_NS: originNs.toString(),
        STARVE_LAB_LOOP: plan.scenario.loop,
        STARVE_LAB_HTTP: plan.scenario.http,
        ...(target.userApp ? { STARVE_LAB_USER_APP: '1' } : {}),
        STARVE_LAB_PARENT_PID: String(process.pid),
        STARVE_LAB_MAX_BLOCK_MS: String(2 * plan.timing.durationMs),
        ...(context.captureStacks ? { STARVE_LAB_STACKS_DIR: context.dir } : {}),
        PYTHONUNBUFFERED: '1',
        PYTHONDONTWRITEBYTECODE: '1',
      },
    });
    const masterPid = master.pid ?? -1;
    const workers = new Map<number, ObservedWorker>();
    // A worker may name its heartbeat file before gunicorn's "Booting worker" line reaches us.
    const heartbeatFiles = new Map<number, string>();
    let spawned = 0;
    let port: number | null = null;
    let listening = false;
    let stopping = false;
    let failure: string | null = null;
    let resolveReady: (port: number) => void = () => {};
    let rejectReady: (error: Error) => void = () => {};
    const ready = new Promise<number>((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    ready.catch(() => {});

    const onLog = (entry: GunicornLogEntry): void => {
      const t = now();
      switch (entry.kind) {
        case 'listening':
          port = entry.port;
          record({ type: 'master-start', t, pid: entry.masterPid, master: 'gunicorn-real', timeoutMs: plan.timing.timeoutMs, periodMs: 1000, port: entry.port });
          return;
        case 'booting':
          spawned++;
          workers.set(entry.pid, { pid: entry.pid, heartbeatFile: null, fd: null, lastStampMs: null, lastBeatT: t, aborted: false, abortedT: null, exited: false });
          // gunicorn <= 21 stamps the file's ctime when it makes it: boot counts as a heartbeat; >= 22 waits for the first notify.
          record({ type: 'worker-spawn', t, pid: entry.pid, worker: spawned, bootCountsAsBeat: preset.bootCountsAsBeat, respawn: spawned > plan.scenario.workers });
          return;
        case 'worker-timeout': {
          const worker = workers.get(entry.pid);
          if (worker !== undefined) {
            worker.aborted = true;
            worker.abortedT = t;
          }
          record({ type: 'worker-timeout', t, pid: entry.pid, ageMs: t - (worker?.lastBeatT ?? t) });
          record({ type: 'signal', t, pid: entry.pid, signal: 'SIGABRT' }, false);
          return;
        }
        case 'terminated-by-signal': {
          const worker = workers.get(entry.pid);
          if (worker?.exited === true) return;
          if (worker !== undefined) worker.exited = true;
          if (entry.signal === 9 && worker?.aborted === true) record({ type: 'signal', t, pid: entry.pid, signal: 'SIGKILL' });
          record({ type: 'worker-exit', t, pid: entry.pid, code: null, signal: signalName(entry.signal) }, !stopping);
          return;
        }
        case 'worker-exiting': {
          const worker = workers.get(entry.pid);
          if (worker !== undefined) worker.exited = true;
          record({ type: 'worker-exit', t, pid: entry.pid, code: 0, signal: stopping ? 'SIGTERM' : null }, false);
          return;
        }
        case 'shutting-down':
          return;
        case 'worker-boot-failed':
          failure = entry.reason;
          return;
        case 'error':
          failure ??= entry.text;
          return;
      }
    };

    const lines = createInterface({ input: master.stderr });
    lines.on('line', (line) => {
      log.write(`${line}\n`);
      const entry = decodeGunicornLogLine(line);
      if (entry !== null) onLog(entry);
    });

    /** The master's open descriptors, fd -> link target. */
    const masterLinks = (): Map<number, string> => {
      const links = new Map<number, string>();
      const dir = `/proc/${masterPid}/fd`;
      for (const name of readdirSync(dir)) {
        try {
          links.set(Number(name), readlinkSync(join(dir, name)));
        } catch {
          // Closed between the listing and the read.
        }
      }
      return links;
    };

    const observe = (): void => {
      for (const event of tail.read()) {
        if (event.type === 'worker-start' && event.heartbeatFile !== undefined) heartbeatFiles.set(event.pid, event.heartbeatFile);
        if (event.type === 'listening' && !listening && port !== null) {
          listening = true;
          resolveReady(port);
        }
      }
      if (!isRunning(master)) return;
      let links: Map<number, string> | null = null;
      for (const worker of workers.values()) {
        worker.heartbeatFile ??= heartbeatFiles.get(worker.pid) ?? null;
        if (worker.exited || worker.heartbeatFile === null) continue;
        try {
          if (worker.fd === null) worker.fd = findHeartbeatFd((links ??= masterLinks()), worker.heartbeatFile);
          if (worker.fd === null) continue;
          const stat = statSync(`/proc/${masterPid}/fd/${worker.fd}`);
          const stampMs = monotonicCarrier ? stat.mtimeMs : stat.ctimeMs;
          // gunicorn >= 22: a fresh file's mtime is its creation on the wall clock, not a beat.
          if (monotonicCarrier && stampMs > monotonicMs() + 60_000) continue;
          if (stampMs !== worker.lastStampMs) {
            const t = now();
            // What the master compares: the ctime with the wall clock (gunicorn <= 21), the mtime with the monotonic clock (>= 22).
            const beatT = monotonicCarrier ? stampMs - originMs : stampMs - Date.now() + t;
            // The first stamp seen may still be the file's creation (the boot, already counted).
            if (worker.lastStampMs !== null || beatT > worker.lastBeatT + 1) record({ type: 'heartbeat', t, pid: worker.pid, beatT });
            worker.lastStampMs = stampMs;
            worker.lastBeatT = Math.max(worker.lastBeatT, beatT);
          }
        } catch {
          // The worker (and its file) went away between two looks; gunicorn's log says how.
          worker.fd = null;
        }
      }
    };
    const observer = setInterval(observe, OBSERVE_EVERY_MS);

    const readyTimer = setTimeout(() => rejectReady(new StarveError('CHILD_FAILED', `gunicorn for ${strategy} did not get a worker listening within ${READY_TIMEOUT_MS / 1000} s${failure === null ? '' : `: ${failure}`}.`)), READY_TIMEOUT_MS);
    master.once('exit', (code, signal) => {
      if (!listening) rejectReady(new StarveError('CHILD_FAILED', `gunicorn for ${strategy} exited (${signal ?? `code ${code}`}) before a worker listened${failure === null ? '' : `: ${failure}`}. See ${join(context.dir, MASTER_LOG_FILE)}.`));
    });
    master.once('error', (error) => rejectReady(new StarveError('CHILD_FAILED', `Could not start ${target.stack.python}: ${error.message}.`)));

    const stop = async (): Promise<void> => {
      stopping = true;
      clearTimeout(readyTimer);
      await stopGroupLeader(master, GRACEFUL_TIMEOUT_S * 1000 + CHILD_STOP_GRACE_MS);
      clearInterval(observer);
      observe();
      // Workers whose end gunicorn did not log were stopped with it.
      for (const worker of workers.values()) {
        if (!worker.exited && !isPidRunning(worker.pid)) record({ type: 'worker-exit', t: now(), pid: worker.pid, code: 0, signal: 'SIGTERM' }, false);
      }
      // --stacks: faulthandler wrote each aborted worker's traceback as gunicorn's SIGABRT hit it.
      for (const worker of workers.values()) {
        const file = join(context.dir, `stack-${worker.pid}.txt`);
        const frames = existsSync(file) ? decodePythonTraceback(readFileSync(file, 'utf8')) : [];
        if (worker.aborted && frames.length > 0) record({ type: 'stack', t: worker.abortedT ?? now(), pid: worker.pid, frames }, false);
        else if (worker.aborted && context.captureStacks) record({ type: 'stack-unavailable', t: worker.abortedT ?? now(), pid: worker.pid, reason: 'faulthandler wrote no traceback (the worker died before it could)' }, false);
      }
      record({ type: 'master-stop', t: now(), pid: masterPid, reason: 'stopped by orchestrator' }, false);
      trace.close();
      tail.close();
      await new Promise<void>((resolve) => log.end(resolve));
    };
    return { ready, stop, processGroup: master.pid ?? null };
  },
};
