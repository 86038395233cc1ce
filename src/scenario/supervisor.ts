// The supervisor a scenario runs under, as one value: which kind judges a worker's liveness and kills
// it, with that kind's own settings (pure). Scenario files say it with the flat fields users know
// (`master`, `timeoutMs`, `probe`); the validator derives the kind, and this is what the rest carries.
//
// Adding a kind (docs/architecture.md): a member here, its case in every `switch (supervisor.kind)`
// the compiler then points at, and its process under lab/supervisors/<kind>/.

import { findHealthStrategy, healthStrategyNames } from '../probes/health-strategies.js';
import { scaleProbe, type ProbeSettings } from '../probes/types.js';
import { findNotifier, notifierNames } from '../notifiers/registry.js';
import { codeKindNames, findCodeKind } from '../process-manager/code-kinds.js';

/** gunicorn's arbiter in one of its presets (masters/registry.ts), judging a heartbeat against --timeout. */
export interface GunicornSupervisor {
  kind: 'gunicorn';
  /** The master preset: `gunicorn-20` (ctime, wall clock) or `gunicorn-22` (mtime, monotonic). */
  master: string;
  /** gunicorn's --timeout; 0 disables the check. */
  timeoutMs: number;
}

/**
 * A pod's container that is itself a gunicorn master with its workers (`gunicorn -k
 * uvicorn.workers.UvicornWorker` as the container's command): the second killer, inside the first.
 */
export interface GunicornPodContainer {
  kind: 'gunicorn';
  /** The master preset inside the container (`gunicorn-20`, `gunicorn-22`). */
  master: string;
  /** That master's --timeout. */
  timeoutMs: number;
  /** The heartbeat rule its workers run (uvicorn's worker since 0.17: `wall-clock`). */
  notifier: string;
}

/** A pod's container that is `uvicorn --workers N`: uvicorn's process manager pinging its children. */
export interface UvicornPodContainer {
  kind: 'uvicorn';
  /** `--timeout-worker-healthcheck`. */
  timeoutMs: number;
  /** The kind of handler code its children run (process-manager/code-kinds.ts: `pure-python`, `holds-gil`). */
  code: string;
}

export type PodContainer = GunicornPodContainer | UvicornPodContainer;

/** How reports name a pod's container master: the gunicorn preset, or `uvicorn`. */
export function podContainerName(container: PodContainer): string {
  return container.kind === 'gunicorn' ? container.master : UVICORN_MASTER;
}

/** The container as the scenario file says it: `master` (a gunicorn preset or `uvicorn`), `timeoutMs`, `notifier` or `code`. */
export function podContainerFileFields(container: PodContainer): Record<string, unknown> {
  return container.kind === 'gunicorn' ? { master: container.master, timeoutMs: container.timeoutMs, notifier: container.notifier } : { master: UVICORN_MASTER, timeoutMs: container.timeoutMs, code: container.code };
}

/**
 * The kubelet running a liveness probe against each container. With `container`, one pod whose
 * container is a gunicorn master (both killers at once, nested): the probe goes to the container's
 * port, where whichever worker accepts first answers it.
 */
export interface KubeletSupervisor {
  kind: 'kubelet';
  probe: ProbeSettings;
  container?: PodContainer | undefined;
}

/**
 * uvicorn's own process manager (`uvicorn --workers N`, process-manager/healthcheck.ts): the parent pings
 * each child in turn every 0.5 s and SIGKILLs one that does not answer within the healthcheck timeout.
 */
export interface UvicornSupervisor {
  kind: 'uvicorn';
  /** `--timeout-worker-healthcheck` (5 s, fixed before uvicorn 0.37); the scenario file's `timeoutMs`. */
  healthcheckTimeoutMs: number;
}

export type SupervisorSpec = GunicornSupervisor | KubeletSupervisor | UvicornSupervisor;
export type SupervisorKind = SupervisorSpec['kind'];

/** The scenario file's `master` value that names the kubelet. */
export const KUBELET_MASTER = 'kubelet';

/** The scenario file's `master` value that names uvicorn's own process manager. */
export const UVICORN_MASTER = 'uvicorn';

/** For the `default:` of an exhaustive switch: the compiler refuses a kind without its case. */
export function unknownKind(value: never): never {
  throw new Error(`unknown supervisor kind: ${JSON.stringify(value)}`);
}

