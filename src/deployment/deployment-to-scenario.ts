// The user's deployment as starve-lab scenarios (pure): which supervisor kills a starved worker there
// (gunicorn's master, uvicorn's process manager, the kubelet's liveness probe), with the user's own
// settings, and a note for every setting saying what it became, what was defaulted and what could not
// be mapped. The scenarios come back as scenario-file objects, validated by the caller like any file.

import { StarveError } from '../errors.js';
import { KUBELET_MASTER, UVICORN_MASTER } from '../scenario/supervisor.js';
import { nestedHealthRefusal } from '../probes/health-strategies.js';
import { LIMITS } from '../scenario/limits.js';
import { describeDeferred, describeMs, describeRouteMs } from './describe-setting.js';
import type { GunicornSettings, ManifestContainer, ManifestProbe, ServerSettings, SettingNote, UvicornSettings } from './types.js';

/** The load `init` puts in front of the deployment (flags; the seed's 1-2 s CPU-bound handlers by default). */
export interface InitLoad {
  /** Whether the flags gave it (else the default). */
  given: boolean;
  clients: number;
  thinkMs: number;
  routes: Array<{ kind: 'cpu'; weight: number; ms: number | { min: number; max: number }; label?: string }>;
}

export const DEFAULT_INIT_LOAD: InitLoad = { given: false, clients: 1, thinkMs: 1000, routes: [{ kind: 'cpu', weight: 1, ms: { min: 1000, max: 2000 } }] };

export interface DeploymentScenario {
  /** Which killer this scenario runs: `gunicorn`, `uvicorn` (its process manager) or `kubelet`. */
  killer: 'gunicorn' | 'uvicorn' | 'kubelet' | 'pod';
  scenario: Record<string, unknown>;
}

export interface DeploymentScenarios {
  scenarios: DeploymentScenario[];
  notes: SettingNote[];
}

export interface DeploymentInput {
  /** A name for the scenario(s), from the file or the container. */
  name: string;
  /** Where it came from, for the description: `gunicorn.conf.py`, `deployment.yaml (Deployment/api, container web)`. */
  origin: string;
  server: ServerSettings | null;
  container: ManifestContainer | null;
  /** The gunicorn version read with the config file (null: unknown, from a command line). */
  gunicornVersion: string | null;
}

const SECOND = 1000;
const UVICORN_WORKER = /(^|\.)Uvicorn(H11)?Worker$/;
const OUT_OF_SCOPE_WORKERS: Record<string, string> = {
  sync: "gunicorn's default sync worker",
  gthread: 'the gthread worker',
  gevent: 'the gevent worker',
  eventlet: 'the eventlet worker',
  tornado: 'the tornado worker',
};

/** The gunicorn master preset for a version (`20.1.0` → gunicorn-20, ≥ 22 → gunicorn-22). */
export function masterForGunicorn(version: string | null): string {
  const major = version === null ? null : Number(/^(\d+)/.exec(version)?.[1]);
  return major !== null && Number.isFinite(major) && major < 22 ? 'gunicorn-20' : 'gunicorn-22';
}

function note(notes: SettingNote[], setting: string, value: string | number | null, fate: SettingNote['fate'], effect: string): void {
  notes.push({ setting, value: value === null ? '' : String(value), fate, effect });
}

function killerDuration(windowMs: number): number {
  // Long enough for the killer to act a couple of times after the load has built up, bounded.
  return Math.min(10 * 60 * SECOND, Math.max(45 * SECOND, Math.ceil((2.5 * windowMs) / SECOND) * SECOND));
}

function loadFields(load: InitLoad): Record<string, unknown> {
  return { clients: load.clients, thinkMs: load.thinkMs, routes: load.routes.map(({ kind, weight, ms }) => ({ kind, weight, ms })) };
}

