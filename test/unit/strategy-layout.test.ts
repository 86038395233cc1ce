import { describe, expect, it } from 'vitest';
import { chooseStrategyLayout } from '../../src/scenario/strategy-layout.js';
import { describeLayout } from '../../src/report/wording.js';

describe('how a run lays out its strategies', () => {
  it('runs two strategies one at a time on 2 cores: side by side their busy workers would share them', () => {
    const choice = chooseStrategyLayout(2, 1, 2, undefined);
    expect(choice.layout).toBe('one-at-a-time');
    expect(describeLayout(choice)).toMatch(/^strategies one at a time \(2 busy workers side by side would share 2 cores/);
  });

  it('runs them side by side where every busy worker gets a core and one is left for the rest', () => {
    expect(chooseStrategyLayout(2, 1, 3, undefined).layout).toBe('side-by-side');
    expect(chooseStrategyLayout(3, 2, 6, undefined).layout).toBe('one-at-a-time');
    expect(chooseStrategyLayout(3, 2, 7, undefined).layout).toBe('side-by-side');
  });

  it('runs an idle scenario side by side: without load no worker burns a core', () => {
    expect(chooseStrategyLayout(5, 0, 2, undefined)).toEqual({ layout: 'side-by-side', reason: 'no load: no worker burns a core' });
  });

  it('does what it is asked, and a single strategy has nothing to lay out', () => {
    expect(chooseStrategyLayout(2, 1, 2, 'side-by-side')).toEqual({ layout: 'side-by-side', reason: 'as asked' });
    expect(chooseStrategyLayout(2, 1, 64, 'one-at-a-time').layout).toBe('one-at-a-time');
    expect(chooseStrategyLayout(1, 4, 1, 'one-at-a-time')).toEqual({ layout: 'side-by-side', reason: 'one strategy' });
  });
});
