// Starting and stopping the lab's node children: a message with a deadline, SIGTERM then SIGKILL.

import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { z } from 'zod';
import { StarveError } from '../errors.js';
import { isRunning, stopWithGrace, waitForExit } from './stop-children.js';

export function spawnNodeChild(entry: string, env: Record<string, string>, stdio: StdioOptions): ChildProcess {
  return spawn(process.execPath, [entry], {
    stdio,
    env: { ...process.env, ...env },
    // Its own process group: a terminal's Ctrl-C reaches only the CLI, which stops children in order.
    detached: true,
  });
}

export { isRunning, waitForExit };

/** Resolves with the first decoded message `accept` returns a value for; rejects on exit or after `timeoutMs`. */
export function waitForMessage<M, T>(child: ChildProcess, schema: z.ZodType<M>, what: string, timeoutMs: number, accept: (message: M) => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (raw: unknown): void => {
      const decoded = schema.safeParse(raw);
      if (!decoded.success) return;
      const value = accept(decoded.data);
      if (value === undefined) return;
      cleanup();
      resolve(value);
    };
    const onExit = (code: number | null, signal: string | null): void => {
      cleanup();
      reject(new StarveError('CHILD_FAILED', `The ${what} exited (${signal ?? `code ${code}`}) before it was ready.`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new StarveError('CHILD_FAILED', `The ${what} did not get ready within ${timeoutMs / 1000} s.`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Asks a child to stop (a message if it listens, else SIGTERM), then SIGKILLs its group after `graceMs`. */
export function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  return stopWithGrace([child], graceMs, (c) => (c.connected ? c.send({ type: 'stop' }) : c.kill('SIGTERM')), (c) => killGroup(c, 'SIGKILL'));
}

/** A supervisor of the real stack that leads its own process group: SIGTERM, then SIGKILL to the group after `graceMs`. */
export function stopGroupLeader(child: ChildProcess, graceMs: number): Promise<void> {
  return stopWithGrace([child], graceMs, (c) => c.kill('SIGTERM'), (c) => killGroup(c, 'SIGKILL'));
}

/** Signals the child's whole process group (it was spawned detached), falling back to the child alone. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}
