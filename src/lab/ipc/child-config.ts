// What the orchestrator tells its children, through one JSON environment variable each, and each
// child's decoder for it (lab/ipc/child-decode.ts says why these are hand-written): a child started by
// hand, or with a garbled config, says so and exits 2.

import type { HeartbeatCarrier } from '../../masters/types.js';
import type { HealthAnswerer } from '../../probes/health-strategies.js';
import type { LivenessProbe } from '../../probes/types.js';
import type { StampPrecision } from '../heartbeat-file.js';
import type { ClockStep, HttpImplementation, LoadClient, LoopDiscipline, RouteSpec } from '../../scenario/types.js';
import { checkFields, type FieldKind } from './child-decode.js';

/** Children find the heartbeat file and the listening socket at these fds. */
export const HEARTBEAT_FD = 4;
export const LISTEN_FD = 5;
/** With stack capture on: the master's request channel to the worker's capture thread. */
export const STACK_CHANNEL_FD = 6;
/** Under uvicorn's process manager: the parent's ping channel to the worker's answering thread. */
export const PING_CHANNEL_FD = 7;

/** Under uvicorn's process manager: the worker's healthcheck answerer (lab/workers/threads/pong-thread.ts). */
export interface WorkerPong {
  /** How often the answering thread needs the GIL back per answer. */
  gilTakings: number;
}

/** Under the kubelet: how this worker answers its liveness probe (probes/health-strategies.ts). */
export interface WorkerHealth {
  answeredBy: HealthAnswerer;
  /** The health route's path (served on the loop, or by the health thread). */
  path: string;
  /** The health thread answers 503 once the loop's last tick is this old (scaled). */
  loopStaleMs: number;
}

export interface WorkerConfig {
  /** The heartbeat rule under gunicorn; under the kubelet, the health strategy's name. */
  notifier: string;
  /** null under gunicorn. */
  health: WorkerHealth | null;
  /** Under uvicorn's process manager (no heartbeat rule): its answering thread; null under the others. */
  pong: WorkerPong | null;
  /** The `cpu` route holds the GIL (the `holds-gil` code kind under uvicorn's process manager). */
  cpuHoldsGil: boolean;
  loop: LoopDiscipline;
  /** uvicorn's HTTP implementation, and the loop time it costs per request read and response written beyond httptools' (scaled). */
  http: HttpImplementation;
  httpParseMs: number;
  httpWriteMs: number;
  carrier: HeartbeatCarrier;
  tickMs: number;
  timeoutMs: number;
  keepAliveMs: number;
  /** The longest a CPU handler may spin, whatever a request asks. */
  maxBlockMs: number;
  /** Threads in the pool the `offload` route runs its CPU work on. */
  offloadThreads: number;
  /** A scenario script whose `handlers` serve `script` routes; null for JSON scenarios. */
  scenarioModule: string | null;
  /** Steps of the processes' wall clock, in real ms since the run's origin. */
  clockSteps: ClockStep[];
  /** Start the stack-capture thread (--stacks). */
  captureStacks: boolean;
  /** How often the worker records its loop delay and utilisation (the master's period). */
  loopWindowMs: number;
  /** How long the worker takes to boot after the master's go (its "fork"), before it listens. */
  bootMs: number;
  /** `precise` under compressed time (lab/heartbeat-file.ts says why). */
  stamps: StampPrecision;
  /** The poll's timeout granularity, scaled: asyncio's select rounds its timeout up to 1 ms. */
  pollGranularityMs: number;
  tracePath: string;
  /** The run's origin on the monotonic clock, in ns, as a decimal string. */
  originNs: string;
}

/** How the master starts one worker: the target's command (lab/targets/). */
export interface WorkerLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** What every supervisor process of ours is told alike (lab/supervisors/spawn-supervisor.ts). */
export interface CommonSupervisorConfig {
  port: number;
  /** It stops by itself after this long, whatever happens to its parent. */
  deadlineMs: number;
  /** How workers are stopped at the end: SIGTERM, or SIGINT under Doctor, whose sampler flushes on it. */
  workerStopSignal: 'SIGTERM' | 'SIGINT';
  /** How long stopping workers get before SIGKILL. */
  workerStopGraceMs: number;
  /** --stacks: each killed worker's stack before its kill. */
  captureStacks: boolean;
  stamps: StampPrecision;
  tracePath: string;
  originNs: string;
  worker: WorkerLaunch;
}