/** gunicorn's worker class → the heartbeat rule its worker runs, or a refusal for the workers out of scope. */
function gunicornRule(settings: GunicornSettings, notes: SettingNote[]): { strategy: string; http: 'h11' | null } {
  const workerClass = settings.workerClass ?? 'sync';
  const short = workerClass.replace(/^gunicorn\.workers\.\w+\./, '').replace(/Worker$/, '').toLowerCase();
  if (UVICORN_WORKER.test(workerClass)) {
    const h11 = workerClass.endsWith('UvicornH11Worker');
    note(notes, 'gunicorn -k (worker_class)', workerClass, 'used', `uvicorn's worker: its heartbeat is sent from the loop when a tick finds the wall clock a notify interval on (strategy wall-clock)${h11 ? ', with the h11 HTTP implementation' : ''}`);
    return { strategy: 'wall-clock', http: h11 ? 'h11' : null };
  }
  if (workerClass === 'asgi' || workerClass.endsWith('gasgi.ASGIWorker')) {
    note(notes, 'gunicorn -k (worker_class)', workerClass, 'used', "gunicorn's own ASGI worker (gunicorn >= 24): a heartbeat task on the loop every second (strategy gunicorn-asgi)");
    return { strategy: 'gunicorn-asgi', http: null };
  }
  const name = OUT_OF_SCOPE_WORKERS[workerClass] ?? OUT_OF_SCOPE_WORKERS[short];
  if (name !== undefined) {
    throw new StarveError('INVALID_SCENARIO', `${settings.workerClass === null ? 'No -k/--worker-class: ' : ''}${name} (${workerClass}) is out of starve-lab's scope: it has no event loop for a handler to starve; its heartbeat comes between requests, not from a loop's ticks.`, {
      hint: 'starve-lab reproduces event-loop workers: -k uvicorn.workers.UvicornWorker, or gunicorn >= 24\'s -k asgi.',
    });
  }
  throw new StarveError('INVALID_SCENARIO', `gunicorn worker class ${workerClass} is not one starve-lab knows.`, {
    hint: "If it subclasses uvicorn's worker, give -k uvicorn.workers.UvicornWorker; gunicorn's own ASGI worker is -k asgi.",
  });
}

function gunicornScenario(input: DeploymentInput, settings: GunicornSettings, load: InitLoad, notes: SettingNote[]): DeploymentScenario {
  const { strategy, http } = gunicornRule(settings, notes);
  const master = strategy === 'gunicorn-asgi' ? 'gunicorn-22' : masterForGunicorn(input.gunicornVersion);
  note(notes, 'gunicorn version', input.gunicornVersion === null ? 'unknown' : `${input.gunicornVersion} (the one installed here)`, 'defaulted', master === 'gunicorn-22' ? `${master}: gunicorn >= 22's master (monotonic heartbeat, mtime); if production runs gunicorn <= 21, set "master": "gunicorn-20"` : `${master}: gunicorn <= 21's master (wall-clock heartbeat, ctime), as the gunicorn that read the file; if production runs gunicorn >= 22, set "master": "gunicorn-22"`);
  // null: not on the command line; or read from a config file with gunicorn's default value.
  const isDefault = (name: string, value: number | null): boolean => value === null || (settings.defaulted?.includes(name) ?? false);
  const shown = (name: string, value: number | null, fallback: number): string => (isDefault(name, value) ? `${value ?? fallback} (default)` : String(value));
  const timeoutS = settings.timeoutS ?? 30;
  if (timeoutS === 0) {
    throw new StarveError('INVALID_SCENARIO', "gunicorn --timeout 0 turns the master's check off: nothing in this deployment kills a starved worker, so there is nothing to reproduce.", { hint: 'Under Kubernetes, give the manifest (its liveness probe is then the killer).' });
  }
  note(notes, 'gunicorn -t (timeout)', shown('timeout', settings.timeoutS, 30), isDefault('timeout', settings.timeoutS) ? 'defaulted' : 'used', `timeoutMs ${timeoutS * SECOND}`);
  const workers = settings.workers ?? 1;
  note(notes, 'gunicorn -w (workers)', shown('workers', settings.workers, 1), isDefault('workers', settings.workers) ? 'defaulted' : 'used', workers === 1 ? 'workers 1' : `workers 1: the master judges each worker on its own heartbeat, so one worker under its share of the load shows a worker's fate (${workers} CPU-bound workers on this machine's cores would distort each other)`);
  const keepAlive = keepAliveField('gunicorn --keep-alive (keepalive)', settings.keepaliveS, isDefault('keepalive', settings.keepaliveS), 2, "uvicorn's worker", notes);
  if (settings.gracefulTimeoutS !== null) note(notes, 'gunicorn --graceful-timeout', settings.gracefulTimeoutS, 'not needed', 'for restarts and shutdown: a worker past --timeout is killed at once (SIGABRT)');
  if (settings.threads !== null) note(notes, 'gunicorn --threads', settings.threads, 'not needed', 'only the gthread worker uses threads');
  for (const other of settings.other) note(notes, 'gunicorn option', other, describeDeferred(other) === null ? 'not needed' : 'not mapped', describeDeferred(other) ?? 'no bearing on how a worker is judged or killed');
  const scenario: Record<string, unknown> = {
    name: input.name,
    master,
    timeoutMs: timeoutS * SECOND,
    workers: 1,
    loop: 'uvloop',
    ...(http === null ? {} : { http }),
    ...keepAlive,
    ...(strategy === 'gunicorn-asgi' ? { pythonStack: 'newest' } : {}),
    strategies: [strategy],
    durationMs: killerDuration(timeoutS * SECOND),
    seed: 360,
    load: loadFields(load),
    expect: {},
  };
  return { killer: 'gunicorn', scenario };
}

