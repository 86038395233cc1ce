// The gunicorn-model supervisor: a master process (lab/supervisors/gunicorn/master-main.ts) that re-creates gunicorn's
// arbiter for the scenario's master preset, running the target's workers on its shared socket. The same
// master runs as a pod's container under the kubelet (both killers nested: kubelet/model.ts).

import { fileURLToPath } from 'node:url';
import { StarveError } from '../../../errors.js';
import { findMaster } from '../../../masters/registry.js';
import type { MasterPreset } from '../../../masters/types.js';
import { MASTER_CONFIG_ENV, type MasterConfig } from '../../ipc/child-config.js';
import { spawnSupervisor, supervisorProcessConfig } from '../spawn-supervisor.js';
import type { Supervisor, SupervisorContext } from '../types.js';

const MASTER_ENTRY = fileURLToPath(new URL('./master-main.js', import.meta.url));

/** gunicorn's default graceful_timeout: how long its workers get after SIGTERM before SIGKILL. */
export const NOMINAL_GRACEFUL_TIMEOUT_MS = 30_000;

export function presetOf(master: string): MasterPreset {
  const preset = findMaster(master);
  if (preset === undefined) throw new StarveError('INVALID_SCENARIO', `Unknown master preset "${master}".`);
  return preset;
}

/** The master's config for a preset and its (scaled) --timeout; `inContainer`: run as a pod's container. */
export function masterConfigFor(context: SupervisorContext, preset: MasterPreset, timeoutMs: number, inContainer: boolean): MasterConfig {
  const { plan } = context;
  return {
    ...supervisorProcessConfig(context, preset.carrier),
    master: preset.name,
    carrier: preset.carrier,
    bootCountsAsBeat: preset.bootCountsAsBeat,
    workers: plan.scenario.workers,
    timeoutMs,
    periodMs: plan.timing.masterPeriodMs,
    spawnPauseMaxMs: plan.timing.spawnPauseMaxMs,
    clockSteps: plan.clockSteps,
    inContainer,
    gracefulTimeoutMs: NOMINAL_GRACEFUL_TIMEOUT_MS * plan.timeScale,
  };
}

export const gunicornModelSupervisor: Supervisor = {
  name: 'gunicorn-model',
  start(context) {
    const { supervisor } = context.plan;
    if (supervisor.kind !== 'gunicorn') throw new StarveError('INVALID_SCENARIO', `The gunicorn model cannot supervise a ${supervisor.kind} scenario.`);
    const config = masterConfigFor(context, presetOf(supervisor.master), context.plan.timing.timeoutMs, false);
    return spawnSupervisor(MASTER_ENTRY, MASTER_CONFIG_ENV, config, context, 'master');
  },
};
