// The kubelet supervisor: a process (lab/supervisors/kubelet/kubelet-main.ts) that runs the target's workers as containers
// and kills them when their liveness probe fails, as the kubelet does, for the strategy's health
// strategy (probes/health-strategies.ts).

import { fileURLToPath } from 'node:url';
import { StarveError } from '../../../errors.js';
import { findHealthStrategy } from '../../../probes/health-strategies.js';
import { KUBELET_CONFIG_ENV, type KubeletConfig } from '../../ipc/child-config.js';
import { spawnSupervisor, supervisorProcessConfig } from '../spawn-supervisor.js';
import type { Supervisor } from '../types.js';

const KUBELET_ENTRY = fileURLToPath(new URL('./kubelet-main.js', import.meta.url));

export const kubeletModelSupervisor: Supervisor = {
  name: 'kubelet',
  start(context) {
    const { plan, strategy } = context;
    const { supervisor } = plan;
    const health = findHealthStrategy(strategy);
    if (supervisor.kind !== 'kubelet' || health === undefined) throw new StarveError('INVALID_SCENARIO', `"${strategy}" is not a health strategy the kubelet can probe.`);
    // The exec probe's heartbeat file: its ctime on the wall clock, touched by the loop.
    const config: KubeletConfig = {
      ...supervisorProcessConfig(context, 'ctime-wall'),
      strategy,
      probe: { kind: health.probe, ...supervisor.probe },
      workers: plan.scenario.workers,
      carrier: 'ctime-wall',
      secondMs: plan.timing.secondMs,
      plegRelistMs: plan.timing.plegRelistMs,
      backoffInitialMs: plan.timing.backoffInitialMs,
      backoffMaxMs: plan.timing.backoffMaxMs,
    };
    return spawnSupervisor(KUBELET_ENTRY, KUBELET_CONFIG_ENV, config, context, 'kubelet');
  },
};
