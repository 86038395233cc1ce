import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeGunicornLogLine, signalName } from '../../src/decode/gunicorn-log.js';
import { findHeartbeatFd, isWorkerTmp } from '../../src/decode/proc-entries.js';
import { decodePythonTraceback } from '../../src/decode/python-traceback.js';

describe("gunicorn's log lines (recorded from gunicorn 20.1.0)", () => {
  const entries = readFileSync(new URL('../fixtures/gunicorn-20-master.log', import.meta.url), 'utf8')
    .split('\n')
    .map(decodeGunicornLogLine)
    .filter((entry) => entry !== null);

  it('reads the listening port, boots, the kill, the signal death and the shutdown, in order', () => {
    expect(entries).toEqual([
      { kind: 'listening', port: 38381, masterPid: 19163 },
      { kind: 'booting', pid: 19165 },
      { kind: 'worker-timeout', pid: 19165 },
      { kind: 'terminated-by-signal', pid: 19165, signal: 6 },
      { kind: 'booting', pid: 19189 },
      { kind: 'worker-exiting', pid: 19190 },
      { kind: 'shutting-down' },
    ]);
  });

  it('keeps errors and names signals', () => {
    expect(decodeGunicornLogLine('[2026-11-25 03:09:23 +0000] [19086] [ERROR] Exception in worker process')).toEqual({ kind: 'error', text: 'Exception in worker process (pid 19086)' });
    expect(decodeGunicornLogLine('[2026-11-25 03:09:23 +0000] [19086] [INFO] Reason: Worker failed to boot.')).toEqual({ kind: 'worker-boot-failed', reason: 'Worker failed to boot.' });
    expect(decodeGunicornLogLine('Traceback (most recent call last):')).toBeNull();
    expect([signalName(6), signalName(9), signalName(15), signalName(31)]).toEqual(['SIGABRT', 'SIGKILL', 'SIGTERM', 'signal 31']);
  });
});

describe("gunicorn >= 21's death lines (the wording of 23.0.0 and 26.2.2's arbiter.py)", () => {
  const line = (text: string): string => `[2026-12-02 21:49:10 +0000] [4790] [ERROR] ${text}`;
  it('reads the signal by name, by raw wait status (a core-dump flag included) and by number', () => {
    expect(decodeGunicornLogLine(line('Worker (pid:4791) was sent SIGKILL! Perhaps out of memory?'))).toEqual({ kind: 'terminated-by-signal', pid: 4791, signal: 9 });
    expect(decodeGunicornLogLine(line('Worker (pid:4791) was sent SIGABRT!'))).toEqual({ kind: 'terminated-by-signal', pid: 4791, signal: 6 });
    expect(decodeGunicornLogLine(line('Worker (pid:4791) was sent code 134!'))).toEqual({ kind: 'terminated-by-signal', pid: 4791, signal: 6 });
    expect(decodeGunicornLogLine(line('Worker (pid:4791) was sent signal 15!'))).toEqual({ kind: 'terminated-by-signal', pid: 4791, signal: 15 });
  });
  it('leaves a line that names no signal as an error', () => {
    expect(decodeGunicornLogLine(line('Worker (pid:4791) was sent code 0!'))).toEqual({ kind: 'error', text: 'Worker (pid:4791) was sent code 0! (pid 4790)' });
  });
});

describe('/proc: the master descriptor that is a worker heartbeat file', () => {
  const links = new Map([
    [0, '/dev/null'],
    [5, 'socket:[123456]'],
    [7, '/tmp/wgunicorn-k2j3h4 (deleted)'],
    [9, '/tmp/wgunicorn-zz81aa (deleted)'],
  ]);

  it('matches the file the worker named, deleted or not', () => {
    expect(findHeartbeatFd(links, '/tmp/wgunicorn-zz81aa (deleted)')).toBe(9);
    expect(findHeartbeatFd(links, '/tmp/wgunicorn-k2j3h4')).toBe(7);
    expect(findHeartbeatFd(links, '/tmp/wgunicorn-gone (deleted)')).toBeNull();
    expect([...links.values()].filter(isWorkerTmp)).toHaveLength(2);
  });
});

describe("faulthandler's traceback at SIGABRT", () => {
  it('gives the interrupted thread, innermost frame first', () => {
    const text = [
      'Current thread 0x00007f9a1c2b3740 (most recent call first):',
      '  File "/app/python/starve_lab_real/app.py", line 22 in burn_cpu',
      '  File "/app/python/starve_lab_real/app.py", line 61 in app',
      '  File "/usr/lib/python3/dist-packages/uvicorn/protocols/http/httptools_impl.py", line 376 in run_asgi',
      '',
      'Thread 0x00007f9a1a000700 (most recent call first):',
      '  File "/usr/lib/python3.11/threading.py", line 320 in wait',
    ].join('\n');
    expect(decodePythonTraceback(text)).toEqual([
      { functionName: 'burn_cpu', url: '/app/python/starve_lab_real/app.py', line: 22, column: 0 },
      { functionName: 'app', url: '/app/python/starve_lab_real/app.py', line: 61, column: 0 },
      { functionName: 'run_asgi', url: '/usr/lib/python3/dist-packages/uvicorn/protocols/http/httptools_impl.py', line: 376, column: 0 },
    ]);
  });
});
