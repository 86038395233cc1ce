// The kubelet process: the liveness-probe supervisor, read from the kubelet's source (Kubernetes 1.35).
// One container per worker, each with its probe worker (pkg/kubelet/prober/worker.go): created with
// the pod, it probes at once and on every tick of a Go ticker (a probe longer than the period is
// followed at once by the next), with a random first sleep only when the kubelet itself just started;
// failureThreshold failures in a row kill the container (SIGTERM, then SIGKILL after the grace: the
// probe's own terminationGracePeriodSeconds or the pod's, at least 2 s), and restartPolicy Always starts
// it again in the same sync unless the container before it finished less than the crash-loop back-off
// ago (probes/crash-loop-backoff.ts). The containers share one listening socket on 127.0.0.1, as
// replicas behind a Service; each one's probe goes to its own port (the worker tells which).
// With a container master (config.container: both killers nested) the pod has one container, a master
// with its workers (gunicorn's, or uvicorn's process manager; container-master.ts): the probe goes to
// the container's port, to whichever worker accepts it first; the kill is SIGTERM to the master (its
// own graceful stop), then SIGKILL for every process of the container after the grace.

import type { ChildProcess } from 'node:child_process';
import { KUBELET_RESYNC_MS, restartAfterExit, type Backoff, type BackoffLimits } from '../../../probes/crash-loop-backoff.js';
import { containerStarted, INITIAL_PROBE_STATE, nextProbe, probeDue, recordProbe, type ProbeWorkerState } from '../../../probes/probe-worker.js';
import { livenessKillGraceMs } from '../../../probes/types.js';
import { KUBELET_CONFIG_ENV, KUBELET_FIELDS, readChildConfig, type ContainerLaunch, type KubeletConfig } from '../../ipc/child-config.js';
import { readCarrierClockMs, readHeartbeatMs, stampHeartbeatFile } from '../../heartbeat-file.js';
import { stopWithGrace } from '../../stop-children.js';
import type { SharedSocket } from '../process/shared-socket.js';
import { awaitArmedSpare, prepareTrackedSpare, type SpareWorker } from '../process/spare-workers.js';
import { bindOrReport, openSupervisorChannel, stopWhenDone } from '../process/supervisor-process.js';
import { requestStack, type StackChannel } from '../process/stack-request.js';
import { execHeartbeatProbe, httpGetProbe, tcpSocketProbe, type ProbeOutcome } from './probe-actions.js';
import { msSince } from '../../time-base.js';
import { openTraceWriter } from '../../trace-writer.js';
import { withThrowawayServer } from '../../throwaway-server.js';
import { killProcessTree } from '../../process-tree.js';
import { prepareContainerMaster } from './container-master.js';

const config = readChildConfig<KubeletConfig>(KUBELET_CONFIG_ENV, KUBELET_FIELDS);
const originNs = BigInt(config.originNs);
const now = (): number => msSince(originNs);
const trace = openTraceWriter(config.tracePath);
const probe = config.probe;
/** The container's master (gunicorn's or uvicorn's), when the pod's container is one (both killers nested). */
const containerMaster = config.container;
/** Scenario seconds, for the log (every duration here is already scaled). */
const seconds = (ms: number): string => `${Number((ms / config.secondMs).toFixed(1))}s`;
const backoffLimits: BackoffLimits = { initialMs: config.backoffInitialMs, maxMs: config.backoffMaxMs, resyncMs: (KUBELET_RESYNC_MS / 1000) * config.secondMs, relistMs: config.plegRelistMs };

interface Container {
  child: ChildProcess;
  pid: number;
  heartbeatFd: number;
  stackChannel: StackChannel | null;
  startedAtMs: number;
  /** Where the probe goes once the worker listens; null before, or for an exec probe. */
  probePort: number | null;
  /** The kubelet decided to kill it: no more probes, SIGTERM sent. */
  killing: boolean;
}

/** One container slot of the pod: its probe worker's state survives the container's restarts. */
interface Slot {
  index: number;
  container: Container | null;
  /** Warm spares for its next containers (one kept ahead; two at the pod's start). */
  spares: SpareWorker[];
  probeState: ProbeWorkerState;
  backoff: Backoff | null;
  /** When the slot's previous container finished: the back-off is judged by it (null: none yet). */
  lastFinishedAtMs: number | null;
  probing: boolean;
  /** The pod's socket, which every container of the slot serves on. */
  socket: SharedSocket;
}

