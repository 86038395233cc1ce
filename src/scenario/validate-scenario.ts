// Checks a parsed scenario file once, listing every problem with its JSON path (pure).

import { masterNames } from '../masters/registry.js';
import { SYSTEM_STACK, stackNames } from '../stacks/stack-names.js';
import { describeLimit, LIMITS } from './limits.js';
import { KUBELET_STARTS, MAX_FAILURE_THRESHOLD, PROBE_MINIMUM_MS, PROBE_SETTINGS_DEFAULTS, type KubeletStart, type ProbeSettings } from '../probes/types.js';
import { KUBELET_MASTER, podContainerOf, strategyCatalogue, UVICORN_MASTER, type PodContainer, type SupervisorKind, type SupervisorSpec } from './supervisor.js';
import { notifierNames } from '../notifiers/registry.js';
import { codeKindNames, PURE_PYTHON } from '../process-manager/code-kinds.js';
import { NESTED_HEALTH_STRATEGIES, nestedHealthRefusal } from '../probes/health-strategies.js';
import { DEFAULT_HEALTHCHECK_TIMEOUT_MS } from '../process-manager/healthcheck.js';
import {
  EXPECTATIONS,
  HTTP_METHODS,
  LOOP_DISCIPLINES,
  HTTP_IMPLEMENTATIONS,
  LOAD_CLIENTS,
  LOAD_PROXIES,
  type HttpRequestSpec,
  type LoadClient,
  type LoadProxy,
  ROUTE_KINDS,
  type ClockStep,
  type DurationSpec,
  type Expectation,
  type OutcomeExpectation,
  type LoadSpec,
  type RouteSpec,
  type Scenario,
} from './types.js';

export interface ScenarioProblem {
  /** JSON path, e.g. `$.load.clients`. */
  path: string;
  expected: string;
  found: string;
}

export type ScenarioCheck = { ok: true; scenario: Scenario } | { ok: false; problems: ScenarioProblem[] };

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

type Rec = Record<string, unknown>;
const isRecord = (value: unknown): value is Rec => typeof value === 'object' && value !== null && !Array.isArray(value);

// Collects problems while reading fields; each reader returns a fallback so checking can go on.
class Reader {
  readonly problems: ScenarioProblem[] = [];

  fail(path: string, expected: string, value: unknown): void {
    this.problems.push({ path, expected, found: describe(value) });
  }

  number(obj: Rec, key: string, path: string, expected: string, test: (n: number) => boolean): number {
    const value = obj[key];
    if (typeof value === 'number' && Number.isFinite(value) && test(value)) return value;
    this.fail(`${path}.${key}`, expected, value);
    return 0;
  }

  string(obj: Rec, key: string, path: string, expected: string, allowed?: readonly string[]): string {
    const value = obj[key];
    if (typeof value === 'string' && value !== '' && (allowed === undefined || allowed.includes(value))) return value;
    this.fail(`${path}.${key}`, expected, value);
    return '';
  }

  duration(value: unknown, path: string): DurationSpec {
    const limit = LIMITS.routeMs;
    const within = (n: number): boolean => n >= 0 && n <= limit;
    if (typeof value === 'number' && Number.isFinite(value) && within(value)) return value;
    if (isRecord(value)) {
      const min = this.number(value, 'min', path, `a duration in ms from 0 to ${limit} (${describeLimit(limit)})`, within);
      const max = this.number(value, 'max', path, `a duration in ms >= min and at most ${limit} (${describeLimit(limit)})`, within);
      if (max < min) this.fail(`${path}.max`, `a duration in ms >= min (${min})`, max);
      return { min, max };
    }
    this.fail(path, `a duration in ms from 0 to ${limit} (${describeLimit(limit)}), or { "min": ms, "max": ms }`, value);
    return 0;
  }
}

/** The handler names a scenario script supplies; null for a JSON file, which cannot supply any. */
export type HandlerNames = readonly string[] | null;

