// The kubelet supervisor: a process (lab/supervisors/kubelet/kubelet-main.ts) that runs the target's workers as containers
// and kills them when their liveness probe fails, as the kubelet does, for the strategy's health
// strategy (probes/health-strategies.ts). With the scenario's `container`, one pod whose container is a
// master with its workers (gunicorn's master-main.ts or uvicorn's manager-main.ts): both killers at once, nested.

import { fileURLToPath } from 'node:url';
import { StarveError } from '../../../errors.js';
import { findHealthStrategy } from '../../../probes/health-strategies.js';
import { livenessKillGraceMs } from '../../../probes/types.js';
import type { PodContainer } from '../../../scenario/supervisor.js';
import { KUBELET_CONFIG_ENV, type ContainerLaunch, type KubeletConfig } from '../../ipc/child-config.js';
import { masterConfigFor, presetOf } from '../gunicorn/model.js';
import { managerConfigFor } from '../uvicorn/model.js';
import { spawnSupervisor, supervisorProcessConfig } from '../spawn-supervisor.js';
import type { Supervisor, SupervisorContext } from '../types.js';

const KUBELET_ENTRY = fileURLToPath(new URL('./kubelet-main.js', import.meta.url));

/**
 * The container's master, when the pod's container is one: gunicorn's (its workers SIGTERMed at the
 * kubelet's kill and given graceful_timeout) or uvicorn's process manager (terminate_all joins each
 * child with no timeout: only the kubelet's SIGKILL after the pod's grace ends a child that does not stop).
 */
function containerLaunch(context: SupervisorContext, inner: PodContainer | null): ContainerLaunch | null {
  const { plan } = context;
  if (inner === null || plan.supervisor.kind !== 'kubelet') return null;
  if (inner.kind === 'gunicorn') return { supervisor: 'gunicorn', config: masterConfigFor(context, presetOf(inner.master), plan.timing.timeoutMs, true) };
  const killGraceMs = livenessKillGraceMs(plan.supervisor.probe, plan.timing.secondMs);
  return { supervisor: 'uvicorn', config: managerConfigFor(context, inner.timeoutMs, true, 2 * killGraceMs) };
}

export const kubeletModelSupervisor: Supervisor = {
  name: 'kubelet',
  start(context) {
    const { plan, strategy } = context;
    const { supervisor } = plan;
    const health = findHealthStrategy(strategy);
    if (supervisor.kind !== 'kubelet' || health === undefined) throw new StarveError('INVALID_SCENARIO', `"${strategy}" is not a health strategy the kubelet can probe.`);
    const inner = supervisor.container ?? null;
    const preset = inner?.kind === 'gunicorn' ? presetOf(inner.master) : null;
    // The exec probe's heartbeat file: its ctime on the wall clock, touched by the loop. Nested under
    // gunicorn, the workers beat for their master, on its preset's carrier.
    const carrier = preset?.carrier ?? 'ctime-wall';
    const config: KubeletConfig = {
      ...supervisorProcessConfig(context, carrier),
      strategy,
      probe: { kind: health.probe, ...supervisor.probe },
      // Nested: one pod, one container; `workers` are its master's.
      workers: inner === null ? plan.scenario.workers : 1,
      carrier,
      secondMs: plan.timing.secondMs,
      plegRelistMs: plan.timing.plegRelistMs,
      backoffInitialMs: plan.timing.backoffInitialMs,
      backoffMaxMs: plan.timing.backoffMaxMs,
      container: containerLaunch(context, inner),
    };
    return spawnSupervisor(KUBELET_ENTRY, KUBELET_CONFIG_ENV, config, context, 'kubelet');
  },
};
