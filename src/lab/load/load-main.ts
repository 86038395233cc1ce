// The load process, in a process of its own so the load never shares a loop with what it measures:
// closed-loop clients (autocannon against the master's socket), or an open load whose requests arrive
// at a seeded rate whatever the server does (open-arrivals.ts). Every request is classified here, from
// the socket's point of view.

import { dirname } from 'node:path';
import autocannon, { type AutocannonClient } from 'autocannon';
import type { RequestOutcome } from '../../trace/events.js';
import { msSince } from '../time-base.js';
import { openTraceWriter } from '../trace-writer.js';
import { LOAD_CONFIG_ENV, LOAD_FIELDS, readChildConfig, type LoadConfig } from '../ipc/child-config.js';
import { onDecodedMessage } from '../ipc/child-decode.js';
import { decodeLoadGoMessage, decodeStopMessage } from '../ipc/to-children.js';
import type { LoadMessage } from '../ipc/to-orchestrator.js';
import { createRequestPlan, requestPath, type PlannedRequest } from './request-plan.js';
import { startOpenArrivals } from './open-arrivals.js';
import { startWrk } from './wrk-client.js';
import { warmAutocannon } from './warm-autocannon.js';
import { startNginx, type RunningNginx } from './nginx-proxy.js';
import { createRandom } from './seeded-random.js';

const config = readChildConfig<LoadConfig>(LOAD_CONFIG_ENV, LOAD_FIELDS);
const originNs = BigInt(config.originNs);
const now = (): number => msSince(originNs);
const trace = openTraceWriter(config.tracePath);
const nextRequest = createRequestPlan(config.routes, createRandom(config.seed));
const planned = new Map<number, PlannedRequest>();
const ID_HEADER = 'x-starve-request';
let clientCount = 0;
let sent = 0;
const counts = { completed: 0, reset: 0, refused: 0, timedOut: 0 };
const PROGRESS_EVERY_MS = 250;
/** How often a child checks that the orchestrator is still there. */
const ORPHAN_CHECK_MS = 500;

/** One request settled (at `t`, now unless its client stamped it): its outcome in the trace and the running counts. */
function recordOutcome(id: number, sentAt: number, outcome: RequestOutcome, status: number | null, error: string | null, t: number = now()): void {
  trace.write({ type: 'request-outcome', t, id, outcome, status, latencyMs: t - sentAt, error });
  if (outcome === 'completed') counts.completed++;
  else if (outcome === 'reset') counts.reset++;
  else if (outcome === 'refused') counts.refused++;
  else if (outcome === 'timed-out') counts.timedOut++;
}

/** When each request still unsettled was sent, for loads whose clients report sends and outcomes separately (open, wrk). */
const sentAtOf = new Map<number, number>();

/** A request went out at `t` from `client`: in the trace and the counts. */
function recordSent(request: PlannedRequest, t: number, client: number): void {
  sentAtOf.set(request.id, t);
  sent++;
  trace.write({ type: 'request-sent', t, id: request.id, client, route: request.route, ms: request.ms });
}

/** A request recorded by recordSent settled at `t`. */
function recordSettled(id: number, outcome: RequestOutcome, status: number | null, error: string | null, t: number = now()): void {
  recordOutcome(id, sentAtOf.get(id) ?? t, outcome, status, error, t);
  sentAtOf.delete(id);
}

function send(message: LoadMessage): void {
  if (process.connected) process.send?.(message);
}

const ID_PATTERN = new RegExp(`${ID_HEADER}: (\\d+)`, 'i');

function idInBuffer(buffer: Buffer): number | null {
  const match = ID_PATTERN.exec(buffer.toString('latin1'));
  return match?.[1] === undefined ? null : Number(match[1]);
}

interface InFlight {
  id: number;
  sentAt: number;
}

/**
 * Wraps one autocannon client (pipelining 1: at most one request in flight) to add the think time
 * and to settle every request it sends exactly once. autocannon has no think time of its own and
 * reconnects silently after a drop, so both hook its client's internal methods (autocannon 8 and 9:
 * lib/httpClient.js). No public API can do it: `connectionRate`/`overallRate` pace requests per second
 * (not a pause after each response), and the public `reqError`/`response` events do not say which
 * request a dropped connection lost. test/unit/autocannon-hooks.test.ts fails on an upgrade that
 * removes a hooked method.
 */
