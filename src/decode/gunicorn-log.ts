// gunicorn's own log lines (its error log, gunicorn 20.x and later), decoded into what they say about
// the master and its workers (pure). The real stack's supervisor learns kills, exits and respawns here.

export type GunicornLogEntry =
  | { kind: 'listening'; port: number; masterPid: number }
  | { kind: 'booting'; pid: number }
  | { kind: 'worker-timeout'; pid: number }
  | { kind: 'terminated-by-signal'; pid: number; signal: number }
  | { kind: 'worker-exiting'; pid: number }
  | { kind: 'shutting-down' }
  | { kind: 'worker-boot-failed'; reason: string }
  | { kind: 'error'; text: string };

/** `[2026-11-25 03:10:00 +0000] [1234] [INFO] text`: gunicorn's default error-log format. */
const LINE = /^\[[^\]]+\] \[(\d+)\] \[([A-Z]+)\] (.*)$/;

export function decodeGunicornLogLine(line: string): GunicornLogEntry | null {
  const match = LINE.exec(line.trim());
  if (match === null) return null;
  const [, pidText = '', level = '', text = ''] = match;
  const pid = Number(pidText);
  let m: RegExpExecArray | null;
  if ((m = /^Listening at: http:\/\/[^:]+:(\d+) \((\d+)\)$/.exec(text)) !== null) return { kind: 'listening', port: Number(m[1]), masterPid: Number(m[2]) };
  if ((m = /^Booting worker with pid: (\d+)$/.exec(text)) !== null) return { kind: 'booting', pid: Number(m[1]) };
  if ((m = /^WORKER TIMEOUT \(pid:(\d+)\)$/.exec(text)) !== null) return { kind: 'worker-timeout', pid: Number(m[1]) };
  if ((m = /^Worker with pid (\d+) was terminated due to signal (\d+)$/.exec(text)) !== null) return { kind: 'terminated-by-signal', pid: Number(m[1]), signal: Number(m[2]) };
  // gunicorn >= 21: "Worker (pid:N) was sent SIGKILL! Perhaps out of memory?"; a raw status (23: "code 134", a core dump's flag) or "signal N".
  if ((m = /^Worker \(pid:(\d+)\) was sent (SIG[A-Z]+|code \d+|signal \d+)!/.exec(text)) !== null) {
    const signal = signalNumber(m[2] ?? '');
    if (signal !== null) return { kind: 'terminated-by-signal', pid: Number(m[1]), signal };
  }
  if ((m = /^Worker exiting \(pid: (\d+)\)$/.exec(text)) !== null) return { kind: 'worker-exiting', pid: Number(m[1]) };
  if (text === 'Shutting down: Master') return { kind: 'shutting-down' };
  if ((m = /^Reason: (.*)$/.exec(text)) !== null) return { kind: 'worker-boot-failed', reason: m[1] ?? '' };
  if (level === 'ERROR' || level === 'CRITICAL') return { kind: 'error', text: `${text} (pid ${pid})` };
  return null;
}

/** Linux signal numbers gunicorn prints, by name (x86-64 and arm64 agree on these). */
const SIGNAL_NAMES: Record<number, string> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 6: 'SIGABRT', 9: 'SIGKILL', 11: 'SIGSEGV', 15: 'SIGTERM' };

/** `SIGKILL`, `signal 9`, or a wait status `code 134` (6 with the core-dump flag) → the signal's number. */
function signalNumber(said: string): number | null {
  const byName = Object.entries(SIGNAL_NAMES).find(([, name]) => name === said);
  if (byName !== undefined) return Number(byName[0]);
  const number = /^(?:code|signal) (\d+)$/.exec(said)?.[1];
  return number === undefined ? null : Number(number) & 0x7f || null;
}

export function signalName(signal: number): string {
  return SIGNAL_NAMES[signal] ?? `signal ${signal}`;
}
