// How a long command (run, calibrate) learns it must stop: Ctrl-C, SIGTERM, or the loss of its parent.
// A CI runner's cancel often signals only the `npx`/`npm exec` wrapper, which dies without passing it
// on; the CLI, re-parented, would run the whole scenario for nobody. So it also watches its parent.

export type InterruptCause = 'SIGINT' | 'SIGTERM' | 'parent gone';

export interface Interruption {
  readonly signal: AbortSignal;
  cause(): InterruptCause | null;
  dispose(): void;
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
  const parent = process.ppid;
  const parentCheck = setInterval(() => {
    if (process.ppid !== parent) interrupt('parent gone');
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
