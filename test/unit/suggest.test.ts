import { describe, expect, it } from 'vitest';
import { nearestName } from '../../src/suggest.js';

const scenarios = ['clock-step-backward', 'clock-step-forward', 'concurrent-burst', 'cpu-burst-saturated', 'cpu-burst', 'hang', 'idle', 'io-wait', 'long-block', 'offload'];

describe('did you mean', () => {
  it('finds the name a typo meant: swapped, missing, extra or wrong letters', () => {
    expect(nearestName('cpu-brust', scenarios)).toBe('cpu-burst');
    expect(nearestName('idel', scenarios)).toBe('idle');
    expect(nearestName('ofload', scenarios)).toBe('offload');
    expect(nearestName('long-blocks', scenarios)).toBe('long-block');
    expect(nearestName('timeoutt', ['timeout', 'time-scale', 'clients'])).toBe('timeout');
    expect(nearestName('CPU-BURST', scenarios)).toBe('cpu-burst');
  });

  it('suggests nothing for a name that is not near any', () => {
    expect(nearestName('my-own-case', scenarios)).toBeNull();
    expect(nearestName('x', ['timeout', 'json'])).toBeNull();
  });
});
