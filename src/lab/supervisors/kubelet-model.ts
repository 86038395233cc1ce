// The kubelet supervisor: a process (lab/kubelet-main.ts) that runs the target's workers as containers
// and kills them when their liveness probe fails, as the kubelet does, for the strategy's health
// strategy (probes/health-strategies.ts).

import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StarveError } from '../../errors.js';
import { findHealthStrategy } from '../../probes/health-strategies.js';
import { MASTER_LOG_FILE } from '../../trace/run-params.js';
import { KUBELET_CONFIG_ENV, type KubeletConfig } from '../child-config.js';
import { CHILD_STOP_GRACE_MS, LOAD_OVERRUN_MS, READY_TIMEOUT_MS, WORKER_STOP_GRACE_MS } from '../lab-timing.js';
import { masterMessageSchema, onMessage, type MasterMessage } from '../messages.js';
import { spawnNodeChild, stopChild, waitForMessage } from '../spawn-child.js';
import type { Supervisor } from './types.js';

const KUBELET_ENTRY = fileURLToPath(new URL('../kubelet-main.js', import.meta.url));

export const kubeletModelSupervisor: Supervisor = {
  name: 'kubelet',
  start(context) {
    const { plan, strategy } = context;
    const health = findHealthStrategy(strategy);
    if (plan.probe === null || health === undefined) throw new StarveError('INVALID_SCENARIO', `"${strategy}" is not a health strategy the kubelet can probe.`);
    if (context.target.kind !== 'process') throw new StarveError('BAD_ARGUMENT', `The kubelet runs process targets, not "${context.target.name}".`);
    const config: KubeletConfig = {
      strategy,
      probe: { kind: health.probe, ...plan.probe },
      workers: plan.scenario.workers,
      port: context.port,
      // The exec probe's heartbeat file: its ctime on the wall clock, touched by the loop.
      carrier: 'ctime-wall',
      stamps: plan.timeScale < 1 ? 'precise' : 'kernel',
      secondMs: 1000 * plan.timeScale,
      timeScale: plan.timeScale,
      deadlineMs: READY_TIMEOUT_MS + plan.timing.durationMs + LOAD_OVERRUN_MS + CHILD_STOP_GRACE_MS,
      workerStopSignal: Object.keys(context.workerEnv).length > 0 ? 'SIGINT' : 'SIGTERM',
      workerStopGraceMs: WORKER_STOP_GRACE_MS,
      captureStacks: context.captureStacks,
      tracePath: context.tracePath,
      originNs: context.originNs.toString(),
      worker: context.target.launchWorker({
        plan,
        strategy,
        carrier: 'ctime-wall',
        captureStacks: context.captureStacks,
        extraEnv: context.workerEnv,
        tracePath: context.tracePath,
        originNs: context.originNs,
      }),
    };
    const logFd = openSync(join(context.dir, MASTER_LOG_FILE), 'a');
    const kubelet = spawnNodeChild(KUBELET_ENTRY, { [KUBELET_CONFIG_ENV]: JSON.stringify(config) }, ['ignore', logFd, logFd, 'ipc']);
    closeSync(logFd);
    onMessage(kubelet, masterMessageSchema, (message) => {
      if (message.type === 'event') context.onEvent(message.event);
    }, `the kubelet for ${strategy}`);
    const ready = waitForMessage(kubelet, masterMessageSchema, `kubelet for ${strategy}`, READY_TIMEOUT_MS, (message: MasterMessage) =>
      message.type === 'event' ? undefined : message,
    ).then((reply) => {
      if (reply.type === 'failed') throw new StarveError(reply.code, reply.message, reply.hint === null ? {} : { hint: reply.hint });
      return reply.port;
    });
    return { ready, stop: () => stopChild(kubelet, CHILD_STOP_GRACE_MS) };
  },
};
