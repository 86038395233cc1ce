// The closed-loop load driven by wrk, a C client whose event loop sends the next request within
// microseconds of a response (autocannon, in Node, takes longer: see docs/model.md). wrk runs with one
// connection per thread and the lab's Lua script (wrk-script.ts), which stamps every request it sends,
// every response and every request a dropped connection lost; this module turns those lines into the
// same outcomes autocannon's clients give. wrk itself never gives up on a slow response: a request
// still unanswered after the lab's request timeout is counted timed-out here (as wrk's own summary
// counts it), while wrk keeps waiting on that connection, as it does.

import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RequestOutcome } from '../../trace/events.js';
import type { PlannedRequest } from './request-plan.js';
import { decodeWrkLine, planSlot, renderClientPlan, WRK_PLAN_PER_CLIENT, wrkScript } from './wrk-script.js';

export interface WrkOptions {
  /** The wrk executable. */
  command: string;
  port: number;
  clients: number;
  thinkMs: number;
  durationMs: number;
  requestTimeoutMs: number;
  idHeader: string;
  nextRequest: () => PlannedRequest;
  /** Where the script and the plans are written (the strategy's directory: they show what wrk ran). */
  dir: string;
  /** The run's origin on CLOCK_MONOTONIC, in ns. */
  originNs: bigint;
  now: () => number;
}

export interface WrkHooks {
  sent(request: PlannedRequest, t: number, client: number): void;
  settled(id: number, t: number, outcome: RequestOutcome, status: number | null, error: string | null): void;
  /** wrk failed to start or run (its message), or null when the load ended as planned. */
  done(error: Error | null): void;
}

const SCRIPT_FILE = 'wrk-client.lua';
const PLAN_PREFIX = 'wrk-plan-';
/** How often requests in flight are checked against the request timeout (real ms). */
const TIMEOUT_CHECK_MS = 100;

/** The seeded plan dealt round-robin to the clients, as many entries each as one client's plan holds. */
function dealPlan(clients: number, nextRequest: () => PlannedRequest): PlannedRequest[][] {
  const plans: PlannedRequest[][] = Array.from({ length: clients }, () => []);
  for (let i = 0; i < clients * WRK_PLAN_PER_CLIENT; i++) plans[i % clients]?.push(nextRequest());
  return plans;
}

export function startWrk(options: WrkOptions, hooks: WrkHooks): { stop(): void } {
  const plans = dealPlan(options.clients, options.nextRequest);
  plans.forEach((plan, index) => writeFileSync(join(options.dir, `${PLAN_PREFIX}${index}.lua`), renderClientPlan(plan)));
  const script = join(options.dir, SCRIPT_FILE);
  writeFileSync(script, wrkScript(options.thinkMs));
  const origin = options.originNs;
  const args = [
    '-t', String(options.clients), '-c', String(options.clients),
    // wrk's -d is whole seconds; the lab ends the load itself at its own duration.
    '-d', `${Math.ceil(options.durationMs / 1000) + 5}s`,
    '-s', script, `http://127.0.0.1:${options.port}/`,
    '--', join(options.dir, PLAN_PREFIX), String(options.clients),
    String(origin / 1_000_000_000n), String(origin % 1_000_000_000n), '3', options.idHeader,
  ];
  // In the load's process group: when the lab stops the load's group, wrk goes with it.
  const child: ChildProcess = spawn(options.command, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  const inFlight = new Map<number, number>();
  const planOf = (id: number): PlannedRequest | undefined => {
    const slot = planSlot(id, options.clients);
    const entry = plans[slot.client]?.[slot.entry];
    return entry === undefined ? undefined : { ...entry, id };
  };
  let ending = false;
  let failed: Error | null = null;
  let stderr = '';

  const settle = (id: number, t: number, outcome: RequestOutcome, status: number | null, error: string | null): void => {
    if (!inFlight.delete(id)) return;
    hooks.settled(id, t, outcome, status, error);
  };

  const events = child.stdio[3];
  if (events === null || events === undefined || !('on' in events)) throw new Error('wrk was started without its event pipe');
  const lines = createInterface({ input: events as NodeJS.ReadableStream });
  lines.on('line', (text) => {
    const line = decodeWrkLine(text);
    if (line === null || ending) return;
    if (line.kind === 'sent') {
      const request = planOf(line.id);
      if (request === undefined) return;
      inFlight.set(line.id, line.t);
      hooks.sent(request, line.t, planSlot(line.id, options.clients).client);
    } else if (line.kind === 'response') settle(line.id, line.t, 'completed', line.status, null);
    else settle(line.id, line.t, 'reset', null, 'wrk reconnected');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2000);
  });

  const timeouts = setInterval(() => {
    const t = options.now();
    for (const [id, sentAt] of [...inFlight]) if (t - sentAt > options.requestTimeoutMs) settle(id, t, 'timed-out', null, null);
  }, TIMEOUT_CHECK_MS);

  const finish = (): void => {
    if (ending) return;
    ending = true;
    clearInterval(timeouts);
    clearTimeout(endTimer);
    const t = options.now();
    for (const id of [...inFlight.keys()]) settle(id, t, 'cut-at-end', null, null);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    hooks.done(failed);
  };
  const endTimer = setTimeout(finish, options.durationMs);
  child.on('error', (error) => {
    failed = new Error(`wrk could not start: ${error.message}`);
    finish();
  });
  child.on('exit', (code, signal) => {
    if (ending) return;
    failed = new Error(`wrk exited early (${signal ?? `code ${code}`})${stderr.trim() === '' ? '' : `: ${stderr.trim()}`}`);
    finish();
  });
  return { stop: finish };
}