function readHandler(reader: Reader, route: Rec, at: string, kind: string, handlers: HandlerNames): string | undefined {
  const name = route['handler'];
  if (kind !== 'script') {
    if (name !== undefined) reader.fail(`${at}.handler`, 'no handler: only "script" routes take one', name);
    return undefined;
  }
  if (handlers === null) {
    reader.fail(`${at}.kind`, 'cpu, wait or offload: "script" routes need a scenario script (.mjs) that exports handlers', kind);
    return undefined;
  }
  if (typeof name !== 'string' || !handlers.includes(name)) {
    reader.fail(`${at}.handler`, handlers.length === 0 ? 'a function in the script\'s "handlers" (it has none)' : `one of the script's handlers: ${handlers.join(', ')}`, name);
    return undefined;
  }
  return name;
}

/**
 * A request target as HTTP/1.1 carries it: from "/", visible ASCII only. A space ends it early; a CR
 * or LF would split the request, and Node refuses to send either.
 */
const REQUEST_PATH = /^\/[\x21-\x7e]*$/;
/** A header name is a token (RFC 9110 §5.1); a value holds visible characters, spaces and tabs, never CR, LF or another control. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

function isRequestPath(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_PATH.test(value);
}

/** An `http` route's request: method (GET by default), a path from "/", an optional body and headers. */
function readHttpRequest(reader: Reader, route: Rec, at: string): HttpRequestSpec {
  const method = route['method'] === undefined ? 'GET' : (reader.string(route, 'method', at, `one of ${HTTP_METHODS.join(', ')}`, HTTP_METHODS) as HttpRequestSpec['method']);
  const path = isRequestPath(route['path']) ? route['path'] : (reader.fail(`${at}.path`, 'a path of your app starting with "/", visible characters only, no spaces or control characters (e.g. "/report?n=5"; encode others as %XX)', route['path']), '/');
  const request: HttpRequestSpec = { method, path };
  if (route['body'] !== undefined) {
    if (typeof route['body'] === 'string') request.body = route['body'];
    else reader.fail(`${at}.body`, 'a string (the request body as sent)', route['body']);
  }
  const headers = route['headers'];
  if (headers !== undefined) {
    if (!isRecord(headers) || !Object.values(headers).every((v) => typeof v === 'string')) reader.fail(`${at}.headers`, 'an object of header names to string values', headers);
    else {
      const bad = Object.entries(headers).filter(([name, v]) => !HEADER_NAME.test(name) || !HEADER_VALUE.test(v as string));
      // The name goes into the path quoted: a control character in it must not reach the terminal raw.
      for (const [name, v] of bad) reader.fail(`${at}.headers[${JSON.stringify(name)}]`, 'a header name of letters, digits and !#$%&\'*+.^_`|~- and a value with no CR, LF or other control character', v);
      if (bad.length === 0) request.headers = headers as Record<string, string>;
    }
  }
  return request;
}

function readRoutes(reader: Reader, value: unknown, path: string, handlers: HandlerNames): RouteSpec[] {
  if (!Array.isArray(value) || value.length === 0) {
    reader.fail(path, 'a non-empty list of routes', value);
    return [];
  }
  return value.map((route, index): RouteSpec => {
    const at = `${path}[${index}]`;
    if (!isRecord(route)) {
      reader.fail(at, 'a route object { "kind", "weight", "ms" }', route);
      return { kind: 'cpu', weight: 0, ms: 0 };
    }
    const kind = reader.string(route, 'kind', at, `one of ${ROUTE_KINDS.join(', ')}`, ROUTE_KINDS) as RouteSpec['kind'];
    const weight = route['weight'] === undefined ? 1 : reader.number(route, 'weight', at, `a weight > 0 and at most ${LIMITS.routeWeight}`, (n) => n > 0 && n <= LIMITS.routeWeight);
    const ms = route['ms'] === undefined && (kind === 'script' || kind === 'http') ? 0 : reader.duration(route['ms'], `${at}.ms`);
    // A file says method/path/body/headers on the route; params.json keeps them normalised under `request`.
    if (kind === 'http') return { kind, weight, ms, request: isRecord(route['request']) ? readHttpRequest(reader, route['request'], `${at}.request`) : readHttpRequest(reader, route, at) };
    for (const field of ['method', 'path', 'body', 'headers', 'request']) if (route[field] !== undefined) reader.fail(`${at}.${field}`, `no ${field}: only "http" routes take one`, route[field]);
    const handler = readHandler(reader, route, at, kind, handlers);
    return handler === undefined ? { kind, weight, ms } : { kind, weight, ms, handler };
  });
}

