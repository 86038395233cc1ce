// The messages the lab's children receive (decoded by hand: see child-decode.ts), and the types of
// those they send, which the orchestrator decodes with its schemas (messages.ts).

import { isMessageOf } from './child-decode.js';

/** Orchestrator -> master or load. */
export type StopMessage = { type: 'stop' };

/** Worker -> master. */
export type WorkerMessage = { type: 'listening' };

export const decodeStopMessage = (raw: unknown): StopMessage | null => (isMessageOf<StopMessage>(raw, 'stop') ? { type: 'stop' } : null);
export const decodeWorkerMessage = (raw: unknown): WorkerMessage | null => (isMessageOf<WorkerMessage>(raw, 'listening') ? { type: 'listening' } : null);
