// An open load: requests arrive at a seeded rate whatever the server does, as production traffic does
// (a fleet of callers, a reverse proxy's upstream), instead of closed-loop clients that each wait for
// their response. Arrivals are a Poisson process (exponential gaps with the scenario's mean); each goes
// out at once on an idle keep-alive connection if there is one, else on a new one, up to the scenario's
// connections (beyond that it waits for a free one, as a proxy's bounded pool makes it). Requests in
// flight when the load ends are cut, as autocannon's are.

import http from 'node:http';
import type { RequestOutcome } from '../../trace/events.js';
import type { PlannedRequest } from './request-plan.js';
import { requestPath } from './request-plan.js';
import type { Random } from './seeded-random.js';

export interface OpenArrivalsOptions {
  port: number;
  durationMs: number;
  /** The mean gap between two arrivals (real ms). */
  meanGapMs: number;
  requestTimeoutMs: number;
  maxConnections: number;
  idHeader: string;
  nextRequest: () => PlannedRequest;
  /** Draws the gaps (a stream of its own, so the request plan is the closed load's). */
  random: Random;
}

export interface LoadHooks {
  /** A request arrived and was issued (on an idle connection, a new one, or queued for one). */
  sent(request: PlannedRequest): void;
  settled(id: number, outcome: RequestOutcome, status: number | null, error: string | null): void;
  /** The load is over: every request settled. */
  done(): void;
}

/** An exponential gap with mean `mean` from a uniform draw in [0, 1). */
export function exponentialGap(mean: number, u: number): number {
  return -Math.log(1 - u) * mean;
}

export function startOpenArrivals(options: OpenArrivalsOptions, hooks: LoadHooks): { stop(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxConnections });
  const inFlight = new Map<number, http.ClientRequest>();
  let ending = false;
  let timer: NodeJS.Timeout | null = null;
  const startedAt = performance.now();

  const settle = (id: number, outcome: RequestOutcome, status: number | null, error: string | null): void => {
    if (!inFlight.delete(id)) return;
    hooks.settled(id, outcome, status, error);
  };

  const arrive = (): void => {
    const planned = options.nextRequest();
    const own = planned.request;
    const req = http.request({
      host: '127.0.0.1',
      port: options.port,
      agent,
      method: own?.method ?? 'GET',
      path: requestPath(planned),
      headers: { ...(own?.headers ?? {}), [options.idHeader]: String(planned.id) },
    });
    inFlight.set(planned.id, req);
    req.setTimeout(options.requestTimeoutMs, () => {
      settle(planned.id, 'timed-out', null, null);
      req.destroy();
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => settle(planned.id, 'completed', res.statusCode ?? null, null));
      res.on('error', (error: NodeJS.ErrnoException) => settle(planned.id, ending ? 'cut-at-end' : 'reset', null, error.code ?? error.message));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (ending) settle(planned.id, 'cut-at-end', null, null);
      else settle(planned.id, error.code === 'ECONNREFUSED' ? 'refused' : 'reset', null, error.code ?? error.message);
    });
    req.end(own?.body);
    hooks.sent(planned);
  };

  const finish = (): void => {
    if (ending) return;
    ending = true;
    if (timer !== null) clearTimeout(timer);
    for (const [id, req] of [...inFlight]) {
      settle(id, 'cut-at-end', null, null);
      req.destroy();
    }
    agent.destroy();
    hooks.done();
  };

  // Each arrival is due at its own time from the start: a late timer does not push later ones back.
  let due = startedAt + exponentialGap(options.meanGapMs, options.random());
  const schedule = (): void => {
    const endAt = startedAt + options.durationMs;
    if (due >= endAt) {
      timer = setTimeout(finish, Math.max(0, endAt - performance.now()));
      return;
    }
    timer = setTimeout(() => {
      while (!ending && due <= performance.now() && due < endAt) {
        arrive();
        due += exponentialGap(options.meanGapMs, options.random());
      }
      if (!ending) schedule();
    }, Math.max(0, due - performance.now()));
  };
  schedule();
  return { stop: finish };
}
