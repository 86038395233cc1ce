// A Kubernetes manifest (one or several YAML documents: kubectl's files, a Helm-rendered chart, a List)
// into the one container `init` reproduces (pure): its liveness and startup probes with Kubernetes'
// defaults for what they leave out, the pod's grace period, the CPU limit, and the command it runs.
// YAML is read by the `yaml` package (docs/architecture.md says why).

import { parseAllDocuments } from 'yaml';
import { StarveError } from '../errors.js';
import type { ManifestContainer, ManifestProbe, ProbeHandler } from './types.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Where each kind keeps its pod template. */
function podSpecOf(document: Json): Json | null {
  const spec = document['spec'];
  if (!isObject(spec)) return null;
  switch (document['kind']) {
    case 'Pod':
      return spec;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'Job': {
      const template = spec['template'];
      return isObject(template) && isObject(template['spec']) ? template['spec'] : null;
    }
    case 'CronJob': {
      const jobTemplate = spec['jobTemplate'];
      const jobSpec = isObject(jobTemplate) ? jobTemplate['spec'] : null;
      const template = isObject(jobSpec) ? jobSpec['template'] : null;
      return isObject(template) && isObject(template['spec']) ? template['spec'] : null;
    }
    default:
      return null;
  }
}

/** Every workload document, Lists opened (at most 1,000 documents, as a bound). */
function workloads(documents: readonly unknown[]): Array<{ name: string; podSpec: Json }> {
  const found: Array<{ name: string; podSpec: Json }> = [];
  const queue = [...documents];
  for (let seen = 0; queue.length > 0 && seen < 1000; seen += 1) {
    const document = queue.shift();
    if (!isObject(document)) continue;
    if (document['kind'] === 'List' && Array.isArray(document['items'])) {
      queue.push(...(document['items'] as unknown[]));
      continue;
    }
    const podSpec = podSpecOf(document);
    if (podSpec === null) continue;
    const metadata = document['metadata'];
    const name = isObject(metadata) && typeof metadata['name'] === 'string' ? metadata['name'] : '(unnamed)';
    found.push({ name: `${String(document['kind'])}/${name}`, podSpec });
  }
  return found;
}

function wholeField(object: Json, key: string, at: string, min: number, fallback: number): number {
  const value = object[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new StarveError('INVALID_SCENARIO', `${at}.${key} is ${JSON.stringify(value)}: Kubernetes takes a whole number${min > 0 ? ` of at least ${min}` : ''} there and would refuse the manifest.`, { hint: `Fix ${key} in the manifest (kubectl apply --dry-run=server would refuse it too).` });
  }
  return value;
}

function stringList(value: unknown, at: string): string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || !value.every((word) => typeof word === 'string' || typeof word === 'number')) {
    throw new StarveError('INVALID_SCENARIO', `${at} is not a list of strings: Kubernetes would refuse the manifest.`, { hint: 'command and args are lists, e.g. ["gunicorn", "main:app", "-w", "4"].' });
  }
  return value.map(String);
}

function readHandler(probe: Json, at: string): ProbeHandler {
  const handlers = ['httpGet', 'tcpSocket', 'exec', 'grpc'].filter((key) => probe[key] !== undefined && probe[key] !== null);
  if (handlers.length !== 1) {
    throw new StarveError('INVALID_SCENARIO', `${at} has ${handlers.length === 0 ? 'no handler' : `${handlers.length} handlers (${handlers.join(', ')})`}: a probe has exactly one of httpGet, tcpSocket, exec or grpc.`, { hint: 'Kubernetes would refuse the manifest too; fix the probe.' });
  }
  const kind = handlers[0];
  const body = probe[kind ?? ''];
  switch (kind) {
    case 'httpGet': {
      const path = isObject(body) && typeof body['path'] === 'string' ? body['path'] : '/';
      return { kind: 'httpGet', path };
    }
    case 'exec':
      return { kind: 'exec', command: (isObject(body) ? stringList(body['command'], `${at}.exec.command`) : null) ?? [] };
    case 'grpc':
      return { kind: 'grpc' };
    default:
      return { kind: 'tcpSocket' };
  }
}

const PROBE_DEFAULTS = { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1 } as const;

function readProbe(value: unknown, at: string): ManifestProbe | null {
  if (value === undefined || value === null) return null;
  if (!isObject(value)) throw new StarveError('INVALID_SCENARIO', `${at} is not a mapping: Kubernetes would refuse the manifest.`);
  const given = Object.keys(value);
  const grace = value['terminationGracePeriodSeconds'];
  return {
    handler: readHandler(value, at),
    initialDelaySeconds: wholeField(value, 'initialDelaySeconds', at, 0, PROBE_DEFAULTS.initialDelaySeconds),
    periodSeconds: wholeField(value, 'periodSeconds', at, 1, PROBE_DEFAULTS.periodSeconds),
    timeoutSeconds: wholeField(value, 'timeoutSeconds', at, 1, PROBE_DEFAULTS.timeoutSeconds),
    failureThreshold: wholeField(value, 'failureThreshold', at, 1, PROBE_DEFAULTS.failureThreshold),
    successThreshold: wholeField(value, 'successThreshold', at, 1, PROBE_DEFAULTS.successThreshold),
    terminationGracePeriodSeconds: grace === undefined || grace === null ? null : wholeField(value, 'terminationGracePeriodSeconds', at, 1, 0),
    given,
  };
}