/**
 * The server's keep-alive as a scenario field (whole seconds, as gunicorn's keepalive and uvicorn's
 * --timeout-keep-alive are): none when it is the default. It decides which idle connections a kill
 * finds and whether a client's next request races the close, not when a kill comes.
 */
function keepAliveField(setting: string, valueS: number | null, defaulted: boolean, defaultS: number, server: string, notes: SettingNote[]): { keepAliveMs?: number } {
  if (valueS === null || defaulted) {
    note(notes, setting, `${valueS ?? defaultS} (default)`, 'defaulted', `${server} closes idle connections after ${valueS ?? defaultS} s`);
    return {};
  }
  if (valueS < 1 || valueS * SECOND > LIMITS.keepAliveMs) {
    note(notes, setting, valueS, 'not mapped', `the lab takes a keep-alive from 1 s to ${LIMITS.keepAliveMs / SECOND} s; it keeps ${server}'s default ${defaultS} s`);
    return {};
  }
  note(notes, setting, valueS, 'used', `keepAliveMs ${valueS * SECOND}`);
  return valueS === defaultS ? {} : { keepAliveMs: valueS * SECOND };
}

/** uvicorn's --loop and --http as the lab runs them ("auto" picks uvloop and httptools when installed, as uvicorn[standard] has them). */
function uvicornLoopAndHttp(settings: UvicornSettings, notes: SettingNote[]): { loop: string; http: string } {
  const loop = settings.loop ?? 'auto';
  const mappedLoop = loop === 'asyncio' || loop === 'none' ? 'asyncio' : 'uvloop';
  if (loop !== 'auto' && loop !== 'uvloop' && loop !== 'asyncio' && loop !== 'none') note(notes, 'uvicorn --loop', loop, 'not mapped', 'a custom loop: the lab runs uvloop');
  else note(notes, 'uvicorn --loop', settings.loop ?? 'auto (default)', settings.loop === null ? 'defaulted' : 'used', loop === 'auto' ? 'uvloop (what auto picks when uvloop is installed, as uvicorn[standard] installs it; --loop asyncio otherwise)' : mappedLoop);
  const http = settings.http ?? 'auto';
  const mappedHttp = http === 'h11' ? 'h11' : 'httptools';
  if (http !== 'auto' && http !== 'h11' && http !== 'httptools') note(notes, 'uvicorn --http', http, 'not mapped', 'a custom protocol: the lab runs httptools');
  else note(notes, 'uvicorn --http', settings.http ?? 'auto (default)', settings.http === null ? 'defaulted' : 'used', http === 'auto' ? 'httptools (what auto picks when installed, as uvicorn[standard] installs it; plain `pip install uvicorn` serves with h11)' : mappedHttp);
  return { loop: mappedLoop, http: mappedHttp };
}

