// The three probe actions the kubelet runs (pkg/kubelet/prober, probe/http, probe/tcp), against a worker
// on 127.0.0.1: each resolves with the probe's result and what was seen, never rejects, and settles
// within its timeout. httpGet: a fresh connection (the kubelet disables keep-alive), `GET path` with the
// kubelet's User-Agent; a status from 200 to 399 within the timeout is a success, the timeout covers
// the whole exchange. tcpSocket: the connection opens within the timeout (the kernel completes the
// handshake from the listen backlog, so a blocked loop still passes). exec on a heartbeat file: the
// file's mtime is younger than the allowed age.

import http from 'node:http';
import net from 'node:net';
import type { ProbeResult } from '../../../probes/types.js';

export interface ProbeOutcome {
  result: ProbeResult;
  /** What was seen, without numbers (they are scaled): `HTTP 200`, `timed out`, `connection refused`, `heartbeat file too old`. */
  detail: string;
  /** How long the probe took, in the lab's (scaled) milliseconds. */
  tookMs: number;
  /** exec only: the heartbeat file's age (scaled ms); null otherwise or when there is no file. */
  heartbeatAgeMs: number | null;
}

/** What the kubelet sends as its User-Agent (`kube-probe/<major>.<minor>`). */
export const KUBE_PROBE_USER_AGENT = 'kube-probe/1.31';

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

export function httpGetProbe(port: number, path: string, timeoutMs: number): Promise<ProbeOutcome> {
  return probeWithin(timeoutMs, (settle) => {
    const request = http.get({ host: '127.0.0.1', port, path, agent: false, headers: { 'user-agent': KUBE_PROBE_USER_AGENT, accept: '*/*', connection: 'close' } }, (response) => {
      const status = response.statusCode ?? 0;
      // The kubelet reads (up to 10 KiB of) the body before it judges; the exchange must finish in time.
      response.resume();
      response.on('end', () => settle(status >= 200 && status < 400 ? 'success' : 'failure', `HTTP ${status}`));
      response.on('error', (error) => settle('failure', reason(error)));
    });
    request.on('error', (error) => settle('failure', reason(error)));
    return request;
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

/** `exec` of a heartbeat-age check, given a way to read the age (the lab's workers keep their file on an fd). */
export function heartbeatAgeProbe(readAgeMs: () => number, maxAgeMs: number): ProbeOutcome {
  const start = process.hrtime.bigint();
  try {
    const ageMs = readAgeMs();
    const fresh = ageMs < maxAgeMs;
    return { result: fresh ? 'success' : 'failure', detail: fresh ? 'heartbeat file fresh' : 'heartbeat file too old', tookMs: elapsedSince(start), heartbeatAgeMs: ageMs };
  } catch (error) {
    return { result: 'failure', detail: `no heartbeat file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`, tookMs: elapsedSince(start), heartbeatAgeMs: null };
  }
}
