// The uvicorn-real supervisor: uvicorn's own process manager, for real (`uvicorn --workers N` as
// uvicorn.main.run starts it; python/starve_lab_real/process_manager.py), running starve-lab's routes
// app or the user's. The parent records its own pings, kills and exits in the strategy's trace
// (managed_process.py); this starts it in a process group of its own, learns its port and when a child
// listens from that trace, forwards what progress shows, and stops it with SIGTERM as Ctrl-C would.

import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { StarveError } from '../../../errors.js';
import { findCodeKind } from '../../../process-manager/code-kinds.js';
import type { TraceEvent } from '../../../trace/events.js';
import { MASTER_LOG_FILE } from '../../../trace/run-params.js';
import { CHILD_STOP_GRACE_MS, READY_TIMEOUT_MS } from '../../lab-timing.js';
import { killGroup, stopGroupLeader } from '../../spawn-child.js';
import { msSince } from '../../time-base.js';
import { openTraceWriter } from '../../trace-writer.js';
import { tailTrace } from '../gunicorn/trace-tail.js';
import type { Supervisor } from '../types.js';

/** How often the trace is read for progress and readiness. */
const FOLLOW_EVERY_MS = 50;
/** uvicorn's children finish their requests on SIGTERM; they get this long before SIGKILL. */
const STOP_GRACE_MS = 3000;

/** The events progress shows as they happen. */
function isNotable(event: TraceEvent): boolean {
  return event.type === 'worker-spawn' || event.type === 'worker-exit' || event.type === 'ping';
}

export const uvicornRealSupervisor: Supervisor = {
  name: 'uvicorn-real',
  start(context) {
    const { plan, strategy, target } = context;
    const { supervisor } = plan;
    if (target.kind !== 'asgi') throw new StarveError('BAD_ARGUMENT', `uvicorn's process manager serves ASGI apps, not "${target.name}".`);
    const code = findCodeKind(strategy);
    if (supervisor.kind !== 'uvicorn' || code === undefined) throw new StarveError('INVALID_SCENARIO', `"${strategy}" is not a kind of handler code uvicorn's process manager runs.`);
    const now = (): number => msSince(context.originNs);
    const trace = openTraceWriter(context.tracePath);
    const tail = tailTrace(context.tracePath);
    const log = createWriteStream(join(context.dir, MASTER_LOG_FILE), { flags: 'a' });
    const manager = spawn(target.stack.python, ['-m', 'starve_lab_real.process_manager'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: {
        ...process.env,
        ...context.workerEnv,
        PYTHONPATH: target.pythonPath.join(':'),
        PYTHONUNBUFFERED: '1',
        PYTHONDONTWRITEBYTECODE: '1',
        STARVE_LAB_TRACE: context.tracePath,
        STARVE_LAB_ORIGIN_NS: context.originNs.toString(),
        STARVE_LAB_LOOP: plan.scenario.loop,
        STARVE_LAB_HTTP: plan.scenario.http,
        STARVE_LAB_KEEP_ALIVE_S: String(plan.timing.keepAliveMs / 1000),
        STARVE_LAB_APP: target.app,
        STARVE_LAB_NOTIFIER: strategy,
        STARVE_LAB_PORT: String(context.port),
        STARVE_LAB_WORKERS: String(plan.scenario.workers),
        STARVE_LAB_HEALTHCHECK_TIMEOUT_S: String(supervisor.healthcheckTimeoutMs / 1000),
        STARVE_LAB_PARENT_PID: String(process.pid),
        STARVE_LAB_MAX_BLOCK_MS: String(2 * plan.timing.durationMs),
        ...(code.cpuHoldsGil ? { STARVE_LAB_CPU_HOLDS_GIL: '1' } : {}),
        ...(target.userApp ? { STARVE_LAB_USER_APP: '1' } : {}),
      },
    });
    let lastLine = '';
    for (const stream of [manager.stdout, manager.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        log.write(`${line}\n`);
        if (line.trim() !== '') lastLine = line.trim();
      });
    }
    let port: number | null = null;
    let listening = false;
    let stopping = false;
    let resolveReady: (port: number) => void = () => {};
    let rejectReady: (error: Error) => void = () => {};
    const ready = new Promise<number>((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    ready.catch(() => {});

    const follow = (): void => {
      for (const event of tail.read()) {
        if (event.type === 'master-start') port = event.port;
        if (event.type === 'listening' && !listening && port !== null) {
          listening = true;
          resolveReady(port);
        }
        if (isNotable(event) && !stopping) context.onEvent(event);
      }
    };
    const follower = setInterval(follow, FOLLOW_EVERY_MS);
    const readyTimer = setTimeout(() => rejectReady(new StarveError('CHILD_FAILED', `uvicorn for ${strategy} did not get a child listening within ${READY_TIMEOUT_MS / 1000} s: ${lastLine || 'no output'}.`)), READY_TIMEOUT_MS);
    manager.once('exit', (code, signal) => {
      if (!listening) rejectReady(new StarveError('CHILD_FAILED', `uvicorn for ${strategy} exited (${signal ?? `code ${code}`}) before a child listened: ${lastLine || 'no output'}. See ${join(context.dir, MASTER_LOG_FILE)}.`));
    });
    manager.once('error', (error) => rejectReady(new StarveError('CHILD_FAILED', `Could not start ${target.stack.python}: ${error.message}.`)));

    const stop = async (): Promise<void> => {
      stopping = true;
      clearTimeout(readyTimer);
      // Its SIGTERM handler sets should_exit; the 0.5 s loop then terminates and joins every child.
      await stopGroupLeader(manager, STOP_GRACE_MS + CHILD_STOP_GRACE_MS);
      // Whatever of its group outlived it (a child that was being spawned) goes too.
      killGroup(manager, 'SIGKILL');
      clearInterval(follower);
      follow();
      trace.write({ type: 'master-stop', t: now(), pid: manager.pid ?? -1, reason: 'stopped by orchestrator' });
      trace.close();
      tail.close();
      await new Promise<void>((resolve) => log.end(resolve));
    };
    return { ready, stop, processGroup: manager.pid ?? null };
  },
};
