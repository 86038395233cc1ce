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
 * The kubelet running a liveness probe against each container. A later kind nests here: a pod whose
 * container is itself a gunicorn master with its workers.
 */
export interface KubeletSupervisor {
  kind: 'kubelet';
  probe: ProbeSettings;
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

/** How reports and progress name the supervisor: the gunicorn preset, or `kubelet`. */
export function supervisorName(supervisor: SupervisorSpec): string {
  switch (supervisor.kind) {
    case 'gunicorn':
      return supervisor.master;
    case 'kubelet':
      return KUBELET_MASTER;
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
      return { ...supervisor, probe: scaleProbe(supervisor.probe, factor) };
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
      return { master: KUBELET_MASTER, probe: supervisor.probe };
    case 'uvicorn':
      return { master: UVICORN_MASTER, timeoutMs: supervisor.healthcheckTimeoutMs };
    default:
      return unknownKind(supervisor);
  }
}