/** The closed-loop client; autocannon, the default, is left out of the validated scenario. */
function readClient(reader: Reader, value: Record<string, unknown>): LoadClient | undefined {
  if (value['client'] === undefined) return undefined;
  const client = reader.string(value, 'client', '$.load', `the closed-loop client, one of ${LOAD_CLIENTS.join(', ')}`, LOAD_CLIENTS);
  return client === 'wrk' ? 'wrk' : undefined;
}

/** The reverse proxy in front of the server; absent when the load goes straight to it. */
function readProxy(reader: Reader, value: Record<string, unknown>): LoadProxy | undefined {
  if (value['proxy'] === undefined) return undefined;
  const proxy = reader.string(value, 'proxy', '$.load', `the reverse proxy in front of the server, one of ${LOAD_PROXIES.join(', ')}`, LOAD_PROXIES);
  return proxy === 'nginx' ? 'nginx' : undefined;
}

function readLoad(reader: Reader, value: unknown, handlers: HandlerNames): LoadSpec {
  if (!isRecord(value)) {
    reader.fail('$.load', 'an object { "clients", "thinkMs", "routes" }', value);
    return { clients: 0, thinkMs: 0, routes: [] };
  }
  const clients = reader.number(value, 'clients', '$.load', `a whole number of clients from 0 to ${LIMITS.clients}`, (n) => Number.isInteger(n) && n >= 0 && n <= LIMITS.clients);
  const thinkMs = value['thinkMs'] === undefined ? 0 : reader.number(value, 'thinkMs', '$.load', `a pause in ms from 0 to ${LIMITS.thinkMs} (${describeLimit(LIMITS.thinkMs)})`, (n) => n >= 0 && n <= LIMITS.thinkMs);
  const noRoutes = value['routes'] === undefined || (Array.isArray(value['routes']) && value['routes'].length === 0);
  const routes = clients === 0 && noRoutes ? [] : readRoutes(reader, value['routes'], '$.load.routes', handlers);
  if (value['clients'] === 0 && routes.length > 0) reader.fail('$.load.clients', 'at least 1 client when routes are given', clients);
  const client = readClient(reader, value);
  const proxy = readProxy(reader, value);
  const through = proxy === undefined ? {} : { proxy };
  if (value['arrivalsPerS'] === undefined) return client === undefined ? { clients, thinkMs, routes, ...through } : { clients, thinkMs, routes, client, ...through };
  if (client !== undefined) reader.fail('$.load.client', `no closed-loop client with "arrivalsPerS": an open load's arrivals do not wait for responses (drop one of the two)`, client);
  const arrivalsPerS = reader.number(value, 'arrivalsPerS', '$.load', `an open load's mean arrival rate in requests per second, > 0 and at most ${LIMITS.arrivalsPerS}`, (n) => n > 0 && n <= LIMITS.arrivalsPerS);
  if (thinkMs > 0) reader.fail('$.load.thinkMs', 'no think time with "arrivalsPerS": an open load\'s requests arrive at their rate, not after a pause (drop one of the two)', thinkMs);
  if (value['clients'] === 0) reader.fail('$.load.clients', 'at least 1 with "arrivalsPerS": the most connections the open load opens', clients);
  return { clients, thinkMs, routes, arrivalsPerS, ...through };
}