export interface MasterConfig extends CommonSupervisorConfig {
  master: string;
  carrier: HeartbeatCarrier;
  /** gunicorn <= 21 stamps the file at creation, so a worker's boot counts as its first heartbeat. */
  bootCountsAsBeat: boolean;
  workers: number;
  timeoutMs: number;
  periodMs: number;
  /** gunicorn's random pause after each spawn is at most this long. */
  spawnPauseMaxMs: number;
  clockSteps: ClockStep[];
  /**
   * A pod's container (both killers nested): the kubelet holds the socket and passes it at LISTEN_FD on
   * `port`, and starts this master with a go once its workers' spares are armed; SIGTERM is then the
   * kubelet's kill, and the workers get gunicorn's graceful timeout (`gracefulTimeoutMs`) before SIGKILL.
   */
  inContainer: boolean;
  gracefulTimeoutMs: number;
}

/** The kubelet process (lab/supervisors/kubelet/kubelet-main.ts): one probe worker per container, all scaled. */
export interface KubeletConfig extends CommonSupervisorConfig {
  strategy: string;
  probe: LivenessProbe;
  workers: number;
  carrier: HeartbeatCarrier;
  /** The kubelet's own durations, scaled (scenario/scale-time.ts): a second (initialDelaySeconds counts whole ones), PLEG's relist, the crash-loop back-off's first delay and cap. */
  secondMs: number;
  plegRelistMs: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** A pod whose container is a master with its workers: its process and config (the port is filled in by the kubelet); null: the containers are the workers. */
  container: ContainerLaunch | null;
}

/** The process a pod's container runs: gunicorn's re-created master, or uvicorn's process manager. */
export type ContainerLaunch = { supervisor: 'gunicorn'; config: MasterConfig } | { supervisor: 'uvicorn'; config: UvicornManagerConfig };

/** uvicorn's process manager (lab/supervisors/uvicorn/manager-main.ts), its durations scaled. */
export interface UvicornManagerConfig extends CommonSupervisorConfig {
  workers: number;
  healthcheckTimeoutMs: number;
  /** The wait between rounds of checks (0.5 s, scaled). */
  intervalMs: number;
  /** A pod's container, as MasterConfig's: the kubelet's socket at LISTEN_FD, its go, SIGTERM as the kill (the children then get `gracefulTimeoutMs`). */
  inContainer: boolean;
  gracefulTimeoutMs: number;
}

export interface LoadConfig {
  /** Closed load: the clients; open load: the most connections its arrivals open. */
  clients: number;
  thinkMs: number;
  /** An open load's mean gap between arrivals (real ms); 0 for closed-loop clients. */
  arrivalGapMs: number;
  /** The closed-loop client that sends the requests. */
  client: LoadClient;
  /** wrk's executable when the client is wrk, else ''. */
  wrkPath: string;
  /** nginx in front of the server (load/nginx-proxy.ts): its executable and the server's port; null: straight to the server. */
  proxy: { nginxPath: string; upstreamPort: number } | null;
  durationMs: number;
  /** autocannon's per-request timeout, above the worst handler time. */
  requestTimeoutMs: number;
  routes: RouteSpec[];
  seed: number;
  tracePath: string;
  originNs: string;
}

export const WORKER_CONFIG_ENV = 'STARVE_LAB_WORKER';
export const MASTER_CONFIG_ENV = 'STARVE_LAB_MASTER';
export const LOAD_CONFIG_ENV = 'STARVE_LAB_LOAD';
export const KUBELET_CONFIG_ENV = 'STARVE_LAB_KUBELET';
export const UVICORN_CONFIG_ENV = 'STARVE_LAB_UVICORN';

const RUN_FIELDS: Record<string, FieldKind> = { tracePath: 'string', originNs: 'string' };

export const WORKER_FIELDS: Record<string, FieldKind> = {
  ...RUN_FIELDS,
  notifier: 'string',
  health: 'object|null',
  pong: 'object|null',
  cpuHoldsGil: 'boolean',
  loop: 'string',
  http: 'string',
  httpParseMs: 'number',
  httpWriteMs: 'number',
  carrier: 'string',
  tickMs: 'number',
  timeoutMs: 'number',
  keepAliveMs: 'number',
  maxBlockMs: 'number',
  offloadThreads: 'number',
  scenarioModule: 'string|null',
  clockSteps: 'array',
  captureStacks: 'boolean',
  loopWindowMs: 'number',
  bootMs: 'number',
  stamps: 'string',
  pollGranularityMs: 'number',
};

