// The three probe actions the kubelet runs (pkg/kubelet/prober, probe/http, probe/tcp), against a worker
// on 127.0.0.1: each resolves with the probe's result and what was seen, never rejects, and settles
// within its timeout. httpGet (pkg/probe/http): a fresh connection (the kubelet disables keep-alive),
// `GET path` with the kubelet's User-Agent, redirects followed on the same host (up to 10), at most
// 10 KiB of body read; a status from 200 to 399 within the timeout is a success, the timeout covers
// the whole exchange. tcpSocket: the connection opens within the timeout (the kernel completes the
// handshake from the listen backlog, so a blocked loop still passes). exec on a heartbeat file: a
// process comparing whole seconds, within the probe's timeout.

import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { KUBELET_VERSION, type ProbeResult } from '../../../probes/types.js';

export interface ProbeOutcome {
  result: ProbeResult;
  /** What was seen, without numbers (they are scaled): `HTTP 200`, `timed out`, `connection refused`, `heartbeat file too old`. */
  detail: string;
  /** How long the probe took, in the lab's (scaled) milliseconds. */
  tookMs: number;
  /** exec only: the heartbeat file's age (scaled ms); null otherwise or when there is no file. */
  heartbeatAgeMs: number | null;
}

/** What the kubelet sends as its User-Agent (`kube-probe/<major>.<minor>` of its version). */
export const KUBE_PROBE_USER_AGENT = `kube-probe/${KUBELET_VERSION}`;

function elapsedSince(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e6;
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ECONNREFUSED' ? 'connection refused' : code === 'ECONNRESET' ? 'connection reset' : String((error as Error).message ?? error);
}

type Settle = (result: ProbeResult, detail: string) => void;

/**
 * One network probe: `begin` opens what it needs and reports through `settle`; the first report wins,
 * the timeout is a failure, and `begin`'s returned connection is destroyed either way.
 */
function probeWithin(timeoutMs: number, begin: (settle: Settle) => { destroy(): unknown }): Promise<ProbeOutcome> {
  const start = process.hrtime.bigint();
  return new Promise((resolve) => {
    let settled = false;
    const settle: Settle = (result, detail) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      connection.destroy();
      resolve({ result, detail, tookMs: elapsedSince(start), heartbeatAgeMs: null });
    };
    const timer = setTimeout(() => settle('failure', 'timed out'), timeoutMs);
    const connection = begin(settle);
  });
}

/** pkg/probe/http: the body is read up to 10 KiB (more is cut off, not an error). */
export const MAX_PROBE_BODY_BYTES = 10 * 1024;
/** Go's http.Client follows these (with a Location), up to 10 hops; the kubelet only on the same host. */
const FOLLOWED_REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

/** The status judged as the kubelet does: 200-399 passes (a redirect it did not follow is a warning, which passes). */
function judgeStatus(status: number): ProbeResult {
  return status >= 200 && status < 400 ? 'success' : 'failure';
}

export function httpGetProbe(port: number, path: string, timeoutMs: number): Promise<ProbeOutcome> {
  return probeWithin(timeoutMs, (settle) => {
    const origin = new URL(`http://127.0.0.1:${port}${path}`);
    let current: http.ClientRequest;
    const get = (target: URL, hops: number): void => {
      current = http.get({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, agent: false, headers: { 'user-agent': KUBE_PROBE_USER_AGENT, accept: '*/*', connection: 'close' } }, (response) => {
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (FOLLOWED_REDIRECTS.has(status) && location !== undefined) {
          response.resume();
          let next: URL;
          try {
            next = new URL(location, target);
          } catch {
            return settle('failure', `HTTP ${status} with a Location that is not a URL`);
          }
          // RedirectChecker(followNonLocalRedirects = false): another host ends the chain, and the redirect itself is judged.
          if (next.hostname !== origin.hostname || next.protocol !== 'http:') return settle(judgeStatus(status), `HTTP ${status} (redirect to another host not followed)`);
          if (hops + 1 >= MAX_REDIRECTS) return settle('failure', 'stopped after 10 redirects');
          current.destroy();
          return get(next, hops + 1);
        }
        // The kubelet reads up to 10 KiB of the body before it judges; the exchange must finish in time.
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes >= MAX_PROBE_BODY_BYTES) settle(judgeStatus(status), `HTTP ${status}`);
        });
        response.on('end', () => settle(judgeStatus(status), `HTTP ${status}`));
        response.on('error', (error) => settle('failure', reason(error)));
      });
      current.on('error', (error) => settle('failure', reason(error)));
    };
    get(origin, 0);
    return { destroy: () => current.destroy() };
  });
}

export function tcpSocketProbe(port: number, timeoutMs: number): Promise<ProbeOutcome> {
  return probeWithin(timeoutMs, (settle) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => settle('success', 'connection opened'));
    socket.once('error', (error) => settle('failure', reason(error)));
    return socket;
  });
}

/** What an exec probe's `date +%s` minus `stat -c %Y` gives: each time truncated to its whole second on its own. */
export function wholeSecondAge(nowMs: number, stampMs: number, secondMs = 1000): number {
  return Math.floor(nowMs / secondMs) - Math.floor(stampMs / secondMs);
}

/** The check's limit in whole seconds (`-lt N`), from the scenario's maxHeartbeatAgeMs. */
export function wholeSecondLimit(maxAgeMs: number, secondMs = 1000): number {
  return Math.max(1, Math.round(maxAgeMs / secondMs));
}

/**
 * `exec` of the usual heartbeat check, `test $(( $(date +%s) - $(stat -c %Y FILE) )) -lt N`
 * (pkg/probe/exec): run as a process of its own, which pays its start-up, and failed when it has not
 * exited within the probe's timeout (enforced since Kubernetes 1.20's ExecProbeTimeout, always in 1.35).
 * The seconds are the run's (scaled) ones: `read` gives the clock and the file's stamp in the lab's ms,
 * and the process compares the two whole-second counts as `test` would.
 */
export function execHeartbeatProbe(read: () => { nowMs: number; stampMs: number }, maxAgeMs: number, timeoutMs: number, secondMs = 1000): Promise<ProbeOutcome> {
  const start = process.hrtime.bigint();
  let reading: { nowMs: number; stampMs: number };
  try {
    reading = read();
  } catch (error) {
    return Promise.resolve({ result: 'failure', detail: `no heartbeat file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`, tookMs: elapsedSince(start), heartbeatAgeMs: null });
  }
  const ageMs = reading.nowMs - reading.stampMs;
  const ageSeconds = wholeSecondAge(reading.nowMs, reading.stampMs, secondMs);
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: ProbeResult, detail: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ result, detail, tookMs: elapsedSince(start), heartbeatAgeMs: ageMs });
    };
    const child = spawn('/bin/sh', ['-c', 'test "$1" -lt "$2"', 'exec-probe', String(ageSeconds), String(wholeSecondLimit(maxAgeMs, secondMs))], { stdio: 'ignore' });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle('failure', 'timed out');
    }, timeoutMs);
    child.once('error', (error) => settle('failure', `exec failed (${(error as NodeJS.ErrnoException).code ?? 'error'})`));
    child.once('exit', (code) => settle(code === 0 ? 'success' : 'failure', code === 0 ? 'heartbeat file fresh' : 'heartbeat file too old'));
  });
}