function uvicornManagerScenario(input: DeploymentInput, settings: UvicornSettings, load: InitLoad, notes: SettingNote[]): DeploymentScenario {
  const workers = settings.workers ?? 1;
  const timeoutS = settings.healthcheckTimeoutS ?? 5;
  note(notes, 'uvicorn --workers', workers, 'used', `uvicorn's process manager (uvicorn >= 0.30) pings each child in turn; the lab runs ${Math.min(workers, 2)} children${workers > 2 ? ` of your ${workers}: each child's fate turns on its own stalls and on the round the parent is in, and more CPU-bound children than this machine's cores would distort each other` : ''}`);
  note(notes, 'uvicorn --timeout-worker-healthcheck', settings.healthcheckTimeoutS ?? '5 (default)', settings.healthcheckTimeoutS === null ? 'defaulted' : 'used', `timeoutMs ${timeoutS * SECOND}${settings.healthcheckTimeoutS === null ? ' (fixed at 5 s before uvicorn 0.37)' : ''}`);
  const { loop, http } = uvicornLoopAndHttp(settings, notes);
  const keepAlive = keepAliveField('uvicorn --timeout-keep-alive', settings.keepAliveS, false, 5, 'uvicorn', notes);
  note(notes, 'handler code', 'pure Python (assumed)', 'defaulted', 'strategy pure-python: the child\'s healthcheck thread gets the GIL every 5 ms; if your handlers call C code that keeps the GIL (numpy, a regex, a compression library), use "strategies": ["holds-gil"]');
  for (const other of settings.other) note(notes, 'uvicorn option', other, describeDeferred(other) === null ? 'not needed' : 'not mapped', describeDeferred(other) ?? 'no bearing on how a child is judged or killed');
  return {
    killer: 'uvicorn',
    scenario: { name: input.name, master: UVICORN_MASTER, timeoutMs: timeoutS * SECOND, workers: Math.min(workers, 2), loop, http, ...keepAlive, pythonStack: 'newest', strategies: ['pure-python'], durationMs: killerDuration(timeoutS * SECOND), seed: 2440, load: loadFields(load), expect: {} },
  };
}

/** A CPU quantity as Kubernetes writes it ("500m", "1", "1.5", 2) in cores, or null when it is not one. */
export function cpuCores(quantity: string): number | null {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(quantity.trim());
  if (match === null) return null;
  return Number(match[1]) / (match[2] === 'm' ? 1000 : 1);
}

/** An exec probe's heartbeat age limit, when its command compares an age with a number (`-lt 30`, `< 30`). */
export function execAgeLimitS(command: readonly string[]): number | null {
  const text = command.join(' ');
  const match = /(?:-lt|-le|<=?)\s*(\d+)\b/.exec(text) ?? /(?:-gt|-ge|>=?)\s*(\d+)\b/.exec(text);
  return match === null ? null : Number(match[1]);
}

function probeStrategy(probe: ManifestProbe, notes: SettingNote[]): { strategy: string; path: string; maxAgeMs: number | null } {
  switch (probe.handler.kind) {
    case 'httpGet':
      note(notes, 'livenessProbe.httpGet', probe.handler.path, 'used', `path ${probe.handler.path}, answered by your app's route on the event loop, as most apps answer it (strategy health-on-loop); if a thread of its own answers it, use health-off-loop`);
      return { strategy: 'health-on-loop', path: probe.handler.path.startsWith('/') ? probe.handler.path : `/${probe.handler.path}`, maxAgeMs: null };
    case 'tcpSocket':
      note(notes, 'livenessProbe.tcpSocket', '', 'used', 'strategy tcp-socket: the kernel completes the handshake, so even a hung loop passes');
      return { strategy: 'tcp-socket', path: '/healthz', maxAgeMs: null };
    case 'exec': {
      const limit = execAgeLimitS(probe.handler.command);
      note(notes, 'livenessProbe.exec.command', probe.handler.command.join(' '), limit === null ? 'defaulted' : 'used', `strategy health-exec-file: a heartbeat file the loop touches, ${limit === null ? 'failed at 10 s old (no age limit found in the command; set probe.maxHeartbeatAgeMs)' : `failed at ${limit} s old`}`);
      return { strategy: 'health-exec-file', path: '/healthz', maxAgeMs: limit === null ? null : limit * SECOND };
    }
    default:
      throw new StarveError('INVALID_SCENARIO', 'A grpc liveness probe is not supported: starve-lab\'s kubelet runs httpGet, tcpSocket and exec probes.', { hint: 'An httpGet probe on the same server is the closest: the gRPC health service is answered on the loop as well.' });
  }
}

