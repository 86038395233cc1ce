// Draws each request's route and duration from the scenario's seeded distributions (pure given `random`).

import type { DurationSpec, HttpRequestSpec, RouteKind, RouteSpec } from '../../scenario/types.js';
import type { Random } from './seeded-random.js';

export interface PlannedRequest {
  id: number;
  route: RouteKind;
  ms: number;
  /** The scenario script's handler, for `script` routes. */
  handler: string | null;
  /** What to send, for `http` routes (the app's own path); null for the lab's routes. */
  request: HttpRequestSpec | null;
}

export function drawDuration(spec: DurationSpec, random: Random): number {
  if (typeof spec === 'number') return spec;
  return spec.min + (spec.max - spec.min) * random();
}

export function pickRoute(routes: readonly RouteSpec[], random: Random): RouteSpec {
  const total = routes.reduce((sum, route) => sum + route.weight, 0);
  let point = random() * total;
  for (const route of routes) {
    point -= route.weight;
    if (point < 0) return route;
  }
  const last = routes[routes.length - 1];
  if (last === undefined) throw new Error('a request plan needs at least one route');
  return last;
}

/** An endless, deterministic sequence of requests. */
export function createRequestPlan(routes: readonly RouteSpec[], random: Random): () => PlannedRequest {
  let nextId = 1;
  return () => {
    const route = pickRoute(routes, random);
    // Rounded to 0.1 ms so the path stays short and the trace shows what the worker received.
    const ms = Math.round(drawDuration(route.ms, random) * 10) / 10;
    return { id: nextId++, route: route.kind, ms, handler: route.handler ?? null, request: route.request ?? null };
  };
}

export function requestPath(request: PlannedRequest): string {
  if (request.request !== null) return request.request.path;
  const handler = request.handler === null ? '' : `/${encodeURIComponent(request.handler)}`;
  return `/${request.route}${handler}?ms=${request.ms}`;
}