/** What each kind's strategies are, for the hint when a name belongs to another kind. */
const KIND_HINTS: Record<SupervisorKind, string> = {
  gunicorn: 'is a gunicorn heartbeat rule: use a gunicorn master for it',
  kubelet: `is a health strategy: it needs "master": "${KUBELET_MASTER}"`,
  uvicorn: `is a kind of handler code under uvicorn's process manager: it needs "master": "${UVICORN_MASTER}"`,
};

/** Under gunicorn a strategy is a heartbeat rule; under the kubelet, a health strategy; under uvicorn's manager, the handlers' code. */
function readStrategies(reader: Reader, value: unknown, kind: SupervisorKind): string[] {
  const catalogue = strategyCatalogue(kind);
  if (!Array.isArray(value) || value.length < 1) {
    reader.fail('$.strategies', `a list of one or more ${catalogue.what} (two or more to compare them side by side)`, value);
    return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : [];
  }
  value.forEach((name, index) => {
    if (typeof name === 'string' && catalogue.has(name)) return;
    const owner = typeof name === 'string' ? (Object.keys(KIND_HINTS) as SupervisorKind[]).find((other) => other !== kind && strategyCatalogue(other).has(name)) : undefined;
    const hint = owner === undefined ? '' : ` (${String(name)} ${KIND_HINTS[owner]})`;
    reader.fail(`$.strategies[${index}]`, `one of ${catalogue.names().join(', ')}${hint}`, name);
  });
  if (new Set(value).size !== value.length) reader.fail('$.strategies', 'each preset once', value);
  return value.filter((s): s is string => typeof s === 'string');
}

function readKillRate(reader: Reader, value: Rec, path: string): Expectation | null {
  const rate = value['killRate'];
  if (!isRecord(rate) || (rate['min'] === undefined && rate['max'] === undefined)) {
    reader.fail(path, '{ "killRate": { "min": share, "max": share } } with min, max or both', value);
    return null;
  }
  const share = (key: string): number | undefined =>
    rate[key] === undefined ? undefined : reader.number(rate, key, `${path}.killRate`, 'a share of runs from 0 to 1', (n) => n >= 0 && n <= 1);
  const min = share('min');
  const max = share('max');
  return { killRate: { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) } };
}

function readExpect(reader: Reader, value: unknown, strategies: string[]): Record<string, Expectation> {
  const expect: Record<string, Expectation> = {};
  if (value === undefined) return expect;
  if (!isRecord(value)) {
    reader.fail('$.expect', 'an object mapping a strategy to killed, survives or at-risk', value);
    return expect;
  }
  for (const [name, outcome] of Object.entries(value)) {
    if (!strategies.includes(name)) reader.fail(`$.expect.${name}`, `a strategy listed in $.strategies (${strategies.join(', ')})`, name);
    else if (isRecord(outcome)) {
      const rate = readKillRate(reader, outcome, `$.expect.${name}`);
      if (rate !== null) expect[name] = rate;
    } else if (typeof outcome !== 'string' || !EXPECTATIONS.includes(outcome as OutcomeExpectation)) {
      reader.fail(`$.expect.${name}`, `one of ${EXPECTATIONS.join(', ')}, or { "killRate": { "max": 0.05 } }`, outcome);
    } else expect[name] = outcome as OutcomeExpectation;
  }
  return expect;
}

function readClockSteps(reader: Reader, value: unknown): ClockStep[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    reader.fail('$.clockSteps', 'a list of { "atMs", "stepMs" }', value);
    return [];
  }
  return value.map((step, index) => {
    const at = `$.clockSteps[${index}]`;
    if (!isRecord(step)) {
      reader.fail(at, 'a clock step { "atMs", "stepMs" }', step);
      return { atMs: 0, stepMs: 0 };
    }
    return {
      atMs: reader.number(step, 'atMs', at, `a time into the run in ms from 0 to ${LIMITS.durationMs} (${describeLimit(LIMITS.durationMs)})`, (n) => n >= 0 && n <= LIMITS.durationMs),
      stepMs: reader.number(step, 'stepMs', at, `a step in ms, negative for backward, not 0, at most ${describeLimit(LIMITS.clockStepMs)} either way`, (n) => n !== 0 && Math.abs(n) <= LIMITS.clockStepMs),
    };
  });
}