export const MASTER_FIELDS: Record<string, FieldKind> = {
  ...RUN_FIELDS,
  master: 'string',
  carrier: 'string',
  bootCountsAsBeat: 'boolean',
  workers: 'number',
  timeoutMs: 'number',
  periodMs: 'number',
  spawnPauseMaxMs: 'number',
  stamps: 'string',
  port: 'number',
  deadlineMs: 'number',
  workerStopSignal: 'string',
  workerStopGraceMs: 'number',
  captureStacks: 'boolean',
  clockSteps: 'array',
  worker: 'object',
  inContainer: 'boolean',
  gracefulTimeoutMs: 'number',
};

export const UVICORN_FIELDS: Record<string, FieldKind> = {
  ...RUN_FIELDS,
  workers: 'number',
  healthcheckTimeoutMs: 'number',
  intervalMs: 'number',
  inContainer: 'boolean',
  gracefulTimeoutMs: 'number',
  port: 'number',
  stamps: 'string',
  deadlineMs: 'number',
  workerStopSignal: 'string',
  workerStopGraceMs: 'number',
  captureStacks: 'boolean',
  worker: 'object',
};

export const KUBELET_FIELDS: Record<string, FieldKind> = {
  ...RUN_FIELDS,
  strategy: 'string',
  probe: 'object',
  workers: 'number',
  port: 'number',
  carrier: 'string',
  stamps: 'string',
  secondMs: 'number',
  plegRelistMs: 'number',
  backoffInitialMs: 'number',
  backoffMaxMs: 'number',
  deadlineMs: 'number',
  workerStopSignal: 'string',
  workerStopGraceMs: 'number',
  captureStacks: 'boolean',
  worker: 'object',
  container: 'object|null',
};

export const LOAD_FIELDS: Record<string, FieldKind> = {
  ...RUN_FIELDS,
  clients: 'number',
  thinkMs: 'number',
  arrivalGapMs: 'number',
  client: 'string',
  wrkPath: 'string',
  proxy: 'object|null',
  durationMs: 'number',
  requestTimeoutMs: 'number',
  routes: 'array',
  seed: 'number',
};

/** The config's problem, checking nested parts where a child relies on them; null when it fits. */
export function checkConfig(value: unknown, fields: Readonly<Record<string, FieldKind>>): string | null {
  const problem = checkFields(value, fields);
  if (problem !== null || (fields !== MASTER_FIELDS && fields !== KUBELET_FIELDS && fields !== UVICORN_FIELDS)) return problem;
  const container = (value as { container?: unknown }).container;
  if (fields === KUBELET_FIELDS && container !== null) {
    const launch = checkFields(container, { supervisor: 'string', config: 'object' }, 'container');
    if (launch !== null) return launch;
    const { supervisor, config } = container as { supervisor: string; config: unknown };
    if (supervisor !== 'gunicorn' && supervisor !== 'uvicorn') return `container.supervisor: "gunicorn" or "uvicorn", not ${JSON.stringify(supervisor)}`;
    const inner = checkConfig(config, supervisor === 'gunicorn' ? MASTER_FIELDS : UVICORN_FIELDS);
    if (inner !== null) return `container.config: ${inner}`;
  }
  return checkFields((value as { worker: unknown }).worker, { command: 'string', args: 'array', env: 'object' }, 'worker');
}

/** Reads and decodes a child's config from its environment; exits 2 if it is missing or garbled. */
export function readChildConfig<T>(envName: string, fields: Readonly<Record<string, FieldKind>>): T {
  const raw = process.env[envName];
  const fail = (why: string): never => {
    process.stderr.write(`starve-lab: ${why}\n`);
    process.exit(2);
  };
  if (raw === undefined) return fail(`this process is started by \`starve-lab run\`, not by hand (${envName} is not set).`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return fail(`${envName} is not valid JSON.`);
  }
  const problem = checkConfig(value, fields);
  return problem === null ? (value as T) : fail(`${envName}: ${problem}.`);
}