const slots: Slot[] = [];
const children = new Set<ChildProcess>();
let started = 0;
let stopping = false;
let readySent = false;

const { send, record } = openSupervisorChannel(trace);

function log(text: string): void {
  // The kubelet's event shape (kubectl describe pod), so the log reads like one.
  process.stderr.write(`[${new Date().toISOString()}] kubelet: ${text}\n`);
}

/** A spare (supervisors/process/spare-workers.ts): Node's start-up is not the container's. Nested, a warm container master. */
function prepareWorker(socket: SharedSocket): SpareWorker {
  if (containerMaster !== null) return prepareContainerMaster(children, containerMaster, socket, passOn);
  return prepareTrackedSpare(children, config.worker, socket, config.captureStacks);
}

function describeContainer(launch: ContainerLaunch): string {
  return launch.supervisor === 'gunicorn'
    ? `${launch.config.master} --timeout ${seconds(launch.config.timeoutMs)}, ${launch.config.workers} workers`
    : `uvicorn --workers ${launch.config.workers} --timeout-worker-healthcheck ${seconds(launch.config.healthcheckTimeoutMs)}`;
}

/** A container master's events and failures are the orchestrator's, passed on as they are. */
function passOn(message: object): void {
  if (process.connected) process.send?.(message);
}

/** The container starts: the spare gets its go (its "fork"), and a new spare warms up behind it. */
async function startContainer(slot: Slot, socket: SharedSocket): Promise<void> {
  const first = slot.spares.shift() ?? prepareWorker(socket);
  const { spare, failures } = await awaitArmedSpare(first, () => prepareWorker(socket), () => stopping);
  if (spare === null) {
    if (stopping) return;
    send({ type: 'failed', code: 'CHILD_FAILED', message: `The worker exited before it was ready, ${failures} times in a row.`, hint: 'Its output is in master.log of the strategy\'s directory.' });
    return stop('worker failed to boot');
  }
  const respawn = started >= config.workers;
  started++;
  if (containerMaster === null) stampHeartbeatFile(config.carrier, spare.heartbeatFd, config.stamps);
  const container: Container = { child: spare.child, pid: spare.pid, heartbeatFd: spare.heartbeatFd, stackChannel: spare.stackChannel, startedAtMs: now(), probePort: null, killing: false };
  slot.container = container;
  slot.probeState = containerStarted(slot.probeState);
  if (containerMaster === null) record({ type: 'worker-spawn', t: now(), pid: container.pid, worker: started, bootCountsAsBeat: true, respawn }, true);
  else record({ type: 'container-start', t: now(), pid: container.pid, container: started, respawn }, true);
  log(`Started container ${slot.index} (pid ${container.pid}${containerMaster === null ? '' : `, ${containerMaster.supervisor === 'gunicorn' ? 'gunicorn master' : 'uvicorn parent'} with ${containerMaster.config.workers} workers`})${respawn ? ' after a restart' : ''}`);
  container.child.on('exit', (code, signal) => onContainerExit(slot, container, code, signal, socket));
  container.child.send({ type: 'go', clockOriginMs: 0 });
  // A container master's socket is the container's port from its start, as gunicorn's master binds
  // before it forks: a probe meanwhile waits in the backlog for a worker (or is refused before the very
  // first worker ever listened on it).
  if (containerMaster !== null) container.probePort = socket.port;
  void spare.listening.then((port) => {
    container.probePort = containerMaster === null ? port : socket.port;
    if (!readySent) {
      readySent = true;
      send({ type: 'ready', port: socket.port });
    }
  });
  // A container master's spare is a master and its own spares, several Node start-ups: started now, they
  // took the cores from the new container's first requests (a host-busy run at ×0.1). It starts at
  // the next kill instead, while the condemned container finishes (killContainer).
  if (slot.spares.length === 0 && containerMaster === null) slot.spares.push(prepareWorker(socket));
}

