// How a long command (run, calibrate) learns it must stop: Ctrl-C, SIGTERM, or the loss of its parent.
// A CI runner's cancel often signals only the `npx`/`npm exec` wrapper, which dies without passing it
// on; the CLI, re-parented, would run the whole scenario for nobody. So it also watches its parent,
// and through `npm exec`'s `sh -c` the npm process above it (killed, it leaves the shell waiting).

import { readFileSync } from 'node:fs';
import { parentOf as parentOfProcess } from '../lab/process-tree.js';

export type InterruptCause = 'SIGINT' | 'SIGTERM' | 'parent gone';

export interface Interruption {
  readonly signal: AbortSignal;
  cause(): InterruptCause | null;
  dispose(): void;
}

/** A process's parent pid (this process's own without reading /proc), or null once it is gone. */
function parentOf(pid: number): number | null {
  return pid === process.pid ? process.ppid : parentOfProcess(pid);
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * The processes whose parent must stay the same: this one (its parent died if it changed) and, when
 * the parent is the `sh -c` that `npm exec`/`npx` runs a bin through, that shell (its parent, npm, died
 * if it changed). Where /proc is missing, only this process's own parent is watched.
 */
function wrapperChain(): Array<{ pid: number; parent: number }> {
  const chain = [{ pid: process.pid, parent: process.ppid }];
  const shell = process.ppid;
  const [program = '', flag] = commandLine(shell);
  const npm = parentOf(shell);
  if (npm !== null && /(^|\/)(sh|dash|bash)$/.test(program) && flag === '-c' && /^(npm|npx)\b/.test(commandLine(npm).join(' '))) chain.push({ pid: shell, parent: npm });
  return chain;
}

/** How often the CLI checks that the process that started it is still its parent. */
const PARENT_CHECK_MS = 500;

export function watchInterruptions(onInterrupt: (cause: InterruptCause) => void = () => {}): Interruption {
  const abort = new AbortController();
  let cause: InterruptCause | null = null;
  const interrupt = (why: InterruptCause): void => {
    if (cause !== null) return;
    cause = why;
    onInterrupt(why);
    abort.abort();
  };
  const onSigint = (): void => interrupt('SIGINT');
  const onSigterm = (): void => interrupt('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  const chain = wrapperChain();
  const parentCheck = setInterval(() => {
    if (chain.some(({ pid, parent }) => parentOf(pid) !== parent)) interrupt('parent gone');
  }, PARENT_CHECK_MS);
  parentCheck.unref();
  return {
    signal: abort.signal,
    cause: () => cause,
    dispose: () => {
      clearInterval(parentCheck);
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
    },
  };
}
