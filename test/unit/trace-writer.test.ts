// The trace writer: written events are on disk at once; deferred ones go out with the next write.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTraceWriter } from '../../src/lab/trace-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'starve-lab-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { type: string }).type);

describe('openTraceWriter', () => {
  it('puts a written event on disk before returning, and a deferred one only with the next write, in order', () => {
    const file = join(dir, 'a.jsonl');
    const trace = openTraceWriter(file);
    trace.write({ type: 'tick', t: 1, pid: 1, counter: 0, handlers: 0 });
    expect(lines(file)).toEqual(['tick']);
    trace.defer({ type: 'request-end', t: 2, pid: 1, id: 1, status: 200 });
    expect(lines(file)).toEqual(['tick']);
    trace.write({ type: 'request-start', t: 3, pid: 1, id: 2, route: 'cpu', ms: 10 });
    expect(lines(file)).toEqual(['tick', 'request-end', 'request-start']);
  });

  it('writes what is still deferred when closed, and nothing after', () => {
    const file = join(dir, 'b.jsonl');
    const trace = openTraceWriter(file);
    trace.defer({ type: 'request-end', t: 2, pid: 1, id: 1, status: 200 });
    trace.close();
    expect(lines(file)).toEqual(['request-end']);
    trace.write({ type: 'tick', t: 3, pid: 1, counter: 1, handlers: 0 });
    trace.defer({ type: 'request-end', t: 4, pid: 1, id: 2, status: 200 });
    trace.close();
    expect(lines(file)).toEqual(['request-end']);
  });
});
