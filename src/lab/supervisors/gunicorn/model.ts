// The gunicorn-model supervisor: a master process (lab/supervisors/gunicorn/master-main.ts) that re-creates gunicorn's
// arbiter for the scenario's master preset, running the target's workers on its shared socket.

import { fileURLToPath } from 'node:url';
import { StarveError } from '../../../errors.js';
import { findMaster } from '../../../masters/registry.js';
import { MASTER_CONFIG_ENV, type MasterConfig } from '../../ipc/child-config.js';
import { spawnSupervisor, supervisorProcessConfig } from '../spawn-supervisor.js';
import type { Supervisor } from '../types.js';

const MASTER_ENTRY = fileURLToPath(new URL('./master-main.js', import.meta.url));

export const gunicornModelSupervisor: Supervisor = {
  name: 'gunicorn-model',
  start(context) {
    const { plan } = context;
    const { supervisor } = plan;
    if (supervisor.kind !== 'gunicorn') throw new StarveError('INVALID_SCENARIO', `The gunicorn model cannot supervise a ${supervisor.kind} scenario.`);
    const preset = findMaster(supervisor.master);
    if (preset === undefined) throw new StarveError('INVALID_SCENARIO', `Unknown master preset "${supervisor.master}".`);
    const config: MasterConfig = {
      ...supervisorProcessConfig(context, preset.carrier),
      master: preset.name,
      carrier: preset.carrier,
      bootCountsAsBeat: preset.bootCountsAsBeat,
      workers: plan.scenario.workers,
      timeoutMs: plan.timing.timeoutMs,
      periodMs: plan.timing.masterPeriodMs,
      spawnPauseMaxMs: plan.timing.spawnPauseMaxMs,
      clockSteps: plan.clockSteps,
    };
    return spawnSupervisor(MASTER_ENTRY, MASTER_CONFIG_ENV, config, context, 'master');
  },
};
