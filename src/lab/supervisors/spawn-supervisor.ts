// Starting a supervisor process of ours (gunicorn's re-created arbiter, the kubelet) for one strategy:
// its config in one environment variable, its output in the strategy's master.log, its notable events
// forwarded for progress, and ready once it reports the port the load should use (or why it failed).

import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { StarveError } from '../../errors.js';
import { MASTER_LOG_FILE } from '../../trace/run-params.js';
import { CHILD_STOP_GRACE_MS, READY_TIMEOUT_MS } from '../lab-timing.js';
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
  return { ready, stop: () => stopChild(child, CHILD_STOP_GRACE_MS) };
}