function kubeletScenario(input: DeploymentInput, container: ManifestContainer, probe: ManifestProbe, load: InitLoad, notes: SettingNote[], uvicorn: UvicornSettings | null): DeploymentScenario {
  const { strategy, path, maxAgeMs } = probeStrategy(probe, notes);
  const field = (key: keyof ManifestProbe & string, value: number, effect: string): void => note(notes, `livenessProbe.${key}`, probe.given.includes(key) ? value : `${value} (default)`, probe.given.includes(key) ? 'used' : 'defaulted', effect);
  field('periodSeconds', probe.periodSeconds, `probe.periodMs ${probe.periodSeconds * SECOND}`);
  field('timeoutSeconds', probe.timeoutSeconds, `probe.timeoutMs ${probe.timeoutSeconds * SECOND}`);
  field('failureThreshold', probe.failureThreshold, `probe.failureThreshold ${probe.failureThreshold}`);
  field('initialDelaySeconds', probe.initialDelaySeconds, `probe.initialDelayMs ${probe.initialDelaySeconds * SECOND}`);
  if (probe.successThreshold !== 1) throw new StarveError('INVALID_SCENARIO', `${container.workload} container ${container.name}: livenessProbe.successThreshold is ${probe.successThreshold}; Kubernetes requires 1 for a liveness probe and would refuse the manifest.`, { hint: 'Set successThreshold: 1 (or leave it out).' });
  note(notes, 'terminationGracePeriodSeconds (pod)', container.podGraceGiven ? container.podGraceSeconds : '30 (default)', container.podGraceGiven ? 'used' : 'defaulted', `probe.terminationGracePeriodMs ${container.podGraceSeconds * SECOND}`);
  if (probe.terminationGracePeriodSeconds !== null) note(notes, 'livenessProbe.terminationGracePeriodSeconds', probe.terminationGracePeriodSeconds, 'used', `probe.probeTerminationGracePeriodMs ${probe.terminationGracePeriodSeconds * SECOND} (replaces the pod's for a liveness kill)`);
  if (container.startupProbe !== null) note(notes, 'startupProbe', container.startupProbe.handler.kind, 'not needed', "holds the liveness probe back until it first succeeds; the lab's container answers at boot, so the liveness probe starts at once, as it does once your app has started");
  if (container.readinessProbe) note(notes, 'readinessProbe', 'set', 'not needed', 'takes the pod out of the Service while it fails; it never kills');
  if (container.cpuLimit !== null) {
    const cores = cpuCores(container.cpuLimit);
    if (cores !== null && cores >= 1) note(notes, 'resources.limits.cpu', container.cpuLimit, 'not needed', 'a core or more: a worker\'s loop runs on one thread, which the CFS quota does not hold back');
    else note(notes, 'resources.limits.cpu', container.cpuLimit, 'not mapped', `CFS throttling is not modelled: under ${cores === null ? 'this limit' : `${cores} of a core`} a CPU-bound handler takes about ${cores === null ? 'more than' : `${Number((1 / cores).toFixed(1))}×`} its CPU time in wall time; give the handler times you measure in the pod with --route`);
  }
  const http = uvicorn === null ? { loop: 'uvloop', http: 'httptools' } : uvicornLoopAndHttp(uvicorn, notes);
  const keepAlive = uvicorn === null ? {} : keepAliveField('uvicorn --timeout-keep-alive', uvicorn.keepAliveS, false, 5, 'uvicorn', notes);
  if (uvicorn !== null && (uvicorn.workers ?? 1) <= 1) {
    note(notes, 'container command', (container.commandLine ?? []).join(' '), 'used', 'plain uvicorn, one process: the probe is answered by the loop that runs the handlers');
    for (const other of uvicorn.other) note(notes, 'uvicorn option', other, describeDeferred(other) === null ? 'not needed' : 'not mapped', describeDeferred(other) ?? 'no bearing on how the container is probed or killed');
  }
  const window = probe.initialDelaySeconds * SECOND + probe.failureThreshold * Math.max(probe.periodSeconds, probe.timeoutSeconds) * SECOND;
  return {
    killer: 'kubelet',
    scenario: {
      name: input.name,
      master: KUBELET_MASTER,
      workers: 1,
      loop: http.loop,
      http: http.http,
      ...keepAlive,
      strategies: [strategy],
      durationMs: killerDuration(window),
      seed: 13,
      probe: {
        path,
        initialDelayMs: probe.initialDelaySeconds * SECOND,
        periodMs: probe.periodSeconds * SECOND,
        timeoutMs: probe.timeoutSeconds * SECOND,
        failureThreshold: probe.failureThreshold,
        terminationGracePeriodMs: container.podGraceSeconds * SECOND,
        ...(probe.terminationGracePeriodSeconds === null ? {} : { probeTerminationGracePeriodMs: probe.terminationGracePeriodSeconds * SECOND }),
        ...(maxAgeMs === null ? {} : { maxHeartbeatAgeMs: maxAgeMs }),
      },
      load: loadFields(load),
      expect: {},
    },
  };
}

