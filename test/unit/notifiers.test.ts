import { describe, expect, it } from 'vitest';
import { everyTick } from '../../src/notifiers/every-tick.js';
import { findNotifier, notifierNames } from '../../src/notifiers/registry.js';
import { tickCount, ticksBetweenNotifies } from '../../src/notifiers/tick-count.js';
import { wallClockFullTimeout } from '../../src/notifiers/wall-clock-full-timeout.js';
import { wallClock } from '../../src/notifiers/wall-clock.js';

const real = { tickMs: 100, timeoutMs: 30_000 };

/** Runs a rule over ticks at the given wall times and returns the counters that notified. */
function notifiedCounters(decision: { shouldNotify(counter: number, readWallMs: () => number): boolean }, wallTimes: number[]): number[] {
  return wallTimes.flatMap((wallMs, counter) => (decision.shouldNotify(counter, () => wallMs) ? [counter] : []));
}

describe('tick-count (uvicorn <= 0.7.1)', () => {
  it('notifies every 150 ticks at a 30 s timeout, starting with tick 0', () => {
    const decision = tickCount.create(real);
    const ticks = Array.from({ length: 301 }, (_, i) => i * 100);
    expect(notifiedCounters(decision, ticks)).toEqual([0, 150, 300]);
  });

  it('keeps the same tick count under compressed time', () => {
    expect(ticksBetweenNotifies({ tickMs: 10, timeoutMs: 3000 })).toBe(150);
    expect(ticksBetweenNotifies({ tickMs: 100, timeoutMs: 10_000 })).toBe(50);
  });

  it('never reads the clock', () => {
    const decision = tickCount.create(real);
    const clock = (): number => {
      throw new Error('tick-count must not read the clock');
    };
    expect(() => [0, 1, 150].map((c) => decision.shouldNotify(c, clock))).not.toThrow();
  });

  it('notifies late when ticks are slow: 150 ticks of 300 ms take 45 s', () => {
    const decision = tickCount.create(real);
    const ticks = Array.from({ length: 151 }, (_, i) => i * 300);
    const notified = notifiedCounters(decision, ticks);
    expect(notified).toEqual([0, 150]);
    expect(ticks[150]).toBe(45_000);
  });
});

describe('wall-clock (uvicorn 0.7.2 and later)', () => {
  it('notifies at tick 0, then at the first periodic tick after more than 15 s', () => {
    const decision = wallClock.create(real);
    // 100 ms ticks starting at wall time 1_000_000: tick 150 is exactly 15 s later (not > 15 s).
    const ticks = Array.from({ length: 200 }, (_, i) => 1_000_000 + i * 100);
    expect(notifiedCounters(decision, ticks)).toEqual([0, 160]);
  });

  it('checks only on every 10th tick, so a heartbeat waits for the next window boundary', () => {
    const decision = wallClock.create(real);
    // Tick 0 at t=0 notifies; then ticks of 2.9 s: the clock passes 15 s at tick 6, but is only read at tick 10.
    const ticks = Array.from({ length: 11 }, (_, i) => 1_000_000 + i * 2900);
    expect(notifiedCounters(decision, ticks)).toEqual([0, 10]);
  });

  it('uses the strict comparison: exactly timeout/2 does not notify', () => {
    const decision = wallClock.create(real);
    expect(decision.shouldNotify(0, () => 20_000)).toBe(true);
    expect(decision.shouldNotify(10, () => 35_000)).toBe(false);
    expect(decision.shouldNotify(20, () => 35_001)).toBe(true);
  });

  it('0.11.4 notifies only after a full timeout; every-tick checks on every tick', () => {
    const full = wallClockFullTimeout.create(real);
    expect(full.shouldNotify(0, () => 50_000)).toBe(true);
    expect(full.shouldNotify(10, () => 75_000)).toBe(false);
    expect(full.shouldNotify(20, () => 80_001)).toBe(true);
    const each = everyTick.create(real);
    expect(each.shouldNotify(0, () => 50_000)).toBe(true);
    expect(each.shouldNotify(7, () => 65_001)).toBe(true);
  });
});

describe('notifier registry', () => {
  it('finds every preset by name', () => {
    expect(notifierNames()).toEqual(['tick-count', 'wall-clock', 'wall-clock-full-timeout', 'every-tick', 'thread', 'gunicorn-asgi']);
    // gunicorn's ASGI worker: a task on the loop every second (scaled with the ticks), never a tick's decision.
    expect(findNotifier('gunicorn-asgi')?.notifyIntervalMs(real)).toBe(1000);
    expect(findNotifier('gunicorn-asgi')?.notifyIntervalMs({ ...real, tickMs: 10 })).toBe(100);
    expect(findNotifier('gunicorn-asgi')?.create(real).shouldNotify(10, () => 1e9)).toBe(false);
    expect(findNotifier('thread')?.create(real).shouldNotify(0, () => 1e9)).toBe(false);
    expect(findNotifier('wall-clock')?.notifyIntervalMs(real)).toBe(15_000);
    expect(findNotifier('wall-clock-full-timeout')?.notifyIntervalMs(real)).toBe(30_000);
    expect(findNotifier('nope')).toBeUndefined();
  });
});
