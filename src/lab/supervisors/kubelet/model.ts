// The kubelet supervisor: a process (lab/supervisors/kubelet/kubelet-main.ts) that runs the target's workers as containers
// and kills them when their liveness probe fails, as the kubelet does, for the strategy's health
// strategy (probes/health-strategies.ts).

import { fileURLToPath } from 'node:url';
import { StarveError } from '../../../errors.js';
import { findHealthStrategy } from '../../../probes/health-strategies.js';
import { KUBELET_CONFIG_ENV, type KubeletConfig } from '../../ipc/child-config.js';
import { CHILD_STOP_GRACE_MS, LOAD_OVERRUN_MS, READY_TIMEOUT_MS, WORKER_STOP_GRACE_MS } from '../../lab-timing.js';
import { spawnSupervisor } from '../spawn-supervisor.js';
import type { Supervisor } from '../types.js';

const KUBELET_ENTRY = fileURLToPath(new URL('./kubelet-main.js', import.meta.url));

export const kubeletModelSupervisor: Supervisor = {
  name: 'kubelet',
  start(context) {
    const { plan, strategy } = context;
    const { supervisor } = plan;
    const health = findHealthStrategy(strategy);
    if (supervisor.kind !== 'kubelet' || health === undefined) throw new StarveError('INVALID_SCENARIO', `"${strategy}" is not a health strategy the kubelet can probe.`);
    if (context.target.kind !== 'process') throw new StarveError('BAD_ARGUMENT', `The kubelet runs process targets, not "${context.target.name}".`);
    const config: KubeletConfig = {
      strategy,
      probe: { kind: health.probe, ...supervisor.probe },
      workers: plan.scenario.workers,
      port: context.port,
      // The exec probe's heartbeat file: its ctime on the wall clock, touched by the loop.
      carrier: 'ctime-wall',
      stamps: plan.stamps,
      secondMs: plan.timing.secondMs,
      plegRelistMs: plan.timing.plegRelistMs,
      backoffInitialMs: plan.timing.backoffInitialMs,
      backoffMaxMs: plan.timing.backoffMaxMs,
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
    return spawnSupervisor(KUBELET_ENTRY, KUBELET_CONFIG_ENV, config, context, 'kubelet');
  },
};
