// Starting a supervisor process of ours (gunicorn's re-created arbiter, the kubelet) for one strategy:
// its config in one environment variable, its output in the strategy's master.log, its notable events
// forwarded for progress, and ready once it reports the port the load should use (or why it failed).

import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { StarveError } from '../../errors.js';
import { MASTER_LOG_FILE } from '../../trace/run-params.js';
import { CHILD_STOP_GRACE_MS, LOAD_OVERRUN_MS, READY_TIMEOUT_MS, WORKER_STOP_GRACE_MS } from '../lab-timing.js';
import type { HeartbeatCarrier } from '../../masters/types.js';
import type { CommonSupervisorConfig } from '../ipc/child-config.js';
import { masterMessageSchema, onMessage, type MasterMessage } from '../ipc/to-orchestrator.js';
import { spawnNodeChild, stopChild, waitForMessage } from '../spawn-child.js';
import type { SupervisedStrategy, SupervisorContext } from './types.js';

/** `who`: how messages name it (`master`, `kubelet`). */
export function spawnSupervisor(entry: string, configEnv: string, config: object, context: SupervisorContext, who: string): SupervisedStrategy {
  const { strategy } = context;
  const logFd = openSync(join(context.dir, MASTER_LOG_FILE), 'a');
  const child = spawnNodeChild(entry, { [configEnv]: JSON.stringify(config) }, ['ignore', logFd, logFd, 'ipc']);
  closeSync(logFd);
  onMessage(child, masterMessageSchema, (message) => {
    if (message.type === 'event') context.onEvent(message.event);
  }, `the ${who} for ${strategy}`);
  const ready = waitForMessage(child, masterMessageSchema, `${who} for ${strategy}`, READY_TIMEOUT_MS, (message: MasterMessage) =>
    message.type === 'event' ? undefined : message,
  ).then((reply) => {
    if (reply.type === 'failed') throw new StarveError(reply.code, reply.message, reply.hint === null ? {} : { hint: reply.hint });
    return reply.port;
  });
  return { ready, stop: () => stopChild(child, CHILD_STOP_GRACE_MS), processGroup: child.pid ?? null };
}

/**
 * What every supervisor process of ours is told alike: its port, the deadline it stops by whatever
 * happens, how its workers are stopped (SIGINT under Clinic.js Doctor, whose sampler flushes on it),
 * its trace, and the worker the target launches with the heartbeat carrier it will read.
 */
export function supervisorProcessConfig(context: SupervisorContext, carrier: HeartbeatCarrier): CommonSupervisorConfig {
  const { plan, strategy } = context;
  if (context.target.kind !== 'process') throw new StarveError('BAD_ARGUMENT', `starve-lab's own supervisors run process targets, not "${context.target.name}".`);
  return {
    port: context.port,
    deadlineMs: READY_TIMEOUT_MS + plan.timing.durationMs + LOAD_OVERRUN_MS + CHILD_STOP_GRACE_MS,
    workerStopSignal: Object.keys(context.workerEnv).length > 0 ? 'SIGINT' : 'SIGTERM',
    workerStopGraceMs: WORKER_STOP_GRACE_MS,
    captureStacks: context.captureStacks,
    stamps: plan.stamps,
    tracePath: context.tracePath,
    originNs: context.originNs.toString(),
    worker: context.target.launchWorker({ plan, strategy, carrier, captureStacks: context.captureStacks, extraEnv: context.workerEnv, tracePath: context.tracePath, originNs: context.originNs }),
  };
}