function describeContainers(candidates: ReadonlyArray<{ workload: string; container: Json }>): string[] {
  return candidates.map(({ workload, container }) => {
    const probe = isObject(container['livenessProbe']) ? ` (livenessProbe ${['httpGet', 'tcpSocket', 'exec', 'grpc'].find((k) => (container['livenessProbe'] as Json)[k] !== undefined) ?? '?'})` : ' (no livenessProbe)';
    return `${workload}: ${String(container['name'])}${probe}`;
  });
}

/**
 * The container to reproduce: the one named by `containerName` (`web`, or `Deployment/api/web` when
 * several workloads have a `web`), or the only one there is.
 */
export function readManifest(text: string, file: string, containerName: string | null): ManifestContainer {
  const documents: unknown[] = [];
  for (const document of parseAllDocuments(text, { prettyErrors: true, uniqueKeys: false })) {
    const error = document.errors[0];
    if (error !== undefined) {
      const line = error.linePos?.[0].line;
      throw new StarveError('INVALID_SCENARIO', `${file} is not valid YAML${line === undefined ? '' : ` (line ${line})`}: ${error.message.split('\n')[0] ?? error.code}.`, { hint: 'Check it with `kubectl apply --dry-run=client -f FILE`, or render the chart first with `helm template`.' });
    }
    documents.push(document.toJS({ maxAliasCount: 100 }));
  }
  const found = workloads(documents);
  const candidates = found.flatMap(({ name, podSpec }) => (Array.isArray(podSpec['containers']) ? (podSpec['containers'] as unknown[]) : []).filter(isObject).map((container) => ({ workload: name, podSpec, container })));
  if (candidates.length === 0) {
    throw new StarveError('INVALID_SCENARIO', `${file} has no container: no Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod with spec.containers${found.length === 0 ? '' : ` (${found.map((w) => w.name).join(', ')} ha${found.length === 1 ? 's' : 've'} none)`}.`, {
      hint: 'Give the manifest of the workload that runs your app (for a Helm chart: helm template … > rendered.yaml).',
    });
  }
  let chosen = candidates;
  if (containerName !== null) {
    chosen = candidates.filter(({ workload, container }) => container['name'] === containerName || `${workload}/${String(container['name'])}` === containerName || `${workload.split('/')[1] ?? ''}/${String(container['name'])}` === containerName);
    if (chosen.length === 0) throw new StarveError('BAD_ARGUMENT', `${file} has no container named "${containerName}".`, { details: describeContainers(candidates), hint: 'Name one of these with --container.' });
  }
  if (chosen.length > 1) {
    throw new StarveError('BAD_ARGUMENT', `${file} has ${chosen.length} containers${containerName === null ? '' : ` named "${containerName}"`}: say which one serves the app with --container.`, {
      details: describeContainers(chosen),
      hint: `e.g. --container ${String(chosen[0]?.container['name'])}${containerName === null ? '' : ` or --container ${chosen[0]?.workload ?? ''}/${String(chosen[0]?.container['name'])}`}`,
    });
  }
  // candidates is not empty and `chosen` holds exactly one of them here.
  const { workload, podSpec, container } = chosen[0] ?? (candidates[0] as (typeof candidates)[number]);
  const at = `${workload} container ${String(container['name'])}`;
  const command = stringList(container['command'], `${at} command`);
  const args = stringList(container['args'], `${at} args`);
  const resources = container['resources'];
  const limits = isObject(resources) ? resources['limits'] : undefined;
  const cpu = isObject(limits) ? limits['cpu'] : undefined;
  return {
    workload,
    name: String(container['name']),
    commandLine: command === null && args === null ? null : [...(command ?? []), ...(args ?? [])],
    livenessProbe: readProbe(container['livenessProbe'], `${at} livenessProbe`),
    startupProbe: readProbe(container['startupProbe'], `${at} startupProbe`),
    readinessProbe: container['readinessProbe'] !== undefined && container['readinessProbe'] !== null,
    podGraceSeconds: wholeField(podSpec, 'terminationGracePeriodSeconds', `${workload} spec`, 0, 30),
    podGraceGiven: podSpec['terminationGracePeriodSeconds'] !== undefined,
    cpuLimit: typeof cpu === 'string' || typeof cpu === 'number' ? String(cpu) : null,
  };
}
