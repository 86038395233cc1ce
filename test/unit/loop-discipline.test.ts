import { describe, expect, it } from 'vitest';
import { createLoopScheduler } from '../../src/lab/loop-discipline.js';

function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('asyncio loop discipline', () => {
  it('runs a request that arrived with an expired timer before the sleeping tick', async () => {
    const scheduler = createLoopScheduler('asyncio');
    const order: string[] = [];
    await new Promise<void>((resolve) => {
      scheduler.sleep(1, () => {
        order.push('tick');
        resolve();
      });
      scheduler.onRequest(() => order.push('handler'));
      spin(5);
    });
    expect(order).toEqual(['handler', 'tick']);
  });

  it('lets every handler queued in one pass run before a tick whose timer expired meanwhile', async () => {
    const scheduler = createLoopScheduler('asyncio');
    const order: string[] = [];
    await new Promise<void>((resolve) => {
      scheduler.onRequest(() => {
        order.push('handler 1');
        spin(5);
      });
      scheduler.onRequest(() => order.push('handler 2'));
      scheduler.sleep(1, () => {
        order.push('tick');
        resolve();
      });
    });
    expect(order).toEqual(['handler 1', 'handler 2', 'tick']);
  });
});