function instrumentClient(client: AutocannonClient): void {
  for (const method of ['_doRequest', '_connect', '_destroyConnection'] as const) {
    if (typeof client[method] !== 'function') {
      process.stderr.write(`starve-lab load: this autocannon has no client.${method}(); starve-lab needs autocannon 8 or 9.\n`);
      process.exit(1);
    }
  }
  const index = clientCount++;
  let inFlight: InFlight | null = null;
  let thinkNext = false;

  const settle = (outcome: RequestOutcome, status: number | null, error: string | null): void => {
    if (inFlight === null) return;
    const { id, sentAt } = inFlight;
    inFlight = null;
    recordOutcome(id, sentAt, outcome, status, error);
  };

  const doRequest = client._doRequest.bind(client);
  const sendNow = (): void => {
    if (client.destroyed) return;
    const before = client.reqsMade;
    doRequest();
    if (client.reqsMade === before) return;
    const id = idInBuffer(client.getRequestBuffer());
    const request = id === null ? undefined : planned.get(id);
    if (id === null || request === undefined) return;
    planned.delete(id);
    // A request still unsettled here is left so: the analysis counts it as vanished.
    inFlight = { id, sentAt: now() };
    sent++;
    trace.write({ type: 'request-sent', t: inFlight.sentAt, id, client: index, route: request.route, ms: request.ms });
  };
  let thinking: NodeJS.Timeout | null = null;
  client._doRequest = () => {
    // A reconnect during the pause does not cut it short: the pending send goes on the new connection.
    if (thinking !== null) return;
    if (thinkNext && config.thinkMs > 0) {
      thinkNext = false;
      thinking = setTimeout(() => {
        thinking = null;
        sendNow();
      }, config.thinkMs);
    } else sendNow();
  };

  client.on('response', (status: number) => {
    settle('completed', status, null);
    thinkNext = true;
  });

  const connect = client._connect.bind(client);
  client._connect = () => {
    connect();
    // Prepended: autocannon's own listeners reconnect and send the next request synchronously.
    client.conn.prependListener('error', (error: NodeJS.ErrnoException) => {
      settle(error.code === 'ECONNREFUSED' ? 'refused' : 'reset', null, error.code ?? error.message);
    });
    client.conn.prependListener('end', () => settle('reset', null, 'EOF'));
  };

  const destroyConnection = client._destroyConnection.bind(client);
  client._destroyConnection = () => {
    // Called by autocannon on a request timeout, and by destroy() when the run ends.
    settle(client.destroyed ? 'cut-at-end' : 'timed-out', null, null);
    destroyConnection();
  };
}

let instance: { stop(): void } | null = null;

let progress: NodeJS.Timeout | null = null;

/** The load is over (or failed): its end in the trace, the orchestrator told, the channel let go. */
function finish(error: Error | null): void {
  if (progress !== null) clearInterval(progress);
  nginx?.stop();
  trace.write({ type: 'load-end', t: now(), pid: process.pid, sent });
  trace.close();
  send({ type: 'done', sent });
  process.exitCode = error === null ? 0 : 1;
  if (process.connected) process.disconnect();
}

/** The open load: arrivals at the scenario's rate, each on an idle connection or a new one. */
function startOpen(port: number): { stop(): void } {
  return startOpenArrivals(
    {
      port,
      durationMs: config.durationMs,
      meanGapMs: config.arrivalGapMs,
      requestTimeoutMs: config.requestTimeoutMs,
      maxConnections: config.clients,
      idHeader: ID_HEADER,
      nextRequest,
      // The gaps get a stream of their own: the request plan is the one the closed load draws.
      random: createRandom(config.seed + 1),
    },
    {
      // An arrival belongs to no client: the open load's requests carry client 0.
      sent: (request) => recordSent(request, now(), 0),
      settled: (id, outcome, status, error) => recordSettled(id, outcome, status, error),
      done: () => finish(null),
    },
  );
}

