// init --from's pure parts: finding the server in what a container runs, reading gunicorn's and uvicorn's
// arguments as they do, a Kubernetes manifest's container, and the scenarios the deployment becomes.
import { describe, expect, it } from 'vitest';
import { cpuCores, DEFAULT_INIT_LOAD, deploymentToScenarios, execAgeLimitS, masterForGunicorn, type DeploymentInput } from '../../src/deployment/deployment-to-scenario.js';
import { readManifest } from '../../src/deployment/read-manifest.js';
import { readGunicornArgs, readUvicornArgs } from '../../src/deployment/read-server-settings.js';
import { findServerCommand, findServerInLine, splitCommandLine } from '../../src/deployment/server-command.js';
import type { ManifestContainer } from '../../src/deployment/types.js';
import { isStarveError } from '../../src/errors.js';
import { validateScenario } from '../../src/scenario/validate-scenario.js';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isStarveError(error)) return `${error.message} ${error.hint ?? ''} ${error.details.join(' ')}`;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('finding gunicorn or uvicorn in what a container runs', () => {
  it('splits a line as a shell does, one list per simple command, keeping $VARS as written', () => {
    expect(splitCommandLine(`cd /app && exec gunicorn 'main:app' -w "$WORKERS"; echo done`)).toEqual([['cd', '/app'], ['exec', 'gunicorn', 'main:app', '-w', '$WORKERS'], ['echo', 'done']]);
  });

  it('looks through sh -c, exec, env assignments, python -m and the usual runners', () => {
    expect(findServerCommand(['sh', '-c', 'cd /srv && exec gunicorn app:app --timeout 60'])).toEqual({ server: 'gunicorn', argv: ['app:app', '--timeout', '60'] });
    expect(findServerCommand(['/bin/bash', '-c', 'PYTHONUNBUFFERED=1 python3 -u -m uvicorn app:app --workers 4'])).toEqual({ server: 'uvicorn', argv: ['app:app', '--workers', '4'] });
    expect(findServerCommand(['tini', '--', 'ddtrace-run', 'gunicorn', 'a:b'])).toEqual({ server: 'gunicorn', argv: ['a:b'] });
    expect(findServerCommand(['poetry', 'run', '/usr/local/bin/uvicorn', 'a:b'])).toEqual({ server: 'uvicorn', argv: ['a:b'] });
    expect(findServerCommand(['opentelemetry-instrument', '--traces_exporter', 'gunicorn', 'a:b'])).toEqual({ server: 'gunicorn', argv: ['a:b'] });
    expect(findServerInLine('env WEB=1 gunicorn a:b -w 2')).toEqual({ server: 'gunicorn', argv: ['a:b', '-w', '2'] });
  });

  it('finds nothing in a command that runs neither', () => {
    expect(findServerCommand(['python', 'serve.py'])).toBeNull();
    expect(findServerCommand(['python', '-m', 'http.server'])).toBeNull();
    expect(findServerInLine('node server.js')).toBeNull();
    expect(findServerCommand(['sh', '-c'])).toBeNull();
  });
});

describe("gunicorn's and uvicorn's arguments, read as they read them", () => {
  it('reads gunicorn -w4, --timeout=60, -k and an unambiguous prefix (argparse allows them)', () => {
    const settings = readGunicornArgs(['main:app', '-w4', '--timeout=60', '-k', 'uvicorn.workers.UvicornWorker', '--keep', '5', '--graceful-timeout', '20', '--bind', '0.0.0.0:80', '--preload']);
    expect(settings).toMatchObject({ app: 'main:app', workers: 4, timeoutS: 60, workerClass: 'uvicorn.workers.UvicornWorker', keepaliveS: 5, gracefulTimeoutS: 20, configFile: null });
    expect(settings.other).toEqual(['--bind 0.0.0.0:80', '--preload']);
  });

  it('keeps the last of a repeated option, and leaves a value from the environment unread', () => {
    expect(readGunicornArgs(['-t', '30', '-t', '90']).timeoutS).toBe(90);
    const deferred = readGunicornArgs(['-w', '$WORKERS']);
    expect(deferred.workers).toBeNull();
    expect(deferred.other).toContain('-w $WORKERS');
  });

  it('refuses what gunicorn itself would refuse: a timeout that is not a whole number, an option with no value, an ambiguous prefix', () => {
    expect(refusal(() => readGunicornArgs(['--timeout', '1.5']))).toMatch(/--timeout 1\.5: gunicorn takes a whole number/);
    expect(refusal(() => readGunicornArgs(['-w', '0']))).toMatch(/at least 1/);
    expect(refusal(() => readGunicornArgs(['app:app', '--timeout']))).toMatch(/--timeout needs a value/);
    expect(refusal(() => readGunicornArgs(['--log', 'x']))).toMatch(/ambiguous/);
  });

  it("reads uvicorn's --workers, --timeout-worker-healthcheck, --loop, --http and --timeout-keep-alive, with no abbreviations", () => {
    expect(readUvicornArgs(['app:app', '--workers', '4', '--timeout-worker-healthcheck=10', '--loop', 'asyncio', '--http', 'h11', '--timeout-keep-alive', '65'])).toMatchObject({ app: 'app:app', workers: 4, healthcheckTimeoutS: 10, loop: 'asyncio', http: 'h11', keepAliveS: 65 });
    expect(readUvicornArgs(['app:app', '--work', '4']).other).toContain('--work');
  });
});