function onContainerExit(slot: Slot, container: Container, code: number | null, signal: NodeJS.Signals | null, socket: SharedSocket): void {
  if (slot.container === container) slot.container = null;
  const exit = { t: now(), pid: container.pid, code, signal };
  record(containerMaster === null ? { type: 'worker-exit', ...exit } : { type: 'container-exit', ...exit }, !stopping);
  if (stopping) return;
  // restartPolicy Always, judged by the container that had exited before this one (probes/crash-loop-backoff.ts).
  const finishedAt = now();
  const restart = restartAfterExit(slot.backoff, { finishedAtMs: finishedAt, killedByKubelet: container.killing, previousFinishedAtMs: slot.lastFinishedAtMs }, backoffLimits, Math.random);
  slot.backoff = restart.backoff;
  slot.lastFinishedAtMs = finishedAt;
  const delayMs = restart.atMs - finishedAt;
  const backoffMs = restart.refusedSyncs > 0 ? delayMs : 0;
  record({ type: 'restart-backoff', t: finishedAt, pid: container.pid, delayMs, backoffMs }, true);
  log(backoffMs > 0 ? `Back-off ${seconds(backoffMs)} restarting failed container ${slot.index}` : `Restarting container ${slot.index}`);
  setTimeout(() => void startContainer(slot, socket), delayMs);
}

function runProbe(container: Container): Promise<ProbeOutcome> {
  switch (probe.kind) {
    case 'httpGet':
      return container.probePort === null ? Promise.resolve(notListening()) : httpGetProbe(container.probePort, probe.path, probe.timeoutMs);
    case 'tcpSocket':
      return container.probePort === null ? Promise.resolve(notListening()) : tcpSocketProbe(container.probePort, probe.timeoutMs);
    case 'exec':
      // The heartbeat file's age in whole seconds, checked by a process as an exec probe runs it in the container.
      return execHeartbeatProbe(() => ({ nowMs: readCarrierClockMs(config.carrier), stampMs: readHeartbeatMs(config.carrier, container.heartbeatFd, config.stamps) }), probe.maxHeartbeatAgeMs, probe.timeoutMs, config.secondMs);
  }
}

function notListening(): ProbeOutcome {
  return { result: 'failure', detail: 'connection refused', tookMs: 0, heartbeatAgeMs: null };
}

/** doProbe: one tick of the slot's probe worker. */
async function doProbe(slot: Slot): Promise<void> {
  const container = slot.container;
  if (container === null || container.killing || slot.probing || !probeDue(slot.probeState, probe, container.startedAtMs, now(), config.secondMs)) return;
  slot.probing = true;
  const outcome = await runProbe(container);
  slot.probing = false;
  if (stopping || slot.container !== container || container.killing) return;
  // Told to the orchestrator too: the live view counts failures in a row toward failureThreshold.
  record({ type: 'probe', t: now(), pid: container.pid, probe: probe.kind, result: outcome.result, detail: outcome.detail, tookMs: outcome.tookMs, heartbeatAgeMs: outcome.heartbeatAgeMs }, true);
  if (outcome.result === 'failure') log(`Liveness probe failed (container ${slot.index}): ${outcome.detail}`);
  const verdict = recordProbe(slot.probeState, outcome.result, probe);
  slot.probeState = verdict.state;
  if (!verdict.kill) return;
  if (containerMaster !== null && slot.spares.length === 0) slot.spares.push(prepareWorker(slot.socket));
  await killContainer(container);
}

/**
 * killContainer with the pod's grace period: SIGTERM, then SIGKILL if it is still there. With --stacks
 * the container's JavaScript stack is taken first (at most half a period: the kill is not held up).
 */
async function killContainer(container: Container): Promise<void> {
  container.killing = true;
  log(`Container ${container.pid} failed liveness probe, will be restarted`);
  record({ type: 'liveness-failed', t: now(), pid: container.pid, probe: probe.kind, failures: probe.failureThreshold }, true);
  await requestStack(container.stackChannel, probe.periodMs / 2, (reason) => record({ type: 'stack-unavailable', t: now(), pid: container.pid, reason }));
  if (stopping) return;
  record({ type: 'signal', t: now(), pid: container.pid, signal: 'SIGTERM' });
  container.child.kill('SIGTERM');
  const force = setTimeout(() => {
    if (container.child.exitCode !== null || container.child.signalCode !== null) return;
    record({ type: 'signal', t: now(), pid: container.pid, signal: 'SIGKILL' }, true);
    // The runtime kills the whole container: a master's workers with it.
    if (containerMaster !== null) killProcessTree(container.pid);
    else container.child.kill('SIGKILL');
  }, livenessKillGraceMs(probe, config.secondMs));
  container.child.once('exit', () => clearTimeout(force));
}