/** At most this many of the deployment's workers run in the pod's scenario: more CPU-bound workers than this machine's 2 cores would distort each other. */
export const POD_WORKERS_MAX = 2;

/**
 * Both killers nested, as the pod runs them: the kubelet's probe on a container that is the master
 * (gunicorn's, or uvicorn's process manager), from the two one-killer scenarios. The probe reaches
 * whichever worker accepts it, so the pod runs several workers (gunicorn's each with the load's share;
 * uvicorn's children share it, as its own scenario's do); null, with a note, when its probe is one the
 * nested pod cannot answer.
 */
function podScenario(name: string, master: DeploymentScenario, kubelet: DeploymentScenario, deploymentWorkers: number, load: InitLoad, notes: SettingNote[]): DeploymentScenario | null {
  const m = master.scenario;
  const k = kubelet.scenario;
  const server = master.killer === 'uvicorn' ? 'uvicorn --workers' : 'gunicorn';
  const strategy = (k['strategies'] as string[])[0] ?? '';
  const refusal = nestedHealthRefusal(strategy);
  if (refusal !== null) {
    note(notes, 'two killers', `${strategy} + ${server}`, 'not mapped', `the pod's scenario, both killers nested, is not written: ${refusal}; run each killer's own scenario`);
    return null;
  }
  const gunicorn = master.killer === 'gunicorn';
  const workers = gunicorn ? Math.min(deploymentWorkers, POD_WORKERS_MAX) : Number(m['workers']);
  const clients = gunicorn ? load.clients * workers : load.clients;
  const whose = workers === deploymentWorkers ? 'its' : `${workers} of its ${deploymentWorkers}`;
  note(notes, 'two killers', `kubelet + ${server}, ${workers} worker${workers === 1 ? '' : 's'}`, 'used', `${name}.json runs both nested: the kubelet probes the container, ${gunicorn ? `a gunicorn master with ${whose} workers, each with the load's share (${clients} clients)` : `uvicorn's process manager with ${whose} children sharing the load`}, and the report says which killer struck first`);
  const rule = (m['strategies'] as string[])[0];
  const { keepAliveMs } = m;
  return {
    killer: 'pod',
    scenario: {
      ...k,
      name,
      workers,
      // The workers are the master's: its settings say the loop and the HTTP implementation.
      ...(m['loop'] === undefined ? {} : { loop: m['loop'] }),
      ...(m['http'] === undefined ? {} : { http: m['http'] }),
      ...(keepAliveMs === undefined ? {} : { keepAliveMs }),
      container: gunicorn ? { master: m['master'], timeoutMs: m['timeoutMs'], notifier: rule } : { master: UVICORN_MASTER, timeoutMs: m['timeoutMs'], code: rule },
      durationMs: Math.max(Number(m['durationMs']), Number(k['durationMs'])),
      load: { ...loadFields(load), clients },
    },
  };
}