const KNOWN_FIELDS = ['name', 'description', 'timeoutMs', 'workers', 'master', 'loop', 'http', 'keepAliveMs', 'pythonStack', 'strategies', 'durationMs', 'seed', 'load', 'expect', 'clockSteps', 'realStack', 'handlers', 'probe', 'container'];
const CONTAINER_FIELDS = ['master', 'timeoutMs', 'notifier', 'code'];
const PROBE_FIELDS = ['path', 'initialDelayMs', 'periodMs', 'timeoutMs', 'failureThreshold', 'successThreshold', 'terminationGracePeriodMs', 'probeTerminationGracePeriodMs', 'kubeletStart', 'maxHeartbeatAgeMs', 'loopStaleMs'];

/** The liveness probe's settings, each defaulting to the kubelet's (Kubernetes: "Configure Liveness, Readiness and Startup Probes"). */
function readProbe(reader: Reader, value: unknown): ProbeSettings {
  if (value === undefined) return PROBE_SETTINGS_DEFAULTS;
  if (!isRecord(value)) {
    reader.fail('$.probe', 'an object of liveness probe settings ({ "periodMs", "timeoutMs", "failureThreshold", ... })', value);
    return PROBE_SETTINGS_DEFAULTS;
  }
  checkKnownFields(reader, value, PROBE_FIELDS, '$.probe');
  const d = PROBE_SETTINGS_DEFAULTS;
  const limit = LIMITS.durationMs;
  const ms = (key: keyof ProbeSettings, min: number, what: string): number =>
    value[key] === undefined ? (d[key] as number) : reader.number(value, key, '$.probe', `${what}: ms from ${min} to ${limit} (${describeLimit(limit)})`, (n) => n >= min && n <= limit);
  const count = (key: 'failureThreshold' | 'successThreshold', max: number): number =>
    value[key] === undefined ? d[key] : reader.number(value, key, '$.probe', max === 1 ? 'exactly 1 (the kubelet requires it for a liveness probe)' : `a whole number from 1 to ${max}`, (n) => Number.isInteger(n) && n >= 1 && n <= max);
  const path = value['path'] === undefined ? d.path : isRequestPath(value['path']) ? value['path'] : (reader.fail('$.probe.path', 'a path starting with "/", visible characters only, no spaces or control characters (e.g. "/healthz")', value['path']), d.path);
  return {
    path,
    initialDelayMs: ms('initialDelayMs', 0, 'initialDelaySeconds'),
    periodMs: ms('periodMs', PROBE_MINIMUM_MS, 'periodSeconds (at least 1 s)'),
    timeoutMs: ms('timeoutMs', PROBE_MINIMUM_MS, 'timeoutSeconds (at least 1 s)'),
    failureThreshold: count('failureThreshold', MAX_FAILURE_THRESHOLD),
    successThreshold: count('successThreshold', 1),
    terminationGracePeriodMs: ms('terminationGracePeriodMs', 0, 'terminationGracePeriodSeconds'),
    probeTerminationGracePeriodMs:
      value['probeTerminationGracePeriodMs'] === undefined || value['probeTerminationGracePeriodMs'] === null
        ? null
        : reader.number(value, 'probeTerminationGracePeriodMs', '$.probe', `livenessProbe.terminationGracePeriodSeconds: ms from 1000 to ${limit} (${describeLimit(limit)}), or null for the pod's`, (n) => n >= 1000 && n <= limit),
    kubeletStart: readKubeletStart(reader, value['kubeletStart']),
    maxHeartbeatAgeMs: ms('maxHeartbeatAgeMs', PROBE_MINIMUM_MS, 'the heartbeat file age the exec probe fails at'),
    loopStaleMs: ms('loopStaleMs', PROBE_MINIMUM_MS, 'how old the loop\'s last tick may be before the health thread answers 503'),
  };
}
function readKubeletStart(reader: Reader, value: unknown): KubeletStart {
  if (value === undefined) return PROBE_SETTINGS_DEFAULTS.kubeletStart;
  if (typeof value === 'string' && (KUBELET_STARTS as readonly string[]).includes(value)) return value as KubeletStart;
  reader.fail('$.probe.kubeletStart', `one of ${KUBELET_STARTS.map((s) => `"${s}"`).join(', ')} ("steady": the kubelet has run a while; "restarted": it started less than a period ago, so each probe worker first sleeps a random part of the period)`, value);
  return PROBE_SETTINGS_DEFAULTS.kubeletStart;
}
const KNOWN_LOAD_FIELDS = ['clients', 'thinkMs', 'routes', 'arrivalsPerS', 'client', 'proxy'];

