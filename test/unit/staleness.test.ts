import { describe, expect, it } from 'vitest';
import { decideStaleness } from '../../src/masters/staleness.js';

describe("gunicorn's staleness rule", () => {
  const base = { lastBeatMs: 1_000, timeoutMs: 30_000, aborted: false };

  it('is fresh up to and including exactly the timeout (strict >)', () => {
    expect(decideStaleness({ ...base, nowMs: 31_000 })).toBe('fresh');
    expect(decideStaleness({ ...base, nowMs: 31_000.5 })).toBe('abort');
  });

  it('aborts on the first stale pass and kills on a later one', () => {
    expect(decideStaleness({ ...base, nowMs: 40_000 })).toBe('abort');
    expect(decideStaleness({ ...base, nowMs: 41_000, aborted: true })).toBe('kill');
  });

  it('never times out with timeout 0', () => {
    expect(decideStaleness({ ...base, nowMs: 10_000_000, timeoutMs: 0 })).toBe('fresh');
  });

  it('never times out a gunicorn >= 22 worker that never notified (wall-time mtime vs monotonic now)', () => {
    expect(decideStaleness({ ...base, lastBeatMs: 1.7e12, nowMs: 5_000_000 })).toBe('fresh');
  });
});