const MANIFEST = `
# Source: chart/templates/service.yaml
apiVersion: v1
kind: Service
metadata: {name: api}
spec: {ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    spec:
      terminationGracePeriodSeconds: 45
      containers:
        - name: web
          command: ["gunicorn"]
          args: ["main:app", "-k", "uvicorn.workers.UvicornWorker", "--timeout", "60"]
          livenessProbe:
            httpGet: {path: /livez, port: 8000}
            periodSeconds: 5
            terminationGracePeriodSeconds: 10
          resources: {limits: {cpu: 500m}}
        - name: proxy
          image: envoy
`;

describe('a Kubernetes manifest', () => {
  it('asks which container when a pod has several, and names them', () => {
    expect(refusal(() => readManifest(MANIFEST, 'm.yaml', null))).toMatch(/2 containers: say which one serves the app with --container.*Deployment\/api: web \(livenessProbe httpGet\).*Deployment\/api: proxy \(no livenessProbe\)/s);
  });

  it("reads the chosen container's probe with Kubernetes' defaults, its grace periods, CPU limit and command", () => {
    const container = readManifest(MANIFEST, 'm.yaml', 'web');
    expect(container).toMatchObject({ workload: 'Deployment/api', name: 'web', commandLine: ['gunicorn', 'main:app', '-k', 'uvicorn.workers.UvicornWorker', '--timeout', '60'], podGraceSeconds: 45, cpuLimit: '500m' });
    expect(container.livenessProbe).toMatchObject({ handler: { kind: 'httpGet', path: '/livez' }, periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 3, terminationGracePeriodSeconds: 10 });
    expect(readManifest(MANIFEST, 'm.yaml', 'Deployment/api/web').name).toBe('web');
  });

  it('opens a List and finds a CronJob\'s and a Pod\'s containers', () => {
    const list = `{"apiVersion": "v1", "kind": "List", "items": [{"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "livenessProbe": {"tcpSocket": {"port": 80}}}]}}]}`;
    expect(readManifest(list, 'l.json', null)).toMatchObject({ workload: 'Pod/p', name: 'c', livenessProbe: { handler: { kind: 'tcpSocket' } } });
    const cron = 'kind: CronJob\nmetadata: {name: j}\nspec: {jobTemplate: {spec: {template: {spec: {containers: [{name: w}]}}}}}\n';
    expect(readManifest(cron, 'c.yaml', null).workload).toBe('CronJob/j');
  });

  it('refuses invalid YAML with its line, a manifest with no container, a probe Kubernetes would refuse', () => {
    expect(refusal(() => readManifest('kind: Deployment\nspec: [unclosed\n', 'bad.yaml', null))).toMatch(/bad\.yaml is not valid YAML \(line \d+\)/);
    expect(refusal(() => readManifest('kind: Service\nmetadata: {name: s}\n', 's.yaml', null))).toMatch(/has no container/);
    expect(refusal(() => readManifest('kind: Pod\nspec: {containers: [{name: c, livenessProbe: {periodSeconds: 0, tcpSocket: {port: 1}}}]}\n', 'p.yaml', null))).toMatch(/periodSeconds is 0: Kubernetes takes a whole number of at least 1/);
    expect(refusal(() => readManifest('kind: Pod\nspec: {containers: [{name: c, livenessProbe: {periodSeconds: 5}}]}\n', 'p.yaml', null))).toMatch(/no handler/);
    expect(refusal(() => readManifest(MANIFEST, 'm.yaml', 'nginx'))).toMatch(/no container named "nginx"/);
  });
});