/** Unknown keys are mistakes (a `timeout` meant as `timeoutMs` would silently keep the default). */
function checkKnownFields(reader: Reader, obj: Rec, known: readonly string[], path: string): void {
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    const near = known.find((k) => k.toLowerCase().startsWith(key.toLowerCase()) || key.toLowerCase().startsWith(k.toLowerCase()));
    reader.fail(`${path}.${key}`, near === undefined ? `no such field (known: ${known.join(', ')})` : `no such field; did you mean "${near}"?`, obj[key]);
  }
}

/**
 * The pod's container as a master with its workers: a gunicorn preset with its --timeout and its
 * workers' heartbeat rule, or uvicorn's process manager with its healthcheck timeout and its children's code.
 */
function readContainer(reader: Reader, value: unknown): PodContainer {
  const fallback: PodContainer = { kind: 'gunicorn', master: 'gunicorn-20', timeoutMs: 30000, notifier: 'wall-clock' };
  if (!isRecord(value)) {
    reader.fail('$.container', 'the container\'s master, e.g. { "master": "gunicorn-20", "timeoutMs": 30000, "notifier": "wall-clock" } or { "master": "uvicorn", "timeoutMs": 5000, "code": "pure-python" }', value);
    return fallback;
  }
  checkKnownFields(reader, value, CONTAINER_FIELDS, '$.container');
  const masters = [...masterNames(), UVICORN_MASTER];
  const master = value['master'] === undefined ? fallback.master : reader.string(value, 'master', '$.container', `the container's master: a gunicorn preset (${masterNames().join(', ')}) or ${UVICORN_MASTER} (its process manager)`, masters);
  if (master === UVICORN_MASTER) {
    if (value['notifier'] !== undefined) reader.fail('$.container.notifier', `no heartbeat rule under uvicorn's process manager: its children answer pings ("code" says what their handlers run)`, value['notifier']);
    const timeoutMs = value['timeoutMs'] === undefined ? DEFAULT_HEALTHCHECK_TIMEOUT_MS : reader.number(value, 'timeoutMs', '$.container', `uvicorn's healthcheck timeout in ms, from 1 to ${LIMITS.timeoutMs} (${describeLimit(LIMITS.timeoutMs)})`, (n) => n >= 1 && n <= LIMITS.timeoutMs);
    const code = value['code'] === undefined ? PURE_PYTHON : reader.string(value, 'code', '$.container', `the kind of handler code its children run, one of ${codeKindNames().join(', ')}`, codeKindNames());
    return { kind: 'uvicorn', timeoutMs, code };
  }
  if (value['code'] !== undefined) reader.fail('$.container.code', `no code kind under gunicorn's master: its workers beat ("notifier" says which rule); "code" is for "master": "${UVICORN_MASTER}"`, value['code']);
  const timeoutMs = value['timeoutMs'] === undefined ? fallback.timeoutMs : reader.number(value, 'timeoutMs', '$.container', `gunicorn's --timeout in the container in ms, from 1 to ${LIMITS.timeoutMs} (${describeLimit(LIMITS.timeoutMs)})`, (n) => n >= 1 && n <= LIMITS.timeoutMs);
  const notifier = value['notifier'] === undefined ? fallback.notifier : reader.string(value, 'notifier', '$.container', `the heartbeat rule its workers run, one of ${notifierNames().join(', ')}`, notifierNames());
  return { kind: 'gunicorn', master, timeoutMs, notifier };
}

