// A process and everything it started, read from Linux's /proc: what a container runtime kills at once
// when a container's grace runs out (its cgroup), found here by parentage since the lab's containers
// share the kubelet's process group (so the orchestrator's CPU sampling still sees their workers).

import { readdirSync, readFileSync } from 'node:fs';

/** A process's parent pid from /proc (Linux), or null once the process is gone. */
export function parentOf(pid: number): number | null {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? ppid : null;
  } catch {
    return null;
  }
}

/** `root` and its descendants alive now, the root first; just the root where /proc cannot be read. */
export function processTree(root: number): number[] {
  let names: string[];
  try {
    names = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [root];
  }
  const children = new Map<number, number[]>();
  for (const name of names) {
    const pid = Number(name);
    const parent = parentOf(pid);
    if (parent === null) continue;
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const tree = [root];
  for (let index = 0; index < tree.length && tree.length < 10_000; index++) tree.push(...(children.get(tree[index] as number) ?? []));
  return tree;
}

/** SIGKILL for a process and all it started (each gone already is skipped). */
export function killProcessTree(root: number): void {
  // Children first, so no master is reaped before its workers are signalled.
  for (const pid of processTree(root).reverse()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