const container = (overrides: Partial<ManifestContainer> = {}): ManifestContainer => ({
  workload: 'Deployment/api',
  name: 'web',
  commandLine: ['uvicorn', 'main:app'],
  livenessProbe: { handler: { kind: 'httpGet', path: '/healthz' }, initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1, terminationGracePeriodSeconds: null, given: ['httpGet'] },
  startupProbe: null,
  readinessProbe: false,
  podGraceSeconds: 30,
  podGraceGiven: false,
  cpuLimit: null,
  ...overrides,
});

const input = (overrides: Partial<DeploymentInput>): DeploymentInput => ({ name: 'api', origin: 'test', server: null, container: null, gunicornVersion: null, ...overrides });

describe('the deployment as scenarios', () => {
  it("maps uvicorn's worker under gunicorn to the wall-clock rule, the timeout, one worker, and lists every setting", () => {
    const { scenarios, notes } = deploymentToScenarios(input({ server: { server: 'gunicorn', source: 'cli', settings: readGunicornArgs(['main:app', '-k', 'uvicorn.workers.UvicornWorker', '-w', '4', '--timeout', '120', '--bind', ':80']) } }), DEFAULT_INIT_LOAD);
    expect(scenarios.map((s) => s.killer)).toEqual(['gunicorn']);
    expect(scenarios[0]?.scenario).toMatchObject({ master: 'gunicorn-22', timeoutMs: 120_000, workers: 1, strategies: ['wall-clock'], durationMs: 300_000 });
    expect(validateScenario(scenarios[0]?.scenario).ok).toBe(true);
    expect(notes.find((n) => n.setting.startsWith('gunicorn -t'))).toMatchObject({ value: '120', fate: 'used' });
    expect(notes.find((n) => n.setting === 'gunicorn option')).toMatchObject({ value: '--bind :80', fate: 'not needed' });
    expect(notes.find((n) => n.setting === 'load')?.fate).toBe('defaulted');
  });

  it("carries a keep-alive other than the server's default into the scenario, and leaves the default out", () => {
    const gunicorn = (args: string[]) => deploymentToScenarios(input({ server: { server: 'gunicorn', source: 'cli', settings: readGunicornArgs(['-k', 'uvicorn.workers.UvicornWorker', ...args]) } }), DEFAULT_INIT_LOAD);
    const five = gunicorn(['--keep-alive', '5']);
    expect(five.scenarios[0]?.scenario).toMatchObject({ keepAliveMs: 5000 });
    expect(validateScenario(five.scenarios[0]?.scenario).ok).toBe(true);
    expect(five.notes.find((n) => n.setting.startsWith('gunicorn --keep-alive'))).toMatchObject({ value: '5', fate: 'used' });
    const unset = gunicorn([]);
    expect(unset.scenarios[0]?.scenario).not.toHaveProperty('keepAliveMs');
    expect(unset.notes.find((n) => n.setting.startsWith('gunicorn --keep-alive'))?.fate).toBe('defaulted');
    const off = gunicorn(['--keep-alive', '0']);
    expect(off.scenarios[0]?.scenario).not.toHaveProperty('keepAliveMs');
    expect(off.notes.find((n) => n.setting.startsWith('gunicorn --keep-alive'))?.fate).toBe('not mapped');
    const manager = deploymentToScenarios(input({ server: { server: 'uvicorn', source: 'cli', settings: readUvicornArgs(['app:app', '--workers', '2', '--timeout-keep-alive', '65']) } }), DEFAULT_INIT_LOAD);
    expect(manager.scenarios[0]?.scenario).toMatchObject({ keepAliveMs: 65_000 });
    expect(validateScenario(manager.scenarios[0]?.scenario).ok).toBe(true);
  });

  it("takes uvicorn's h11 worker as h11, gunicorn's own ASGI worker as its heartbeat task, and an old gunicorn's master", () => {
    const h11 = deploymentToScenarios(input({ server: { server: 'gunicorn', source: 'cli', settings: readGunicornArgs(['-k', 'uvicorn.workers.UvicornH11Worker']) }, gunicornVersion: '20.1.0' }), DEFAULT_INIT_LOAD);
    expect(h11.scenarios[0]?.scenario).toMatchObject({ http: 'h11', master: 'gunicorn-20' });
    const asgi = deploymentToScenarios(input({ server: { server: 'gunicorn', source: 'cli', settings: readGunicornArgs(['-k', 'asgi']) } }), DEFAULT_INIT_LOAD);
    expect(asgi.scenarios[0]?.scenario).toMatchObject({ strategies: ['gunicorn-asgi'], master: 'gunicorn-22', pythonStack: 'newest' });
    expect(masterForGunicorn('21.2.0')).toBe('gunicorn-20');
    expect(masterForGunicorn('23.0.0')).toBe('gunicorn-22');
  });

  it('refuses workers with no loop to starve, a disabled timeout, and plain uvicorn with nothing to kill it', () => {
    expect(refusal(() => deploymentToScenarios(input({ server: { server: 'gunicorn', source: 'cli', settings: readGunicornArgs(['main:app']) } }), DEFAULT_INIT_LOAD))).toMatch(/default sync worker .* out of starve-lab's scope/);
    expect(refusal(() => deploymentToScenarios(input({ server: { server: 'gunicorn', source: 'cli', settings: readGunicornArgs(['-k', 'gthread']) } }), DEFAULT_INIT_LOAD))).toMatch(/gthread worker/);
    expect(refusal(() => deploymentToScenarios(input({ server: { server: 'gunicorn', source: 'cli', settings: readGunicornArgs(['-k', 'myco.Worker']) } }), DEFAULT_INIT_LOAD))).toMatch(/not one starve-lab knows/);
    expect(refusal(() => deploymentToScenarios(input({ server: { server: 'gunicorn', source: 'cli', settings: readGunicornArgs(['-k', 'uvicorn.workers.UvicornWorker', '-t', '0']) } }), DEFAULT_INIT_LOAD))).toMatch(/turns the master's check off/);
    expect(refusal(() => deploymentToScenarios(input({ server: { server: 'uvicorn', source: 'cli', settings: readUvicornArgs(['main:app']) } }), DEFAULT_INIT_LOAD))).toMatch(/plain uvicorn has no supervisor/);
    expect(refusal(() => deploymentToScenarios(input({ container: container({ livenessProbe: null }) }), DEFAULT_INIT_LOAD))).toMatch(/has no livenessProbe/);
    expect(refusal(() => deploymentToScenarios(input({ container: container({ livenessProbe: { ...container().livenessProbe!, handler: { kind: 'grpc' } } }) }), DEFAULT_INIT_LOAD))).toMatch(/grpc liveness probe is not supported/);
  });

  it("maps a probe's fields, the pod's and the probe's grace, with Kubernetes' defaults marked as defaulted", () => {
    const probe = { ...container().livenessProbe!, periodSeconds: 5, timeoutSeconds: 3, terminationGracePeriodSeconds: 10, given: ['httpGet', 'periodSeconds', 'timeoutSeconds', 'terminationGracePeriodSeconds'] };
    const { scenarios, notes } = deploymentToScenarios(input({ container: container({ livenessProbe: probe, podGraceSeconds: 45, podGraceGiven: true, cpuLimit: '250m' }) }), DEFAULT_INIT_LOAD);
    expect(scenarios[0]?.scenario).toMatchObject({ master: 'kubelet', strategies: ['health-on-loop'], probe: { path: '/healthz', periodMs: 5000, timeoutMs: 3000, failureThreshold: 3, terminationGracePeriodMs: 45_000, probeTerminationGracePeriodMs: 10_000 } });
    expect(validateScenario(scenarios[0]?.scenario).ok).toBe(true);
    expect(notes.find((n) => n.setting === 'livenessProbe.failureThreshold')).toMatchObject({ fate: 'defaulted', value: '3 (default)' });
    expect(notes.find((n) => n.setting === 'livenessProbe.timeoutSeconds')).toMatchObject({ fate: 'used', value: '3' });
    expect(notes.find((n) => n.setting === 'resources.limits.cpu')).toMatchObject({ fate: 'not mapped' });
    expect(notes.find((n) => n.setting === 'resources.limits.cpu')?.effect).toMatch(/about 4× its CPU time/);
  });

  it('maps an exec probe to the heartbeat file, with the age its command compares against', () => {
    const probe = { ...container().livenessProbe!, handler: { kind: 'exec' as const, command: ['sh', '-c', 'test $(($(date +%s) - $(stat -c %Y /tmp/hb))) -lt 30'] } };
    const { scenarios } = deploymentToScenarios(input({ container: container({ livenessProbe: probe }) }), DEFAULT_INIT_LOAD);
    expect(scenarios[0]?.scenario).toMatchObject({ strategies: ['health-exec-file'], probe: { maxHeartbeatAgeMs: 30_000 } });
    expect(execAgeLimitS(['/bin/check'])).toBeNull();
  });

  it('writes one scenario per killer when a master runs under a probe, and the pod with both nested', () => {
    const { scenarios, notes } = deploymentToScenarios(input({ container: container(), server: { server: 'uvicorn', source: 'manifest', settings: readUvicornArgs(['main:app', '--workers', '4']) } }), DEFAULT_INIT_LOAD);
    expect(scenarios.map((s) => [s.killer, s.scenario['name']])).toEqual([['uvicorn', 'api-uvicorn'], ['kubelet', 'api-probe'], ['pod', 'api-pod']]);
    expect(scenarios[0]?.scenario).toMatchObject({ master: 'uvicorn', workers: 2, timeoutMs: 5000, strategies: ['pure-python'] });
    expect(notes.filter((n) => n.setting === 'uvicorn --loop')).toHaveLength(1);
    // uvicorn's manager as the pod's container: its two children share the load, as its own scenario's do.
    expect(scenarios[2]?.scenario).toMatchObject({ master: 'kubelet', workers: 2, container: { master: 'uvicorn', timeoutMs: 5000, code: 'pure-python' }, load: { clients: 1 } });
    expect(validateScenario(scenarios[2]?.scenario).ok).toBe(true);
    expect(notes.find((n) => n.setting === 'two killers')).toMatchObject({ value: 'kubelet + uvicorn --workers, 2 workers', fate: 'used' });
  });

  it('writes the pod with both killers nested when gunicorn runs under a probe, beside each killer\'s own', () => {
    const gunicorn = { server: 'gunicorn' as const, source: 'manifest', settings: readGunicornArgs(['main:app', '-k', 'uvicorn.workers.UvicornWorker', '-w', '4', '--timeout', '60']) };
    const load = { ...DEFAULT_INIT_LOAD, clients: 2 };
    const { scenarios, notes } = deploymentToScenarios(input({ container: container({ commandLine: ['gunicorn'] }), server: gunicorn, gunicornVersion: '20.1.0' }), load);
    expect(scenarios.map((s) => [s.killer, s.scenario['name']])).toEqual([['gunicorn', 'api-gunicorn'], ['kubelet', 'api-probe'], ['pod', 'api-pod']]);
    const pod = scenarios[2]?.scenario;
    // Two of the four workers (this machine's cores), each with the load's share; the probe's and the master's settings both.
    expect(pod).toMatchObject({ master: 'kubelet', workers: 2, strategies: ['health-on-loop'], container: { master: 'gunicorn-20', timeoutMs: 60_000, notifier: 'wall-clock' }, probe: { timeoutMs: 1000 }, load: { clients: 4 } });
    expect(validateScenario(pod).ok && validateScenario(pod)).toMatchObject({ scenario: { supervisor: { kind: 'kubelet', container: { kind: 'gunicorn', master: 'gunicorn-20' } } } });
    expect(validateScenario(pod).ok).toBe(true);
    expect(notes.find((n) => n.setting === 'two killers')).toMatchObject({ fate: 'used', value: 'kubelet + gunicorn, 2 workers' });
    // An exec probe is one the nested pod cannot answer: no pod scenario, and the note says why.
    const exec = { ...container().livenessProbe!, handler: { kind: 'exec' as const, command: ['cat', '/tmp/healthy'] } };
    const noPod = deploymentToScenarios(input({ container: container({ livenessProbe: exec }), server: gunicorn }), load);
    expect(noPod.scenarios.map((s) => s.killer)).toEqual(['gunicorn', 'kubelet']);
    expect(noPod.notes.find((n) => n.setting === 'two killers')).toMatchObject({ fate: 'not mapped' });
    expect(noPod.notes.find((n) => n.setting === 'two killers')?.effect).toMatch(/one heartbeat file/);
  });

  it('reads CPU quantities as Kubernetes writes them', () => {
    expect([cpuCores('500m'), cpuCores('1'), cpuCores('1.5'), cpuCores('lots')]).toEqual([0.5, 1, 1.5, null]);
  });
});