/** The kind is derived from `master`: a gunicorn preset with its --timeout, or the kubelet with its probe. */
function readSupervisor(reader: Reader, value: Rec): SupervisorSpec {
  const names = [...masterNames(), KUBELET_MASTER, UVICORN_MASTER];
  const master = value['master'] === undefined ? 'gunicorn-20' : reader.string(value, 'master', '$', `one of ${names.join(', ')}`, names);
  if (master === UVICORN_MASTER) {
    if (value['probe'] !== undefined) reader.fail('$.probe', `no probe: only "master": "${KUBELET_MASTER}" runs a liveness probe`, value['probe']);
    // uvicorn's --timeout-worker-healthcheck (5 s by default, and fixed at 5 s before 0.37).
    const healthcheckTimeoutMs = value['timeoutMs'] === undefined ? DEFAULT_HEALTHCHECK_TIMEOUT_MS : reader.number(value, 'timeoutMs', '$', `uvicorn's healthcheck timeout in ms, from 1 to ${LIMITS.timeoutMs} (${describeLimit(LIMITS.timeoutMs)})`, (n) => n >= 1 && n <= LIMITS.timeoutMs);
    return { kind: 'uvicorn', healthcheckTimeoutMs };
  }
  if (master !== KUBELET_MASTER && value['container'] !== undefined) reader.fail('$.container', `no container: only "master": "${KUBELET_MASTER}" runs a pod whose container is a master with its workers`, value['container']);
  if (master === KUBELET_MASTER) {
    // The kubelet has no gunicorn --timeout: its probe's settings say when it gives up (a 0 from older params.json files is no setting).
    if (value['timeoutMs'] !== undefined && value['timeoutMs'] !== 0) reader.fail('$.timeoutMs', `no timeoutMs under "master": "${KUBELET_MASTER}": the probe's "timeoutMs" (in $.probe) is what it waits for${value['container'] === undefined ? '' : ', and the container master\'s in $.container'}`, value['timeoutMs']);
    const probe = readProbe(reader, value['probe']);
    return value['container'] === undefined ? { kind: 'kubelet', probe } : { kind: 'kubelet', probe, container: readContainer(reader, value['container']) };
  }
  if (value['probe'] !== undefined) reader.fail('$.probe', `no probe: only "master": "${KUBELET_MASTER}" runs a liveness probe`, value['probe']);
  const timeoutMs = reader.number(value, 'timeoutMs', '$', `a timeout in ms from 0 to ${LIMITS.timeoutMs} (${describeLimit(LIMITS.timeoutMs)}; 0 disables the check)`, (n) => n >= 0 && n <= LIMITS.timeoutMs);
  return { kind: 'gunicorn', master, timeoutMs };
}

// eslint-disable-next-line no-control-regex
const CONTROL_IN_NAME = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

