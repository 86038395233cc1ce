// Health strategies: how a service answers the kubelet's liveness probe, compared side by side as the
// heartbeat rules are under gunicorn. Each names the probe the kubelet runs and what answers it.

import type { ProbeKind } from './types.js';

/**
 * `loop`: the app's own event loop answers (the usual Express/FastAPI health route); `thread`: a thread
 * of its own answers from the loop's last tick; `file`: the loop touches a file that an exec probe
 * checks; `kernel`: nothing in the app answers, the kernel completes the TCP handshake.
 */
export type HealthAnswerer = 'loop' | 'thread' | 'file' | 'kernel';

export interface HealthStrategy {
  readonly name: string;
  /** One line for `starve-lab list`. */
  readonly summary: string;
  readonly probe: ProbeKind;
  readonly answeredBy: HealthAnswerer;
}

export const HEALTH_STRATEGIES: readonly HealthStrategy[] = [
  {
    name: 'health-on-loop',
    summary: 'httpGet on a health route the app\'s event loop answers: waits behind every handler queued on the loop',
    probe: 'httpGet',
    answeredBy: 'loop',
  },
  {
    name: 'health-off-loop',
    summary: 'httpGet answered by a worker thread: 200 while the loop ticked within loopStaleMs, so busy passes and hung fails',
    probe: 'httpGet',
    answeredBy: 'thread',
  },
  {
    name: 'health-exec-file',
    summary: 'exec probe on a heartbeat file the loop touches every tick: a process comparing whole seconds, failed once the file is maxHeartbeatAgeMs old or the process outlasts the timeout',
    probe: 'exec',
    answeredBy: 'file',
  },
  {
    name: 'tcp-socket',
    summary: 'tcpSocket probe on the app\'s port: the kernel completes the handshake, so even a hung loop passes',
    probe: 'tcpSocket',
    answeredBy: 'kernel',
  },
];

export function findHealthStrategy(name: string): HealthStrategy | undefined {
  return HEALTH_STRATEGIES.find((strategy) => strategy.name === name);
}

export function healthStrategyNames(): string[] {
  return HEALTH_STRATEGIES.map((strategy) => strategy.name);
}

/**
 * What a pod whose container is a master with its workers (gunicorn's or uvicorn's) can answer its probe with: the probe goes to the
 * container's one port, where whichever worker accepts first serves it (`health-on-loop`), or the
 * kernel completes the handshake on the master's socket (`tcp-socket`).
 */
export const NESTED_HEALTH_STRATEGIES: readonly string[] = ['health-on-loop', 'tcp-socket'];

/** Why a health strategy cannot run in a pod whose container is a master, or null if it can. */
export function nestedHealthRefusal(name: string): string | null {
  switch (name) {
    case 'health-off-loop':
      return 'a health thread per worker needs a port per worker, and the workers share the master\'s; not modelled nested';
    case 'health-exec-file':
      return 'an exec probe reads one heartbeat file, and each worker has its own; not modelled nested';
    default:
      return NESTED_HEALTH_STRATEGIES.includes(name) || findHealthStrategy(name) === undefined ? null : 'not modelled nested';
  }
}