/** The scenarios that reproduce a deployment: one per killer it has (two when a master runs under a probe). */
export function deploymentToScenarios(input: DeploymentInput, load: InitLoad): DeploymentScenarios {
  const notes: SettingNote[] = [];
  const scenarios: DeploymentScenario[] = [];
  const { server, container } = input;
  const probe = container?.livenessProbe ?? null;
  if (container !== null && container.commandLine === null) note(notes, 'command / args', "the image's", 'not mapped', "the image's entrypoint is not in the manifest: give the gunicorn or uvicorn line with --from to add its killer");
  else if (container !== null && server === null) note(notes, 'command / args', (container.commandLine ?? []).join(' '), 'not mapped', 'no gunicorn or uvicorn found in it: the container is taken as plain uvicorn (one process, no master)');
  if (server?.server === 'gunicorn') scenarios.push(gunicornScenario({ ...input, name: probe === null ? input.name : `${input.name}-gunicorn` }, server.settings, load, notes));
  const managed = server?.server === 'uvicorn' && (server.settings.workers ?? 1) > 1;
  if (server?.server === 'uvicorn' && managed) scenarios.push(uvicornManagerScenario({ ...input, name: probe === null ? input.name : `${input.name}-uvicorn` }, server.settings, load, notes));
  if (container !== null && probe === null && scenarios.length === 0) {
    throw new StarveError('INVALID_SCENARIO', `${container.workload} container ${container.name} has no livenessProbe${container.commandLine === null ? '' : ' and runs no gunicorn or uvicorn --workers'}: nothing kills a starved worker there.`, {
      hint: container.startupProbe !== null || container.readinessProbe ? 'A startup or readiness probe never kills a running container; add a livenessProbe to reproduce one.' : 'Add the livenessProbe your pods run (kubectl get deploy NAME -o yaml shows it).',
    });
  }
  if (server?.server === 'uvicorn' && !managed && probe === null) {
    throw new StarveError('INVALID_SCENARIO', `${input.origin}: plain uvicorn${server.settings.workers === 1 ? ' --workers 1' : ''} has no supervisor: nothing kills a starved worker there, so there is nothing to reproduce.`, {
      hint: 'Give the Kubernetes manifest that runs it (its liveness probe is the killer), or the uvicorn --workers N line (its process manager is).',
    });
  }
  if (container !== null && probe !== null) scenarios.push(kubeletScenario({ ...input, name: scenarios.length === 0 ? input.name : `${input.name}-probe` }, container, probe, load, notes, server?.server === 'uvicorn' ? server.settings : null));
  const [first, second] = scenarios;
  if (scenarios.length === 2 && first !== undefined && second?.killer === 'kubelet' && server !== null) {
    const pod = podScenario(`${input.name}-pod`, first, second, server.settings.workers ?? 1, load, notes);
    if (pod !== null) scenarios.push(pod);
  }
  const routes = load.routes.map((route) => route.label ?? describeRouteMs(route.ms)).join(', ');
  note(notes, 'load', `${load.clients} client${load.clients === 1 ? '' : 's'}, think ${describeMs(load.thinkMs)}, CPU-bound handlers of ${routes}`, load.given ? 'used' : 'defaulted', load.given ? 'from --clients, --think and --route' : 'the 1-2 s CPU-bound handlers of uvicorn #360, one client pausing 1 s; give yours with --clients, --think and --route');
  // A setting read twice (uvicorn's --loop for both of its killers) is listed once.
  const once = new Map(notes.map((n) => [`${n.setting}\u0000${n.value}`, n]));
  return { scenarios, notes: [...once.values()] };
}