export function validateScenario(value: unknown, handlers: HandlerNames = null): ScenarioCheck {
  const reader = new Reader();
  if (!isRecord(value)) {
    reader.fail('$', 'a scenario object', value);
    return { ok: false, problems: reader.problems };
  }
  checkKnownFields(reader, value, KNOWN_FIELDS, '$');
  if (isRecord(value['load'])) checkKnownFields(reader, value['load'], KNOWN_LOAD_FIELDS, '$.load');
  const name = reader.string(value, 'name', '$', 'a scenario name');
  // Names and descriptions reach the terminal, Markdown and HTML: an escape sequence or other control character is refused.
  if (CONTROL_IN_NAME.test(name)) reader.fail('$.name', 'a name with no control characters (no escape sequences, tabs or line breaks)', name);
  const description = typeof value['description'] === 'string' ? value['description'] : '';
  if (CONTROL_IN_TEXT.test(description)) reader.fail('$.description', 'text with no control characters other than tabs and line breaks (no escape sequences)', description);
  const supervisor = readSupervisor(reader, value);
  const workers = value['workers'] === undefined ? 1 : reader.number(value, 'workers', '$', `a whole number of workers from 1 to ${LIMITS.workers}`, (n) => Number.isInteger(n) && n >= 1 && n <= LIMITS.workers);
  const loop = value['loop'] === undefined ? 'uvloop' : reader.string(value, 'loop', '$', `one of ${LOOP_DISCIPLINES.join(', ')}`, LOOP_DISCIPLINES);
  const http = value['http'] === undefined ? 'httptools' : reader.string(value, 'http', '$', `uvicorn's HTTP implementation, one of ${HTTP_IMPLEMENTATIONS.join(', ')}`, HTTP_IMPLEMENTATIONS);
  const keepAliveMs = value['keepAliveMs'] === undefined ? undefined : reader.number(value, 'keepAliveMs', '$', `the server's keep-alive in ms, whole seconds from 1 s to ${LIMITS.keepAliveMs / 1000} s (gunicorn's keepalive and uvicorn's --timeout-keep-alive are whole seconds)`, (n) => Number.isInteger(n / 1000) && n >= 1000 && n <= LIMITS.keepAliveMs);
  const pythonStack = value['pythonStack'] === undefined ? SYSTEM_STACK : reader.string(value, 'pythonStack', '$', `the real stack's gunicorn and uvicorn (with --stack real), one of ${stackNames().join(', ')}`, stackNames());
  const strategies = readStrategies(reader, value['strategies'], supervisor.kind);
  if (podContainerOf(supervisor) !== null) {
    strategies.forEach((name, index) => {
      const refusal = nestedHealthRefusal(name);
      if (refusal !== null) reader.fail(`$.strategies[${index}]`, `a health strategy a pod whose container is a master can run (${NESTED_HEALTH_STRATEGIES.join(', ')}): ${refusal}`, name);
    });
  }
  const durationMs = reader.number(value, 'durationMs', '$', `a run length in ms > 0 and at most ${LIMITS.durationMs} (${describeLimit(LIMITS.durationMs)})`, (n) => n > 0 && n <= LIMITS.durationMs);
  const seed = value['seed'] === undefined ? 1 : reader.number(value, 'seed', '$', 'a whole number (a safe integer)', Number.isSafeInteger);
  const load = readLoad(reader, value['load'], handlers);
  const clockSteps = readClockSteps(reader, value['clockSteps']);
  if (supervisor.kind === 'kubelet' && clockSteps.length > 0) reader.fail('$.clockSteps', 'no clock steps under the kubelet: its probes and back-off run on the monotonic clock', value['clockSteps']);
  if (supervisor.kind === 'uvicorn' && clockSteps.length > 0) reader.fail('$.clockSteps', 'no clock steps under uvicorn\'s process manager: its pings wait on the monotonic clock', value['clockSteps']);
  const expect = readExpect(reader, value['expect'], strategies);
  const realStack = typeof value['realStack'] === 'string' ? value['realStack'] : '';
  if (reader.problems.length > 0) return { ok: false, problems: reader.problems };
  return {
    ok: true,
    scenario: { name, description, supervisor, workers, loop: loop as Scenario['loop'], http: http as Scenario['http'], ...(keepAliveMs === undefined ? {} : { keepAliveMs }), pythonStack, strategies, durationMs, seed, load, expect, clockSteps, realStack },
  };
}
