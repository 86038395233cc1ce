// The JavaScript stacks captured at kills (pure), grouped when several kills show the same stack.

import { eventsOfType, type StackFrame, type TraceEvent } from '../trace/events.js';
import type { Kill, KillStack, KillStacks, StackUnavailable } from './types.js';

/** A frame of script code (a file URL or path), rather than a builtin or native one. */
export function isScriptFrame(frame: StackFrame): boolean {
  return frame.url.startsWith('file:') || frame.url.startsWith('/');
}

/** The innermost frame of script code: where the loop was stuck; null when it was between handlers. */
export function blockingFrameOf(frames: readonly StackFrame[]): StackFrame | null {
  return frames.find(isScriptFrame) ?? null;
}

/** Frames that decide whether two kills found the loop in the same place (the outer ones differ
 * between a first worker and a respawned one, e.g. gunicorn's spawn path). */
const SIGNATURE_FRAMES = 6;

/** Script frames only: a pause may land inside a builtin (performance.now) or just outside it. */
function signature(frames: readonly StackFrame[]): string {
  return frames
    .filter((f) => f.url !== '')
    .slice(0, SIGNATURE_FRAMES)
    .map((f) => `${f.functionName}@${f.url}:${f.line}`)
    .join('|');
}

/** The capture that followed each kill (the master asks right after WORKER TIMEOUT, before SIGABRT). */
export function findKillStacks(events: readonly TraceEvent[], kills: readonly Kill[]): KillStacks {
  const stacks = eventsOfType(events, 'stack');
  const misses = eventsOfType(events, 'stack-unavailable');
  const grouped = new Map<string, KillStack>();
  const unavailable: StackUnavailable[] = [];
  for (const kill of kills) {
    const stack = stacks.find((s) => s.pid === kill.pid && s.t >= kill.atMs);
    if (stack === undefined) {
      const miss = misses.find((m) => m.pid === kill.pid && m.t >= kill.atMs);
      if (miss !== undefined) unavailable.push({ pid: kill.pid, reason: miss.reason });
      continue;
    }
    const key = signature(stack.frames);
    const group = grouped.get(key);
    if (group === undefined) grouped.set(key, { count: 1, pids: [kill.pid], frames: stack.frames, blockingFrame: blockingFrameOf(stack.frames) });
    else {
      group.count++;
      group.pids.push(kill.pid);
    }
  }
  return { stacks: [...grouped.values()].sort((a, b) => b.count - a.count), unavailable };
}
