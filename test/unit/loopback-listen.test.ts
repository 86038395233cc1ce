import { describe, expect, it } from 'vitest';
import { onLoopback } from '../../src/agent/loopback-listen.js';

describe("the agent's loopback rule for an app's other servers", () => {
  const cb = (): void => {};
  it('binds every TCP listen() to 127.0.0.1, whatever host it asked for, keeping port, backlog and callback', () => {
    expect(onLoopback([8080])).toEqual([8080, '127.0.0.1']);
    expect(onLoopback([8080, '0.0.0.0', cb])).toEqual([8080, '127.0.0.1', cb]);
    expect(onLoopback(['9000', '::', 511, cb])).toEqual(['9000', '127.0.0.1', 511, cb]);
    expect(onLoopback([8080, 511, cb])).toEqual([8080, '127.0.0.1', 511, cb]);
    expect(onLoopback([cb])).toEqual([0, '127.0.0.1', cb]);
    expect(onLoopback([])).toEqual([0, '127.0.0.1']);
    expect(onLoopback([{ port: 7070, host: '0.0.0.0' }, cb])).toEqual([{ port: 7070, host: '127.0.0.1' }, cb]);
  });

  it('leaves a Unix socket path and an inherited handle alone: they bind no address', () => {
    expect(onLoopback(['/tmp/app.sock', cb])).toEqual(['/tmp/app.sock', cb]);
    expect(onLoopback([{ path: '/tmp/app.sock' }])).toEqual([{ path: '/tmp/app.sock' }]);
    const handle = { fd: 3 };
    expect(onLoopback([handle])).toEqual([handle]);
  });
});
