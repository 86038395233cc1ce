// Clients' answers that the real loop's poll cannot have yet, though Node has read them.

import { readable } from './closed-transports.js';
import type { Callback } from './loop-callbacks.js';

/** A request Node has read that the loop will read later, with its connection (closed ones never are). */
interface Held {
  read: Callback;
  connection: object | undefined;
}

/**
 * A batch at least this long ends after the clients answered the responses it flushed: longer than a
 * loopback client's turnaround (autocannon, wrk: 0.1 to 0.3 ms) and than the model's own tick batch
 * with its trace write; a batch that burned a handler lasts far longer. Real time, not scaled: it
 * stands for the wire's and the client's time, which compressed time does not shrink.
 */
export const CLIENT_TURNAROUND_MS = 1;

/**
 * Clients' answers to responses that left just before the loop polled again: on the wire by the real
 * loop's clock (its send takes microseconds and its next poll follows at once), though Node, whose
 * write path takes 0.5-0.9 ms, may have read them already. Those Node read early are held until the
 * loop would read them: all of them at the first poll after a batch longer than a client's turnaround
 * (`arrived`), or the first one alone at the poll the loop blocks in once nothing else is pending.
 * One closed-loop client process answers its connections one after another (autocannon: 0.2-0.5 ms
 * apart in the real traces), longer than the loop takes to wake, read and start that handler; so it
 * reads the first answer alone and the others in the poll after its batch (measured: two clients
 * answered together fall apart into one request a batch, and stay apart). With none read yet, the
 * first to come goes, if it comes within a client's turnaround of the responses leaving; what comes
 * later was not an answer to them but a request after a pause (think time), read as it comes: a loop
 * idle that long is slow to wake (the real h11 runs read two clients' requests 0.5 ms apart in one
 * poll after a second's think), and so is Node's. A connection the keep-alive closed is not read any
 * more: its request wakes nothing.
 */
export interface AnswersOnTheWire {
  /** The response on `connection` left just before the loop polled again. */
  expect(connection: object): void;
  /** Whether some client's answer is still on the wire. */
  pending(): boolean;
  /** Whether Node has read an answer the loop would have woken at already. */
  holdsOne(): boolean;
  /** Whether no answer is held at all. */
  holdsNone(): boolean;
  /** They have all arrived: the held ones are read now, the rest as they come. */
  arrived(): void;
  /** Node read a request on `connection`: `held` until the loop would read it, or `read` it now (`flushedAt`: when the responses left). */
  take(read: Callback, connection: object | undefined, flushedAt: number): 'held' | 'read';
  /** After Node's next poll, with nothing else pending (`idle`), the loop blocks in its poll and the first answer wakes it. */
  watch(idle: () => boolean): void;
}

/** `release` reads a held answer where this loop reads I/O; `onWake`: an answer woke the loop. */
export function createAnswersOnTheWire(release: (read: Callback) => void, onWake: Callback = () => {}): AnswersOnTheWire {
  let answering = new Set<object>();
  /** In the order Node read them. */
  const held: Held[] = [];
  /** The loop is blocked in its poll with every answer still on the wire. */
  let blocked = false;
  let watching = false;
  const wake = (): void => {
    blocked = false;
    onWake();
  };
  const answers: AnswersOnTheWire = {
    expect: (connection) => void answering.add(connection),
    pending: () => answering.size > 0,
    holdsOne: () => held.some(({ connection }) => readable(connection)),
    holdsNone: () => held.length === 0,
    arrived() {
      answering = new Set();
      blocked = false;
      for (const { read } of held.splice(0)) release(read);
    },
    take(read, connection, flushedAt) {
      if (connection === undefined || !answering.has(connection)) return 'read';
      if (!blocked) {
        held.push({ read, connection });
        return 'held';
      }
      // The first answer wakes the loop; after a pause, the clients were not answering those responses.
      if (performance.now() - flushedAt > CLIENT_TURNAROUND_MS) answers.arrived();
      wake();
      return 'read';
    },
    watch(idle) {
      if (watching) return;
      watching = true;
      // Queued from the check phase, this runs after Node's next poll.
      setImmediate(() => {
        watching = false;
        if (answering.size === 0) return;
        if (!idle()) return answers.watch(idle);
        while (held.length > 0 && !readable(held[0]?.connection)) held.shift();
        const first = held.shift();
        // Blocked, the loop waits for the answer itself; after one it polls again once its batch is done.
        if (first === undefined) return void (blocked = true);
        wake();
        release(first.read);
        if (answering.size > 0) answers.watch(idle);
      });
    },
  };
  return answers;
}
