// The messages the orchestrator receives from its children over IPC: discriminated unions, decoded on
// receipt so no receiver casts. A message that does not decode is a defect, reported, never obeyed.
// (What the children themselves receive is decoded in child-messages.ts, without zod.)

import { z } from 'zod';
import { onDecodedMessage } from './child-decode.js';
import { STARVE_ERROR_CODES } from '../../errors.js';
import { traceEventSchema } from '../../trace/events.js';

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

/** Load -> orchestrator. */
export const loadMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('armed') }),
  z.object({ type: z.literal('progress'), counts: loadCountsSchema }),
  z.object({ type: z.literal('done'), sent: count }),
]);
export type LoadMessage = z.infer<typeof loadMessageSchema>;

type Receiver = Parameters<typeof onDecodedMessage>[0];

/** Calls `handle` with every message that decodes; anything else is written to stderr and dropped. */
export function onMessage<T>(from: Receiver, schema: z.ZodType<T>, handle: (message: T) => void, who: string): void {
  onDecodedMessage(from, (raw) => {
    const decoded = schema.safeParse(raw);
    return decoded.success ? decoded.data : null;
  }, handle, who);
}
