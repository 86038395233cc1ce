// The gunicorn-model supervisor: a master process (lab/supervisors/gunicorn/master-main.ts) that re-creates gunicorn's
// arbiter for the scenario's master preset, running the target's workers on its shared socket.

import { fileURLToPath } from 'node:url';
import { StarveError } from '../../../errors.js';
import { findMaster } from '../../../masters/registry.js';
import { MASTER_CONFIG_ENV, type MasterConfig } from '../../ipc/child-config.js';
import { CHILD_STOP_GRACE_MS, LOAD_OVERRUN_MS, READY_TIMEOUT_MS, WORKER_STOP_GRACE_MS } from '../../lab-timing.js';
import { spawnSupervisor } from '../spawn-supervisor.js';
import type { Supervisor } from '../types.js';

const MASTER_ENTRY = fileURLToPath(new URL('./master-main.js', import.meta.url));

export const gunicornModelSupervisor: Supervisor = {
  name: 'gunicorn-model',
  start(context) {
    const { plan, strategy } = context;
    const { supervisor } = plan;
    if (supervisor.kind !== 'gunicorn') throw new StarveError('INVALID_SCENARIO', `The gunicorn model cannot supervise a ${supervisor.kind} scenario.`);
    const preset = findMaster(supervisor.master);
    if (preset === undefined) throw new StarveError('INVALID_SCENARIO', `Unknown master preset "${supervisor.master}".`);
    if (context.target.kind !== 'process') throw new StarveError('BAD_ARGUMENT', `The gunicorn model runs process targets, not "${context.target.name}".`);
    const withDoctor = Object.keys(context.workerEnv).length > 0;
    const config: MasterConfig = {
      master: preset.name,
      carrier: preset.carrier,
      bootCountsAsBeat: preset.bootCountsAsBeat,
      workers: plan.scenario.workers,
      timeoutMs: plan.timing.timeoutMs,
      periodMs: plan.timing.masterPeriodMs,
      spawnPauseMaxMs: plan.timing.spawnPauseMaxMs,
      stamps: plan.stamps,
      port: context.port,
      deadlineMs: READY_TIMEOUT_MS + plan.timing.durationMs + LOAD_OVERRUN_MS + CHILD_STOP_GRACE_MS,
      workerStopSignal: withDoctor ? 'SIGINT' : 'SIGTERM',
      workerStopGraceMs: WORKER_STOP_GRACE_MS,
      captureStacks: context.captureStacks,
      clockSteps: plan.clockSteps,
      tracePath: context.tracePath,
      originNs: context.originNs.toString(),
      worker: context.target.launchWorker({
        plan,
        strategy,
        carrier: preset.carrier,
        captureStacks: context.captureStacks,
        extraEnv: context.workerEnv,
        tracePath: context.tracePath,
        originNs: context.originNs,
      }),
    };
    return spawnSupervisor(MASTER_ENTRY, MASTER_CONFIG_ENV, config, context, 'master');
  },
};
