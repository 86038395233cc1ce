// What runs in the handlers under uvicorn's own process manager (`uvicorn --workers N`), compared side by
// side as heartbeat rules are under gunicorn and health strategies under the kubelet. Its healthcheck is
// answered by a thread of each child, so what matters is whether the handlers' code lets that thread run.

export interface CodeKind {
  readonly name: string;
  /** One line for `starve-lab list`. */
  readonly summary: string;
  /** The `cpu` route keeps the GIL for its whole length (a C call that does not release it). */
  readonly cpuHoldsGil: boolean;
}

export const CODE_KINDS: readonly CodeKind[] = [
  {
    name: 'pure-python',
    summary: 'the cpu route burns in Python bytecode: the interpreter hands the GIL to the healthcheck thread every 5 ms, so a starved loop still answers its pings',
    cpuHoldsGil: false,
  },
  {
    name: 'holds-gil',
    summary: 'the cpu route burns in one C call that keeps the GIL (an extension call, a catastrophic regex): the healthcheck thread waits it out, and a ping unanswered for the timeout kills the child',
    cpuHoldsGil: true,
  },
];

/** What handlers are assumed to run when nothing says otherwise. */
export const PURE_PYTHON = 'pure-python';

export function findCodeKind(name: string): CodeKind | undefined {
  return CODE_KINDS.find((kind) => kind.name === name);
}

export function codeKindNames(): string[] {
  return CODE_KINDS.map((kind) => kind.name);
}
