// The uvicorn-model supervisor: a process (lab/supervisors/uvicorn/manager-main.ts) that re-creates
// uvicorn's own process manager (`uvicorn --workers N`) around the target's workers, for the strategy's
// kind of handler code (process-manager/code-kinds.ts). The same manager runs as a pod's container
// under the kubelet (both killers nested: kubelet/model.ts).

import { fileURLToPath } from 'node:url';
import { StarveError } from '../../../errors.js';
import { findCodeKind } from '../../../process-manager/code-kinds.js';
import { CHECK_INTERVAL_MS } from '../../../process-manager/healthcheck.js';
import { UVICORN_CONFIG_ENV, type UvicornManagerConfig } from '../../ipc/child-config.js';
import { spawnSupervisor, supervisorProcessConfig } from '../spawn-supervisor.js';
import type { Supervisor, SupervisorContext } from '../types.js';

const MANAGER_ENTRY = fileURLToPath(new URL('./manager-main.js', import.meta.url));

/** The manager's config for a (scaled) healthcheck timeout; `inContainer`: run as a pod's container, its children's grace `gracefulTimeoutMs` (scaled). */
export function managerConfigFor(context: SupervisorContext, healthcheckTimeoutMs: number, inContainer: boolean, gracefulTimeoutMs: number): UvicornManagerConfig {
  const { plan } = context;
  return {
    // No heartbeat file is read under this manager; the worker keeps the lab's usual one unused.
    ...supervisorProcessConfig(context, 'ctime-wall'),
    workers: plan.scenario.workers,
    healthcheckTimeoutMs,
    intervalMs: CHECK_INTERVAL_MS * plan.timeScale,
    inContainer,
    gracefulTimeoutMs,
  };
}

export const uvicornModelSupervisor: Supervisor = {
  name: 'uvicorn-model',
  start(context) {
    const { plan, strategy } = context;
    const { supervisor } = plan;
    if (supervisor.kind !== 'uvicorn' || findCodeKind(strategy) === undefined) throw new StarveError('INVALID_SCENARIO', `"${strategy}" is not a kind of handler code uvicorn's process manager runs.`);
    const config = managerConfigFor(context, supervisor.healthcheckTimeoutMs, false, 0);
    return spawnSupervisor(MANAGER_ENTRY, UVICORN_CONFIG_ENV, config, context, 'uvicorn parent');
  },
};
