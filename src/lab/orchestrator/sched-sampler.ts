// How long each of a strategy's processes waited for a CPU, read from outside whatever the target is
// (the model, the real Python stack, the user's app): Linux's /proc/<pid>/schedstat gives the main
// thread's time on a CPU, its time runnable but waiting on a run queue, and how many times it ran.
// A loop's tick or poll that wakes up late waits exactly there, so this is the mechanism behind late
// ticks, measured on every target. Each sample appends one `sched` event per process that ran since
// the last, to its strategy's trace. Nothing is sampled where /proc has no schedstat (not Linux).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { SchedRole } from '../../trace/events.js';
import type { TraceWriter } from '../trace-writer.js';

/** How often the orchestrator reads every lab process's counters (real ms). */
export const SCHED_SAMPLE_MS = 500;

export interface SampledStrategy {
  trace: TraceWriter;
  /** Process groups and what runs in each: the supervisor's (its leader the supervisor, the rest workers) and the load's. */
  groups(): ReadonlyArray<{ pgid: number; kind: 'supervisor' | 'load' }>;
}

interface Counters {
  cpuNs: number;
  waitNs: number;
  slices: number;
}

interface ProcessEntry {
  pid: number;
  pgid: number;
}

const AVAILABLE = existsSync('/proc/self/schedstat');

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Every process with its process group, from /proc/<pid>/stat (the fields after the command's closing parenthesis). */
function listProcesses(): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readText(`/proc/${name}/stat`);
    if (stat === null) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pgid = Number(fields[2]);
    if (Number.isInteger(pgid)) entries.push({ pid: Number(name), pgid });
  }
  return entries;
}

function parseSchedstat(text: string | null): Counters | null {
  if (text === null) return null;
  const [cpu, wait, slices] = text.trim().split(' ').map(Number);
  if (cpu === undefined || wait === undefined || slices === undefined || [cpu, wait, slices].some((n) => !Number.isFinite(n))) return null;
  return { cpuNs: cpu, waitNs: wait, slices };
}

/** The main thread's counters: a worker's loop runs there (its other threads are the runtime's helpers). */
function readCounters(pid: number): Counters | null {
  return parseSchedstat(readText(`/proc/${pid}/schedstat`));
}

/** Every thread's counters summed: a load client may do its work off its main thread (wrk runs one thread per connection). */
function readAllThreads(pid: number): Counters | null {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  const sum: Counters = { cpuNs: 0, waitNs: 0, slices: 0 };
  for (const task of tasks) {
    const counters = parseSchedstat(readText(`/proc/${pid}/task/${task}/schedstat`));
    if (counters === null) continue;
    sum.cpuNs += counters.cpuNs;
    sum.waitNs += counters.waitNs;
    sum.slices += counters.slices;
  }
  return sum;
}

export interface SchedSampler {
  /** Takes a last sample, stops, and closes the traces it wrote to. */
  stop(): void;
}

export function startSchedSampler(strategies: readonly SampledStrategy[], now: () => number): SchedSampler {
  if (!AVAILABLE) return { stop: () => strategies.forEach((strategy) => strategy.trace.close()) };
  const last = new Map<number, Counters>();
  const sample = (): void => {
    const processes = listProcesses();
    for (const strategy of strategies) {
      const groups = strategy.groups();
      const t = now();
      for (const { pid, pgid } of processes) {
        const group = groups.find((g) => g.pgid === pgid);
        if (group === undefined) continue;
        // The load's own process is measured on its main thread (where autocannon runs), a client it started (wrk) on all its threads.
        const counters = group.kind === 'load' && pid !== pgid ? readAllThreads(pid) : readCounters(pid);
        if (counters === null) continue;
        const before = last.get(pid) ?? { cpuNs: 0, waitNs: 0, slices: 0 };
        last.set(pid, counters);
        const slices = counters.slices - before.slices;
        // A thread that ended takes its counts with it: a sum that went down is skipped.
        if (slices <= 0 || counters.cpuNs < before.cpuNs || counters.waitNs < before.waitNs) continue;
        const role: SchedRole = group.kind === 'load' ? 'load' : pid === pgid ? 'supervisor' : 'worker';
        strategy.trace.write({ type: 'sched', t, pid, role, cpuMs: (counters.cpuNs - before.cpuNs) / 1e6, waitMs: (counters.waitNs - before.waitNs) / 1e6, slices });
      }
    }
  };
  sample();
  const timer = setInterval(sample, SCHED_SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      sample();
      for (const strategy of strategies) strategy.trace.close();
    },
  };
}
