// A cell's values laid over the sweep's scenario (pure): the scenario a cell runs is the base one with
// these fields changed, and the one validator judges it as it judges any scenario.

import { unknownKind, type SupervisorSpec } from '../scenario/supervisor.js';
import type { DurationSpec, RouteSpec, Scenario } from '../scenario/types.js';
import type { CellValues } from './cells.js';

function meanOf(ms: DurationSpec): number {
  return typeof ms === 'number' ? ms : (ms.min + ms.max) / 2;
}

/** The CPU-bound routes (`cpu`, and `gil`: the same burn holding the GIL). */
const burnsCpu = (route: RouteSpec): boolean => route.kind === 'cpu' || route.kind === 'gil';

/** The CPU-bound routes' mean handler time, weighted as the load draws them; null without cpu routes. */
export function cpuMeanMs(routes: readonly RouteSpec[]): number | null {
  const cpu = routes.filter(burnsCpu);
  const weight = cpu.reduce((sum, route) => sum + route.weight, 0);
  if (cpu.length === 0 || weight === 0) return null;
  return cpu.reduce((sum, route) => sum + route.weight * meanOf(route.ms), 0) / weight;
}

function scaleDuration(ms: DurationSpec, factor: number): DurationSpec {
  if (typeof ms === 'number') return Math.round(ms * factor);
  return { min: Math.round(ms.min * factor), max: Math.round(ms.max * factor) };
}

/** Every cpu route scaled by one factor, so their mean is `meanMs` and each keeps its relative spread. */
export function withCpuMean(routes: readonly RouteSpec[], meanMs: number): RouteSpec[] {
  const current = cpuMeanMs(routes);
  if (current === null || current === 0) return [...routes];
  const factor = meanMs / current;
  return routes.map((route) => (burnsCpu(route) ? { ...route, ms: scaleDuration(route.ms, factor) } : route));
}

/** The supervisor's own knobs a cell sets (the sweep refuses another kind's knobs before anything starts). */
function applySupervisorValues(supervisor: SupervisorSpec, values: CellValues): void {
  switch (supervisor.kind) {
    case 'gunicorn':
      if (values.timeout !== undefined) supervisor.timeoutMs = values.timeout;
      return;
    case 'kubelet':
      if (values['probe-timeout'] !== undefined) supervisor.probe.timeoutMs = values['probe-timeout'];
      if (values['probe-period'] !== undefined) supervisor.probe.periodMs = values['probe-period'];
      if (values['failure-threshold'] !== undefined) supervisor.probe.failureThreshold = values['failure-threshold'];
      return;
    case 'uvicorn':
      if (values['healthcheck-timeout'] !== undefined) supervisor.healthcheckTimeoutMs = values['healthcheck-timeout'];
      return;
    default:
      unknownKind(supervisor);
  }
}

/** The supervisor's own values of its knobs. */
function supervisorValues(supervisor: SupervisorSpec): CellValues {
  switch (supervisor.kind) {
    case 'gunicorn':
      return { timeout: supervisor.timeoutMs };
    case 'kubelet':
      return { 'probe-timeout': supervisor.probe.timeoutMs, 'probe-period': supervisor.probe.periodMs, 'failure-threshold': supervisor.probe.failureThreshold };
    case 'uvicorn':
      return { 'healthcheck-timeout': supervisor.healthcheckTimeoutMs };
    default:
      return unknownKind(supervisor);
  }
}

/** The scenario of one cell: the base with the cell's values set, its name kept. */
export function applyCell(base: Scenario, values: CellValues): Scenario {
  const scenario: Scenario = structuredClone(base);
  if (values.clients !== undefined) scenario.load.clients = values.clients;
  if (values.think !== undefined) scenario.load.thinkMs = values.think;
  if (values.cpu !== undefined) scenario.load.routes = withCpuMean(scenario.load.routes, values.cpu);
  if (values.workers !== undefined) scenario.workers = values.workers;
  if (values.duration !== undefined) scenario.durationMs = values.duration;
  // An open load has no think time: its requests arrive at their rate, not after a pause.
  if (values.arrivals !== undefined) scenario.load = { ...scenario.load, thinkMs: 0, arrivalsPerS: values.arrivals };
  applySupervisorValues(scenario.supervisor, values);
  return scenario;
}

/** The base scenario's own value of each parameter: where its workload sits on the map. */
export function baseValues(base: Scenario): CellValues {
  const cpu = cpuMeanMs(base.load.routes);
  return {
    clients: base.load.clients,
    think: base.load.thinkMs,
    workers: base.workers,
    duration: base.durationMs,
    ...(cpu === null ? {} : { cpu }),
    ...(base.load.arrivalsPerS === undefined ? {} : { arrivals: base.load.arrivalsPerS }),
    ...supervisorValues(base.supervisor),
  };
}