/** Closed-loop clients driven by wrk: it stamps its own sends and responses (wrk-client.ts). */
function startWrkLoad(port: number): { stop(): void } {
  return startWrk(
    {
      command: config.wrkPath,
      port,
      clients: config.clients,
      thinkMs: config.thinkMs,
      durationMs: config.durationMs,
      requestTimeoutMs: config.requestTimeoutMs,
      idHeader: ID_HEADER,
      nextRequest,
      dir: dirname(config.tracePath),
      originNs,
      now,
    },
    {
      sent: recordSent,
      settled: (id, t, outcome, status, error) => recordSettled(id, outcome, status, error, t),
      done: (error) => {
        if (error !== null) process.stderr.write(`starve-lab load: ${error.message}\n`);
        finish(error);
      },
    },
  );
}

/** nginx in front of the server (`"proxy": "nginx"`): started before this process says it is armed. */
let nginx: RunningNginx | null = null;

/** Starts the load at once: the process and autocannon's import were ready before the go. */
function start(serverPort: number): void {
  if (config.proxy !== null && serverPort !== config.proxy.upstreamPort) {
    process.stderr.write(`starve-lab load: the server listens on ${serverPort}, but nginx was set up for ${config.proxy.upstreamPort}\n`);
    finish(new Error('proxy port mismatch'));
    return;
  }
  // Behind a proxy the clients talk to nginx; nginx to the server.
  const port = nginx?.port ?? serverPort;
  trace.write({ type: 'load-start', t: now(), pid: process.pid, clients: config.clients, durationMs: config.durationMs });
  progress = setInterval(() => send({ type: 'progress', counts: { sent, ...counts } }), PROGRESS_EVERY_MS);
  if (config.arrivalGapMs > 0) {
    instance = startOpen(port);
    return;
  }
  if (config.client === 'wrk') {
    instance = startWrkLoad(port);
    return;
  }
  instance = autocannon(
    {
      url: `http://127.0.0.1:${port}`,
      connections: config.clients,
      pipelining: 1,
      duration: config.durationMs / 1000,
      // autocannon refuses timeouts under 1 s.
      timeout: Math.max(1, config.requestTimeoutMs / 1000),
      // autocannon only notices the end of its duration on a sample tick; keep that tick short.
      sampleInt: Math.max(10, Math.min(1000, config.durationMs / 50)),
      requests: [
        {
          method: 'GET',
          setupRequest: (request) => {
            const next = nextRequest();
            planned.set(next.id, next);
            const own = next.request;
            const headers = { ...request.headers, ...(own?.headers ?? {}), [ID_HEADER]: String(next.id) };
            if (own === null) return { ...request, path: requestPath(next), headers };
            return { ...request, method: own.method, path: own.path, headers, ...(own.body === undefined ? {} : { body: own.body }) };
          },
        },
      ],
      setupClient: instrumentClient,
    },
    (error) => {
      if (error !== null) process.stderr.write(`starve-lab load: autocannon failed: ${error.message}\n`);
      finish(error);
    },
  );
}

/** Stopped before or after the go: a load that never started just leaves. */
function stop(): void {
  if (instance === null) process.exit(0);
  instance.stop();
}

// One decoder for everything the orchestrator sends this process: its go, then perhaps a stop.
onDecodedMessage(process, (raw) => decodeLoadGoMessage(raw) ?? decodeStopMessage(raw), (message) => {
  if (message.type === 'stop') stop();
  else if (instance === null) start(message.port);
}, 'the orchestrator');
// The orchestrator is gone (even by SIGKILL): stop sending load. It may have died before this
// listener existed (no 'disconnect' then), so the channel is also checked now and then.
process.on('disconnect', stop);
const orphanCheck = setInterval(() => {
  if (!process.connected) {
    clearInterval(orphanCheck);
    stop();
  }
}, ORPHAN_CHECK_MS);
orphanCheck.unref();
// Closed-loop autocannon clients start warm (warm-autocannon.ts); the open load and wrk have their own start.
if (config.arrivalGapMs === 0 && config.client !== 'wrk') await warmAutocannon(config.clients);
if (config.proxy !== null) {
  try {
    nginx = await startNginx(config.proxy.nginxPath, dirname(config.tracePath), config.proxy.upstreamPort);
  } catch (error) {
    process.stderr.write(`starve-lab load: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
send({ type: 'armed' });
