// The scenario shape: what a user writes in scenarios/*.json, in scenario time (time scale 1).

import type { SupervisorSpec } from './supervisor.js';

export type LoopDiscipline = 'uvloop' | 'asyncio';
/**
 * uvicorn's HTTP implementation: `httptools` (C, what `uvicorn[standard]` installs and `http="auto"`
 * picks when present) or `h11` (pure Python, what a plain `pip install uvicorn` serves with).
 */
export type HttpImplementation = 'httptools' | 'h11';

/** A duration drawn per request: a fixed number of ms, or uniform between min and max. */
export type DurationSpec = number | { min: number; max: number };

/**
 * `cpu` blocks the loop for its time; `wait` awaits the same time without blocking; `offload` runs the
 * same CPU work on a worker-thread pool ("avoid it with executors"); `script` calls a handler function
 * the scenario script supplies, inside the worker.
 */
export type RouteKind = 'cpu' | 'gil' | 'wait' | 'offload' | 'script' | 'http';

/** An `http` route: a request to your own app's path (with --stack real --app). */
export interface HttpRequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path and query, starting with "/". */
  path: string;
  body?: string | undefined;
  headers?: Record<string, string> | undefined;
}

export interface RouteSpec {
  kind: RouteKind;
  weight: number;
  ms: DurationSpec;
  /** For `script` routes: the name of the function in the scenario script's `handlers`. */
  handler?: string | undefined;
  /** For `http` routes: what to send to the app. */
  request?: HttpRequestSpec | undefined;
}

/** The wall clock jumps by `stepMs` (negative: backward) `atMs` into the run, for every process. */
export interface ClockStep {
  atMs: number;
  stepMs: number;
}

export interface LoadSpec {
  /** Concurrent closed-loop clients (autocannon connections); with `arrivalsPerS`, the most connections the open load opens. */
  clients: number;
  /** The pause a client takes between a response and its next request. */
  thinkMs: number;
  /**
   * An open load: requests arrive at this mean rate (a seeded Poisson process) whatever the server
   * does, as production traffic does; absent for closed-loop clients that wait for their responses.
   */
  arrivalsPerS?: number | undefined;
  /** The closed-loop client that sends the requests: autocannon (absent) or wrk, a C client that sends its next request sooner. */
  client?: LoadClient | undefined;
  /** A reverse proxy the requests go through, as in most deployments: nginx (absent: straight to the server's socket). */
  proxy?: LoadProxy | undefined;
  routes: RouteSpec[];
}

/** The closed-loop HTTP clients the lab can drive load with. */
export type LoadClient = 'autocannon' | 'wrk';

/** The reverse proxies the lab can put between the clients and the server. */
export type LoadProxy = 'nginx';

/**
 * What a strategy is expected to do. `survives`: not killed (a thin margin is reported, not failed);
 * `at-risk`: killed, or a heartbeat gap or check window near the timeout; `missed-hang`: a worker whose
 * loop never came back was kept alive (the thread heartbeat's blind spot).
 */
export type OutcomeExpectation = 'killed' | 'survives' | 'at-risk' | 'missed-hang';

/** A rate over repeated runs (--repeat): "killed in at most 5% of runs" is { killRate: { max: 0.05 } }. */
export interface RateExpectation {
  killRate: { min?: number | undefined; max?: number | undefined };
}

export type Expectation = OutcomeExpectation | RateExpectation;

export interface Scenario {
  name: string;
  description: string;
  /** What judges liveness and kills: gunicorn's arbiter with its --timeout, or the kubelet with its probe. */
  supervisor: SupervisorSpec;
  /** gunicorn's -w; under the kubelet, the replicas. */
  workers: number;
  loop: LoopDiscipline;
  /** uvicorn's HTTP protocol (default httptools). */
  http: HttpImplementation;
  /**
   * How long the server keeps an idle connection open (gunicorn's `keepalive`, which uvicorn's worker
   * takes as its keep-alive; plain uvicorn's `--timeout-keep-alive`), in whole seconds as both servers
   * take it. Absent: the server's default (2 s under gunicorn, 5 s for plain uvicorn).
   */
  keepAliveMs?: number;
  /** With --stack real: which gunicorn and uvicorn (stacks/stack-names.ts; default `system`, the interpreter's own). */
  pythonStack: string;
  /** Compared side by side, each with its own supervisor and load: heartbeat rules under gunicorn, health strategies under the kubelet (supervisor.ts, strategyCatalogue). */
  strategies: string[];
  durationMs: number;
  seed: number;
  load: LoadSpec;
  expect: Record<string, Expectation>;
  clockSteps: ClockStep[];
  /** What the real gunicorn + uvicorn stack did with the same parameters (docs/semantics.md, "Measured on the real stack"). */
  realStack: string;
}

export const EXPECTATIONS: readonly OutcomeExpectation[] = ['killed', 'survives', 'at-risk', 'missed-hang'];

export function isRateExpectation(expected: Expectation): expected is RateExpectation {
  return typeof expected === 'object';
}
export const LOOP_DISCIPLINES: readonly LoopDiscipline[] = ['uvloop', 'asyncio'];
export const HTTP_IMPLEMENTATIONS: readonly HttpImplementation[] = ['httptools', 'h11'];
export const LOAD_CLIENTS: readonly LoadClient[] = ['autocannon', 'wrk'];
export const LOAD_PROXIES: readonly LoadProxy[] = ['nginx'];
export const ROUTE_KINDS: readonly RouteKind[] = ['cpu', 'gil', 'wait', 'offload', 'script', 'http'];

/** Routes whose handler burns the CPU on the loop (a `gil` one also keeps every other Python thread waiting). */
export function blocksLoop(kind: RouteKind): boolean {
  return kind === 'cpu' || kind === 'gil' || kind === 'script';
}
export const HTTP_METHODS: readonly HttpRequestSpec['method'][] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
