// Stopping the lab's child processes, the one way every process of the lab does it: ask each (a signal
// or a message), then SIGKILL whatever is still there after a grace period; resolves once all are gone.

import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
export function isPidRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Staging directories `<prefix><pid>` under `parent` whose process is gone (SIGKILLed mid-write, no handler ran): removed. */
export function removeAbandonedStaging(parent: string, prefix: string): void {
  if (!existsSync(parent)) return;
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (Number.isInteger(pid) && pid > 0 && !isPidRunning(pid)) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

export function waitForExit(child: ChildProcess): Promise<void> {
  if (!isRunning(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * `ask` each running child to stop; `force` those still running after `graceMs` (SIGKILL, to the child
 * or its group). Resolves when every child has exited.
 */
export async function stopWithGrace(children: Iterable<ChildProcess>, graceMs: number, ask: (child: ChildProcess) => void, force: (child: ChildProcess) => void): Promise<void> {
  const running = [...children].filter(isRunning);
  for (const child of running) ask(child);
  const timer = setTimeout(() => running.filter(isRunning).forEach(force), graceMs);
  await Promise.all(running.map(waitForExit));
  clearTimeout(timer);
}
