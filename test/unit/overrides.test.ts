import { describe, expect, it } from 'vitest';
import { parseDurationFlag, readOverrides } from '../../src/cli/override-flags.js';
import { applyOverrides } from '../../src/scenario/apply-overrides.js';
import { wallOffsetAt } from '../../src/scenario/clock-steps.js';

describe('command-line overrides', () => {
  it('reads durations in seconds by default, like gunicorn', () => {
    expect(parseDurationFlag('timeout', '30', 3_600_000)).toBe(30_000);
    expect(parseDurationFlag('timeout', '1500ms', 3_600_000)).toBe(1500);
    expect(parseDurationFlag('duration', '2m', 3_600_000)).toBe(120_000);
    expect(() => parseDurationFlag('timeout', 'soon', 3_600_000)).toThrow('Expected --timeout to be a duration like 30, 30s, 1500ms or 2m, got `soon`.');
  });

  it('refuses absurd values with the bound in the message, as the flag\'s own problem', () => {
    expect(() => readOverrides({ timeout: '30000000' })).toThrow('--timeout 30000000 is more than starve-lab accepts (1 hour).');
    expect(() => readOverrides({ duration: '1e308' })).toThrow('Expected --duration to be a duration');
    expect(() => readOverrides({ clients: '100000' })).toThrow('Expected --clients to be a whole number from 0 to 256, got `100000`.');
  });

  it('applies to the raw scenario and drops expectations of strategies no longer run', () => {
    const raw: Record<string, unknown> = { timeoutMs: 30_000, load: { clients: 1, thinkMs: 5 }, strategies: ['a', 'b'], expect: { a: 'killed', b: 'survives' } };
    applyOverrides(raw, readOverrides({ timeout: '10', clients: '4', strategies: 'b,c', quiet: true }));
    expect(raw).toEqual({ timeoutMs: 10_000, load: { clients: 4, thinkMs: 5 }, strategies: ['b', 'c'], expect: { b: 'survives' } });
  });

  it('refuses a negative client count', () => {
    expect(() => readOverrides({ clients: '-1' })).toThrow('Expected --clients to be a whole number from 0 to 256, got `-1`.');
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
