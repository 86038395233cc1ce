// The scenario shape: what a user writes in scenarios/*.json, in scenario time (time scale 1).

export type LoopDiscipline = 'uvloop' | 'asyncio';

/** A duration drawn per request: a fixed number of ms, or uniform between min and max. */
export type DurationSpec = number | { min: number; max: number };

/** `cpu` blocks the loop for its time; `wait` awaits the same time without blocking. */
export type RouteKind = 'cpu' | 'wait';

export interface RouteSpec {
  kind: RouteKind;
  weight: number;
  ms: DurationSpec;
}

export interface LoadSpec {
  /** Concurrent closed-loop clients (autocannon connections). */
  clients: number;
  /** The pause a client takes between a response and its next request. */
  thinkMs: number;
  routes: RouteSpec[];
}

/** What a strategy is expected to do: `at-risk` accepts a kill or a heartbeat gap near the timeout. */
export type Expectation = 'killed' | 'survives' | 'at-risk';

export interface Scenario {
  name: string;
  description: string;
  /** gunicorn's --timeout. */
  timeoutMs: number;
  /** gunicorn's -w. */
  workers: number;
  master: string;
  loop: LoopDiscipline;
  /** Notifier presets run side by side, each with its own master and load. */
  strategies: string[];
  durationMs: number;
  seed: number;
  load: LoadSpec;
  expect: Record<string, Expectation>;
  /** What the real gunicorn + uvicorn stack did with the same parameters (SPEC section 4). */
  realStack: string;
}

export const EXPECTATIONS: readonly Expectation[] = ['killed', 'survives', 'at-risk'];
export const LOOP_DISCIPLINES: readonly LoopDiscipline[] = ['uvloop', 'asyncio'];
export const ROUTE_KINDS: readonly RouteKind[] = ['cpu', 'wait'];