/**
 * The real kubelet is a long-running process; this one is new, and its first HTTP request pays for
 * Node loading and compiling its HTTP client (tens of ms, which a compressed timeout would count as
 * a slow probe). One probe of a server of its own first, off the record.
 */
async function warmUpProbe(): Promise<void> {
  if (probe.kind !== 'httpGet') return;
  await withThrowawayServer(async (port) => {
    await httpGetProbe(port, '/', 5000);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Each slot's probe worker (worker.go run): a kubelet that started less than a period ago first sleeps
 * a random part of the period; then doProbe at once and on every tick of its ticker, where a probe
 * longer than the period makes the next one start as soon as it ends (probes/probe-worker.ts nextProbe).
 */
async function runProbeWorker(slot: Slot): Promise<void> {
  if (probe.kubeletStart === 'restarted') await sleep(Math.random() * probe.periodMs);
  let tickMs = now();
  while (!stopping) {
    await doProbe(slot);
    const next = nextProbe(tickMs, probe.periodMs, now());
    tickMs = next.tickMs;
    await sleep(next.atMs - now());
  }
}

/** Containers get the stop signal (SIGTERM, or SIGINT under Doctor), spares SIGKILL; SIGKILL for all after the grace. */
function stop(reason: string): void {
  if (stopping) return;
  stopping = true;
  const spares = new Set(slots.flatMap((slot) => slot.spares.map((spare) => spare.child)));
  // A container master is told to stop as the orchestrator tells it (its short grace, not a kill's);
  // a spare master leaves with its spares.
  const ask = (child: ChildProcess): void => {
    if (containerMaster === null) child.kill(spares.has(child) ? 'SIGKILL' : config.workerStopSignal);
    else if (spares.has(child) || !child.connected) killProcessTree(child.pid ?? -1);
    else child.send({ type: 'stop' });
  };
  const force = (child: ChildProcess): void => (containerMaster === null ? void child.kill('SIGKILL') : killProcessTree(child.pid ?? -1));
  // A master's own grace for its workers runs inside this one.
  const graceMs = containerMaster === null ? config.workerStopGraceMs : 2 * config.workerStopGraceMs;
  void stopWithGrace(children, graceMs, ask, force).then(() => {
    record({ type: 'master-stop', t: now(), pid: process.pid, reason });
    trace.close();
    process.exit(0);
  });
}

function start(): void {
  const socket = bindOrReport(config.port, { send, record });
  if (socket === null) return;
  record({ type: 'master-start', t: now(), pid: process.pid, master: 'kubelet', timeoutMs: probe.timeoutMs, periodMs: probe.periodMs, port: socket.port });
  log(`liveness ${probe.kind} every ${seconds(probe.periodMs)}, timeout ${seconds(probe.timeoutMs)}, failureThreshold ${probe.failureThreshold} (${config.strategy}); ${containerMaster === null ? 'Service' : `container ${describeContainer(containerMaster)},`} on 127.0.0.1:${socket.port}`);
  for (let index = 0; index < config.workers; index++) {
    // The first container's spare and the one for its restart boot now, before the first start: booted
    // at the start, the second shared the cores with the first requests (seconds of scenario time at ×0.1).
    const slot: Slot = { index, container: null, spares: [prepareWorker(socket), prepareWorker(socket)], probeState: INITIAL_PROBE_STATE, backoff: null, lastFinishedAtMs: null, probing: false, socket };
    slots.push(slot);
  }
  void (async () => {
    await warmUpProbe();
    // The probe workers come with the pod, before its containers run: their first doProbe finds none.
    for (const slot of slots) void runProbeWorker(slot);
    for (const slot of slots) await startContainer(slot, socket);
  })();
}

stopWhenDone(stop, config.deadlineMs);
start();
