// The model target: starve-lab's Node re-creation of uvicorn's worker (lab/workers/worker-main.ts).

import { fileURLToPath } from 'node:url';
import { findHealthStrategy } from '../../probes/health-strategies.js';
import { findCodeKind } from '../../process-manager/code-kinds.js';
import { PONG_GIL_ACQUISITIONS } from '../../process-manager/healthcheck.js';
import { podContainerOf, unknownKind } from '../../scenario/supervisor.js';
import type { LabPlan } from '../../scenario/scale-time.js';
import { WORKER_CONFIG_ENV, type WorkerConfig, type WorkerHealth } from '../ipc/child-config.js';
import { LOAD_OVERRUN_MS, OFFLOAD_THREADS } from '../lab-timing.js';
import type { ProcessTarget, TargetContext } from './types.js';

const WORKER_ENTRY = fileURLToPath(new URL('../workers/worker-main.js', import.meta.url));

/** Under the kubelet, how the worker answers its probe (the strategy is a health strategy); null under gunicorn. */
export function workerHealthFor(plan: LabPlan, strategy: string): WorkerHealth | null {
  const { supervisor } = plan;
  switch (supervisor.kind) {
    case 'gunicorn':
      return null;
    case 'kubelet': {
      const health = findHealthStrategy(strategy);
      return health === undefined ? null : { answeredBy: health.answeredBy, path: supervisor.probe.path, loopStaleMs: supervisor.probe.loopStaleMs };
    }
    case 'uvicorn':
      return null;
    default:
      return unknownKind(supervisor);
  }
}

/** The worker's configuration for a strategy: the model's worker and the user's app under the agent read the same. */
export function workerConfigFor({ plan, strategy, carrier, captureStacks, tracePath, originNs }: TargetContext): WorkerConfig {
  const { timing } = plan;
  const container = podContainerOf(plan.supervisor);
  const managedCode = plan.supervisor.kind === 'uvicorn' ? strategy : container?.kind === 'uvicorn' ? container.code : null;
  return {
    // In a pod whose container is a gunicorn master the worker beats for that master too; under
    // uvicorn's manager (alone, or as a pod's container) it answers pings, its code the strategy's or the container's.
    notifier: container?.kind === 'gunicorn' ? container.notifier : strategy,
    health: workerHealthFor(plan, strategy),
    pong: managedCode === null ? null : { gilTakings: PONG_GIL_ACQUISITIONS },
    cpuHoldsGil: findCodeKind(managedCode ?? '')?.cpuHoldsGil ?? false,
    loop: plan.scenario.loop,
    http: plan.scenario.http,
    httpParseMs: timing.httpParseMs,
    httpWriteMs: timing.httpWriteMs,
    carrier,
    tickMs: timing.tickMs,
    timeoutMs: timing.timeoutMs,
    keepAliveMs: timing.keepAliveMs,
    // Longer than the run, so a hang outlives it; bounded, so no loop spins forever.
    maxBlockMs: 2 * timing.durationMs + LOAD_OVERRUN_MS,
    offloadThreads: OFFLOAD_THREADS,
    scenarioModule: plan.scenarioModule,
    clockSteps: plan.clockSteps,
    captureStacks,
    loopWindowMs: timing.masterPeriodMs,
    bootMs: timing.workerBootMs,
    stamps: plan.stamps,
    pollGranularityMs: timing.pollGranularityMs,
    tracePath,
    originNs: originNs.toString(),
  };
}

export const modelTarget: ProcessTarget = {
  kind: 'process',
  name: 'model',
  launchWorker(context) {
    return { command: process.execPath, args: [WORKER_ENTRY], env: { ...context.extraEnv, [WORKER_CONFIG_ENV]: JSON.stringify(workerConfigFor(context)) } };
  },
};
