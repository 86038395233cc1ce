// Runs the real CLI (bin/starve-lab.js) in a child process, as a user would.

import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../bin/starve-lab.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** The repository's root: where `npx starve-lab` finds the package's own bin. */
const REPO = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Runs `npx starve-lab --version` once, whole. npm 11 runs a package's own bin by linking it into its
 * npx cache on first use; a first use cut short by a signal (or racing another) leaves that cache
 * without its package.json, and every later `npx` fails with ENOENT (npm's behaviour, seen here). Every
 * test file that signals an `npx starve-lab` calls this first.
 */
export function warmNpx(): void {
  try {
    execFileSync('npx', ['--no-install', 'starve-lab', '--version'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const broken = /(\S*\/_npx\/[0-9a-f]+)\/package\.json/.exec(String((error as { stderr?: unknown }).stderr ?? ''))?.[1];
    if (broken === undefined) throw error;
    throw new Error(`npx's cache for this checkout was left broken by an earlier first use cut short: remove ${broken} and run the tests again.`);
  }
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Polls `check` every 100 ms until it holds or `timeoutMs` has passed; says whether it held. */
export async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

/** Every process below `root` in the process tree. */
export function descendants(root: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter((row) => row.length === 2);
  const found: number[] = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const next = rows.filter(([, ppid]) => frontier.includes(ppid ?? -1)).map(([pid]) => pid ?? -1);
    found.push(...next);
    frontier = next;
  }
  return found;
}
