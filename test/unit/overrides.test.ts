import { describe, expect, it } from 'vitest';
import { parseDurationFlag, readOverrides } from '../../src/cli/override-flags.js';
import { applyOverrides } from '../../src/scenario/apply-overrides.js';
import { wallOffsetAt } from '../../src/scenario/clock-steps.js';

describe('command-line overrides', () => {
  it('reads durations in seconds by default, like gunicorn', () => {
    expect(parseDurationFlag('timeout', '30')).toBe(30_000);
    expect(parseDurationFlag('timeout', '1500ms')).toBe(1500);
    expect(parseDurationFlag('duration', '2m')).toBe(120_000);
    expect(() => parseDurationFlag('timeout', 'soon')).toThrow('Expected --timeout to be a duration like 30, 30s, 1500ms or 2m, got `soon`.');
  });

  it('applies to the raw scenario and drops expectations of strategies no longer run', () => {
    const raw: Record<string, unknown> = { timeoutMs: 30_000, load: { clients: 1, thinkMs: 5 }, strategies: ['a', 'b'], expect: { a: 'killed', b: 'survives' } };
    applyOverrides(raw, readOverrides({ timeout: '10', clients: '4', strategies: 'b,c', quiet: true }));
    expect(raw).toEqual({ timeoutMs: 10_000, load: { clients: 4, thinkMs: 5 }, strategies: ['b', 'c'], expect: { b: 'survives' } });
  });

  it('refuses a negative client count', () => {
    expect(() => readOverrides({ clients: '-1' })).toThrow('Expected --clients to be a whole number >= 0, got `-1`.');
  });
});

describe('clock steps', () => {
  it('adds every step that has happened by then', () => {
    const steps = [
      { atMs: 1000, stepMs: 45_000 },
      { atMs: 5000, stepMs: -20_000 },
    ];
    expect(wallOffsetAt(steps, 999)).toBe(0);
    expect(wallOffsetAt(steps, 1000)).toBe(45_000);
    expect(wallOffsetAt(steps, 6000)).toBe(25_000);
  });
});
