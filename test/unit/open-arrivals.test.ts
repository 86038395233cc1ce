import { describe, expect, it } from 'vitest';
import { exponentialGap } from '../../src/lab/load/open-arrivals.js';
import { createRandom } from '../../src/lab/load/seeded-random.js';
import { describeLoadShape } from '../../src/report/wording.js';

describe('an open load', () => {
  it('draws exponential gaps with the asked mean, the same for the same seed', () => {
    const draw = (seed: number): number[] => {
      const random = createRandom(seed);
      return Array.from({ length: 20_000 }, () => exponentialGap(400, random()));
    };
    const gaps = draw(7);
    expect(draw(7)).toEqual(gaps);
    const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
    expect(mean).toBeGreaterThan(390);
    expect(mean).toBeLessThan(410);
    // Memoryless: about e^-1 of the gaps are longer than the mean.
    expect(gaps.filter((gap) => gap > 400).length / gaps.length).toBeCloseTo(Math.exp(-1), 1);
    expect(exponentialGap(400, 0)).toBeCloseTo(0, 9);
  });

  it('says what load ran, open or closed', () => {
    expect(describeLoadShape({ clients: 1 })).toBe('1 client');
    expect(describeLoadShape({ clients: 16, arrivalsPerS: 0.5 })).toBe('open load 0.5/s (up to 16 connections)');
  });
});
