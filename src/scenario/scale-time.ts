// Compressed time: every duration of a scenario multiplied by one factor, so the outcome is kept (pure).

import { NOMINAL_MASTER_PERIOD_MS, NOMINAL_SPAWN_PAUSE_MAX_MS } from '../masters/types.js';
import { NOMINAL_TICK_MS } from '../notifiers/types.js';
import { BACKOFF_INITIAL_MS, BACKOFF_MAX_MS } from '../probes/crash-loop-backoff.js';
import { heartbeatTimeoutMs, scaleSupervisor, unknownKind, type SupervisorSpec } from './supervisor.js';
import type { ClockStep, DurationSpec, RouteSpec, Scenario } from './types.js';

/** gunicorn's default keepalive (2 s), which uvicorn's gunicorn worker uses as its keep-alive timeout. */
export const NOMINAL_KEEP_ALIVE_MS = 2000;
/**
 * Plain uvicorn's own default (Config timeout_keep_alive = 5, 0.17 and still today): a container under the
 * kubelet runs uvicorn without gunicorn, so nothing lowers it to gunicorn's 2 s.
 */
export const NOMINAL_UVICORN_KEEP_ALIVE_MS = 5000;

/**
 * How long uvicorn's gunicorn worker takes from fork to its tick 0 (init_process: signals, loading the
 * ASGI app, lifespan startup, the server on the inherited socket), measured on the real stack
 * (gunicorn 20.1.0 + uvicorn 0.17.6, our routes app): 80-115 ms. The model's worker is started ahead
 * of time (lab/supervisors/gunicorn/master-main.ts, spare workers) and waits this long, scaled, after its "fork".
 */
export const NOMINAL_WORKER_BOOT_MS = 90;

/** asyncio's poll rounds its timeout up to this (CPython's select/epoll take whole milliseconds). */
export const ASYNCIO_POLL_GRANULARITY_MS = 1;
/** The kubelet's PLEG relists containers every second: an exit is noticed, and the restart begun, up to 1 s later. */
export const NOMINAL_PLEG_RELIST_MS = 1000;
/**
 * Loop time uvicorn's h11 protocol spends per request beyond httptools': it parses the request and
 * serialises the response in pure Python (h11 0.14 on this machine's Python 3.11: 43.7 µs per
 * keep-alive request against httptools' 1.5 µs, measured 2026-12-02; about half on each side).
 */
export const H11_PARSE_MS = 0.021;
export const H11_WRITE_MS = 0.021;

/**
 * Every duration a run uses, in real milliseconds after scaling: computed once here, handed to every
 * child in its configuration, never scaled again by a child.
 */
export interface LabTiming {
  tickMs: number;
  masterPeriodMs: number;
  timeoutMs: number;
  keepAliveMs: number;
  /** gunicorn's random pause after a spawn is at most this long. */
  spawnPauseMaxMs: number;
  /** The model worker's boot, from its "fork" to listening. */
  workerBootMs: number;
  durationMs: number;
  thinkMs: number;
  /** asyncio's poll granule (ASYNCIO_POLL_GRANULARITY_MS). */
  pollGranularityMs: number;
  /** A second: the kubelet counts initialDelaySeconds in whole ones. */
  secondMs: number;
  /** The kubelet's PLEG relist period. */
  plegRelistMs: number;
  /** The crash-loop back-off's first delay and its cap (10 s and 5 min). */
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** An open load's mean gap between arrivals; 0 for closed-loop clients. */
  arrivalGapMs: number;
  /** Loop time the HTTP implementation spends on a request when it reads it and when it writes its response, beyond httptools' (0 for httptools). */
  httpParseMs: number;
  httpWriteMs: number;
}

/**
 * How heartbeat files are stamped: by the kernel's coarse clock at real timing, with the precise wall
 * time under compression (lab/heartbeat-file.ts says why).
 */
export type StampPrecision = 'kernel' | 'precise';

export interface LabPlan {
  scenario: Scenario;
  timeScale: number;
  timing: LabTiming;
  /** The scenario's routes with their durations scaled. */
  routes: RouteSpec[];
  clockSteps: ClockStep[];
  /** The scenario script the workers import for `script` routes; null for JSON scenarios. */
  scenarioModule: string | null;
  /** The scenario's supervisor with its durations scaled. */
  supervisor: SupervisorSpec;
  stamps: StampPrecision;
}

/** The keep-alive uvicorn runs with: gunicorn hands its worker 2 s (in a pod's container too); plain uvicorn in a container keeps its own 5 s. */
function nominalKeepAliveMs(supervisor: SupervisorSpec): number {
  switch (supervisor.kind) {
    case 'gunicorn':
      return NOMINAL_KEEP_ALIVE_MS;
    case 'kubelet':
      return supervisor.container?.kind === 'gunicorn' ? NOMINAL_KEEP_ALIVE_MS : NOMINAL_UVICORN_KEEP_ALIVE_MS;
    case 'uvicorn':
      return NOMINAL_UVICORN_KEEP_ALIVE_MS;
    default:
      return unknownKind(supervisor);
  }
}

export function scaleDuration(spec: DurationSpec, factor: number): DurationSpec {
  return typeof spec === 'number' ? spec * factor : { min: spec.min * factor, max: spec.max * factor };
}

/** The longest time a route's handler can take, in the spec's own unit. */
export function maxDuration(spec: DurationSpec): number {
  return typeof spec === 'number' ? spec : spec.max;
}

export function buildLabPlan(scenario: Scenario, timeScale: number, scenarioModule: string | null = null): LabPlan {
  const scale = (ms: number): number => ms * timeScale;
  return {
    scenario,
    timeScale,
    timing: {
      tickMs: scale(NOMINAL_TICK_MS),
      masterPeriodMs: scale(NOMINAL_MASTER_PERIOD_MS),
      timeoutMs: scale(heartbeatTimeoutMs(scenario.supervisor)),
      keepAliveMs: scale(scenario.keepAliveMs ?? nominalKeepAliveMs(scenario.supervisor)),
      spawnPauseMaxMs: scale(NOMINAL_SPAWN_PAUSE_MAX_MS),
      workerBootMs: scale(NOMINAL_WORKER_BOOT_MS),
      durationMs: scale(scenario.durationMs),
      thinkMs: scale(scenario.load.thinkMs),
      pollGranularityMs: scale(ASYNCIO_POLL_GRANULARITY_MS),
      secondMs: scale(1000),
      plegRelistMs: scale(NOMINAL_PLEG_RELIST_MS),
      backoffInitialMs: scale(BACKOFF_INITIAL_MS),
      backoffMaxMs: scale(BACKOFF_MAX_MS),
      arrivalGapMs: scenario.load.arrivalsPerS === undefined ? 0 : scale(1000 / scenario.load.arrivalsPerS),
      httpParseMs: scenario.http === 'h11' ? scale(H11_PARSE_MS) : 0,
      httpWriteMs: scenario.http === 'h11' ? scale(H11_WRITE_MS) : 0,
    },
    routes: scenario.load.routes.map((route) => ({ ...route, ms: scaleDuration(route.ms, timeScale) })),
    clockSteps: scenario.clockSteps.map((step) => ({ atMs: scale(step.atMs), stepMs: scale(step.stepMs) })),
    scenarioModule,
    supervisor: scaleSupervisor(scenario.supervisor, timeScale),
    stamps: timeScale < 1 ? 'precise' : 'kernel',
  };
}
