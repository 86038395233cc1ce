// The messages between the lab's processes over their IPC channels: discriminated unions, decoded on
// receipt so no receiver casts. A message that does not decode is a defect, reported, never obeyed.

import type { ChildProcess } from 'node:child_process';
import { z } from 'zod';
import { STARVE_ERROR_CODES } from '../errors.js';
import { traceEventSchema } from '../trace/events.js';

const count = z.number().int().nonnegative();

/** Requests so far, by outcome, as the load sees them. */
export const loadCountsSchema = z.object({ sent: count, completed: count, reset: count, refused: count, timedOut: count });
export type LoadCounts = z.infer<typeof loadCountsSchema>;

/** Master -> orchestrator. */
export const masterMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), port: z.number().int() }),
  z.object({ type: z.literal('event'), event: traceEventSchema }),
  z.object({ type: z.literal('failed'), code: z.enum(STARVE_ERROR_CODES), message: z.string(), hint: z.string().nullable() }),
]);
export type MasterMessage = z.infer<typeof masterMessageSchema>;

/** Worker -> master. */
export const workerMessageSchema = z.discriminatedUnion('type', [z.object({ type: z.literal('listening') })]);
export type WorkerMessage = z.infer<typeof workerMessageSchema>;

/** Load -> orchestrator. */
export const loadMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), counts: loadCountsSchema }),
  z.object({ type: z.literal('done'), sent: count }),
]);
export type LoadMessage = z.infer<typeof loadMessageSchema>;

/** Orchestrator -> master or load. */
export const stopMessageSchema = z.discriminatedUnion('type', [z.object({ type: z.literal('stop') })]);
export type StopMessage = z.infer<typeof stopMessageSchema>;

type Receiver = Pick<ChildProcess, 'on'> | NodeJS.Process;

/** Calls `handle` with every message that decodes; anything else is written to stderr and dropped. */
export function onMessage<T>(from: Receiver, schema: z.ZodType<T>, handle: (message: T) => void, who: string): void {
  (from as NodeJS.EventEmitter).on('message', (raw: unknown) => {
    const decoded = schema.safeParse(raw);
    if (decoded.success) handle(decoded.data);
    else process.stderr.write(`starve-lab: dropped a malformed message from ${who}: ${JSON.stringify(raw)?.slice(0, 200)}\n`);
  });
}
