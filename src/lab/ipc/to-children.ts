// The messages the lab's children receive (decoded by hand: see child-decode.ts), and the types of
// those they send, which the orchestrator decodes with its schemas (messages.ts).

import { isMessageOf } from './child-decode.js';

/** Orchestrator -> master or load. */
export type StopMessage = { type: 'stop' };

/** Master -> a spare worker: you are forked now, boot; the scenario's clock steps count from `clockOriginMs`. */
export type GoMessage = { type: 'go'; clockOriginMs: number };

/** Orchestrator -> load: the supervisor is ready on this port, start now. */
export type LoadGoMessage = { type: 'go'; port: number };

/**
 * Worker -> master: `armed` once started and waiting for its go; `listening` once it serves, with the
 * port its liveness probe goes to under the kubelet (null: none, or under gunicorn).
 */
export type WorkerMessage = { type: 'armed' } | { type: 'listening'; probePort: number | null };

export const decodeStopMessage = (raw: unknown): StopMessage | null => (isMessageOf<StopMessage>(raw, 'stop') ? { type: 'stop' } : null);
export const decodeGoMessage = (raw: unknown): GoMessage | null => {
  if (!isMessageOf<GoMessage>(raw, 'go')) return null;
  const origin = (raw as { clockOriginMs?: unknown }).clockOriginMs;
  return typeof origin === 'number' && Number.isFinite(origin) ? { type: 'go', clockOriginMs: origin } : null;
};
const isPort = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536;

export const decodeWorkerMessage = (raw: unknown): WorkerMessage | null => {
  if (!isMessageOf<WorkerMessage>(raw, 'armed', 'listening')) return null;
  if (raw.type === 'armed') return { type: 'armed' };
  const probePort = (raw as { probePort?: unknown }).probePort;
  return { type: 'listening', probePort: isPort(probePort) ? probePort : null };
};
export const decodeLoadGoMessage = (raw: unknown): LoadGoMessage | null => {
  if (!isMessageOf<LoadGoMessage>(raw, 'go')) return null;
  const port = (raw as { port?: unknown }).port;
  return isPort(port) ? { type: 'go', port } : null;
};

/**
 * A pod's container master -> the kubelet (both killers nested): `armed` once its workers' spares wait
 * for their fork, `ready` once one serves; its `event` and `failed` messages are the orchestrator's,
 * passed on as they are (the orchestrator decodes them).
 */
export type ContainerMessage = { type: 'armed' } | { type: 'ready'; port: number } | { type: 'event' | 'failed'; raw: object };

export const decodeContainerMessage = (raw: unknown): ContainerMessage | null => {
  if (!isMessageOf<ContainerMessage>(raw, 'armed', 'ready', 'event', 'failed')) return null;
  if (raw.type === 'armed') return { type: 'armed' };
  if (raw.type === 'ready') {
    const port = (raw as { port?: unknown }).port;
    return isPort(port) ? { type: 'ready', port } : null;
  }
  return { type: raw.type, raw: raw as object };
};
