// The real Python stacks starve-lab can run (pure): the interpreter's own packages, and the newer
// gunicorn and uvicorn from a Debian suite, fetched with apt into starve-lab's cache (`stacks install`).

/** What `stacks install` fetches from the suite: both are architecture-independent (pure Python). */
export const STACK_PACKAGES = ['python3-gunicorn', 'python3-uvicorn'] as const;

export interface StackName {
  /** How the flag, the scenario field and `stacks install` name it. */
  name: string;
  /** The Debian suite its packages come from; null for the interpreter's own packages. */
  suite: string | null;
  summary: string;
}

/** The default: whatever gunicorn and uvicorn the interpreter has (Debian bookworm: 20.1.0 and 0.17.6). */
export const SYSTEM_STACK = 'system';

export const STACK_NAMES: readonly StackName[] = [
  { name: SYSTEM_STACK, suite: null, summary: "the interpreter's own gunicorn and uvicorn (Debian bookworm's 20.1.0 and 0.17.6)" },
  { name: 'trixie', suite: 'trixie', summary: "Debian trixie's (stable): gunicorn 23, uvicorn 0.32 (monotonic heartbeat; uvicorn --workers' process manager without a healthcheck option)" },
  { name: 'newest', suite: 'unstable', summary: "Debian unstable's, the newest packaged: gunicorn 26, uvicorn 0.53 (gunicorn's own ASGI worker, uvicorn's --timeout-worker-healthcheck)" },
];

export function findStackName(name: string): StackName | undefined {
  return STACK_NAMES.find((stack) => stack.name === name);
}

export function stackNames(): string[] {
  return STACK_NAMES.map((stack) => stack.name);
}

/** The command that installs a named stack, for hints. */
export function installCommand(name: string): string {
  return `npx starve-lab stacks install ${name}`;
}