/** The pod's container master, when the kubelet supervises one (both killers nested). */
export function podContainerOf(supervisor: SupervisorSpec): PodContainer | null {
  return supervisor.kind === 'kubelet' ? (supervisor.container ?? null) : null;
}

/** How reports and progress name the supervisor: the gunicorn preset, `kubelet`, or `kubelet + gunicorn-20` nested. */
export function supervisorName(supervisor: SupervisorSpec): string {
  switch (supervisor.kind) {
    case 'gunicorn':
      return supervisor.master;
    case 'kubelet':
      return supervisor.container === undefined ? KUBELET_MASTER : `${KUBELET_MASTER} + ${podContainerName(supervisor.container)}`;
    case 'uvicorn':
      return UVICORN_MASTER;
    default:
      return unknownKind(supervisor);
  }
}

/** Every duration of the supervisor multiplied by `factor` (--time-scale). */
export function scaleSupervisor(supervisor: SupervisorSpec, factor: number): SupervisorSpec {
  switch (supervisor.kind) {
    case 'gunicorn':
      return { ...supervisor, timeoutMs: supervisor.timeoutMs * factor };
    case 'kubelet':
      return { ...supervisor, probe: scaleProbe(supervisor.probe, factor), ...(supervisor.container === undefined ? {} : { container: { ...supervisor.container, timeoutMs: supervisor.container.timeoutMs * factor } }) };
    case 'uvicorn':
      return { ...supervisor, healthcheckTimeoutMs: supervisor.healthcheckTimeoutMs * factor };
    default:
      return unknownKind(supervisor);
  }
}

/**
 * gunicorn's --timeout, which uvicorn's heartbeat rules read (timeout_notify = timeout / 2) and which
 * bounds a request; 0 under a supervisor that has none.
 */
export function heartbeatTimeoutMs(supervisor: SupervisorSpec): number {
  switch (supervisor.kind) {
    case 'gunicorn':
      return supervisor.timeoutMs;
    case 'kubelet':
      return supervisor.container?.kind === 'gunicorn' ? supervisor.container.timeoutMs : 0;
    case 'uvicorn':
      return 0;
    default:
      return unknownKind(supervisor);
  }
}

/** What a scenario's `strategies` are under each kind, and how to find them. */
export interface StrategyCatalogue {
  /** `heartbeat rules` or `health strategies`. */
  what: string;
  names(): string[];
  has(name: string): boolean;
}

const HEARTBEAT_RULES: StrategyCatalogue = { what: 'notifier presets', names: notifierNames, has: (name) => findNotifier(name) !== undefined };
const CODE_KINDS: StrategyCatalogue = { what: 'kinds of handler code', names: codeKindNames, has: (name) => findCodeKind(name) !== undefined };
const HEALTH_STRATEGIES: StrategyCatalogue = { what: 'health strategies', names: healthStrategyNames, has: (name) => findHealthStrategy(name) !== undefined };

/** Under gunicorn a strategy is a heartbeat rule the worker runs; under the kubelet, how it answers its probe; under uvicorn's manager, the handlers' code. */
export function strategyCatalogue(kind: SupervisorKind): StrategyCatalogue {
  switch (kind) {
    case 'gunicorn':
      return HEARTBEAT_RULES;
    case 'kubelet':
      return HEALTH_STRATEGIES;
    case 'uvicorn':
      return CODE_KINDS;
    default:
      return unknownKind(kind);
  }
}

/** The supervisor as a scenario file says it (`master`, `timeoutMs`, `probe`), for params.json and sweep.json. */
export function supervisorFileFields(supervisor: SupervisorSpec): Record<string, unknown> {
  switch (supervisor.kind) {
    case 'gunicorn':
      return { master: supervisor.master, timeoutMs: supervisor.timeoutMs };
    case 'kubelet':
      return { master: KUBELET_MASTER, probe: supervisor.probe, ...(supervisor.container === undefined ? {} : { container: podContainerFileFields(supervisor.container) }) };
    case 'uvicorn':
      return { master: UVICORN_MASTER, timeoutMs: supervisor.healthcheckTimeoutMs };
    default:
      return unknownKind(supervisor);
  }
}
