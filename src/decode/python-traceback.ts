// A traceback as Python's faulthandler writes it (most recent call first), decoded into stack frames
// in the trace's shape (pure): the real stack's answer to "which code was blocking at the kill".

/** A frame in the trace's shape (trace/events.ts StackFrame), said here so decode/ depends on nothing. */
export interface StackFrame {
  functionName: string;
  url: string;
  line: number;
  column: number;
}

const FRAME = /^\s*File "(.+)", line (\d+) in (.+)$/;

/** The frames of the first thread dumped (the one the signal interrupted), innermost first. */
export function decodePythonTraceback(text: string): StackFrame[] {
  const frames: StackFrame[] = [];
  let started = false;
  for (const line of text.split('\n')) {
    const match = FRAME.exec(line);
    if (match !== null) {
      started = true;
      frames.push({ functionName: match[3] ?? '?', url: match[1] ?? '', line: Number(match[2]), column: 0 });
    } else if (started && line.trim() !== '') break;
  }
  return frames;
}
