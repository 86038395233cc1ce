import { spawn } from 'node:child_process';
import { createServer, connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createLoopScheduler, type LoopScheduler } from '../../src/lab/workers/loop-discipline.js';

function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

const nothing = (): void => {};

describe('asyncio loop discipline', () => {
  it('runs a request that arrived with an expired timer before the sleeping tick', async () => {
    const scheduler = createLoopScheduler('asyncio');
    const order: string[] = [];
    await new Promise<void>((resolve) => {
      scheduler.sleep(1, () => {
        order.push('tick');
        resolve();
      });
      scheduler.onRequest(nothing, () => order.push('handler'));
      spin(5);
    });
    expect(order).toEqual(['handler', 'tick']);
  });

  it('lets every handler queued in one pass run before a tick whose timer expired meanwhile', async () => {
    const scheduler = createLoopScheduler('asyncio');
    const order: string[] = [];
    await new Promise<void>((resolve) => {
      scheduler.onRequest(nothing, () => {
        order.push('handler 1');
        spin(5);
      });
      scheduler.onRequest(nothing, () => order.push('handler 2'));
      scheduler.sleep(1, () => {
        order.push('tick');
        resolve();
      });
    });
    expect(order).toEqual(['handler 1', 'handler 2', 'tick']);
  });
});

describe('writes', () => {
  async function handlersAndWrites(scheduler: LoopScheduler): Promise<string[]> {
    const order: string[] = [];
    await new Promise<void>((resolve) => {
      for (const n of [1, 2]) {
        scheduler.onRequest(nothing, () => {
          order.push(`handler ${n}`);
          scheduler.write(() => {
            order.push(`write ${n}`);
            if (n === 2) resolve();
          });
        });
      }
    });
    return order;
  }

  it('uvloop sends the small responses of one batch of handlers only after all of them ran', async () => {
    expect(await handlersAndWrites(createLoopScheduler('uvloop'))).toEqual(['handler 1', 'handler 2', 'write 1', 'write 2']);
  });

  it('asyncio sends each response as its handler writes it', async () => {
    expect(await handlersAndWrites(createLoopScheduler('asyncio'))).toEqual(['handler 1', 'write 1', 'handler 2', 'write 2']);
  });
});

describe('keep-alive on a blocked loop', () => {
  /**
   * A real loopback connection: the server arms a 20 ms keep-alive, the client's next request arrives
   * while the loop is blocked for 80 ms; who wins when the loop is free again?
   */
  async function keepAliveRace(scheduler: LoopScheduler): Promise<string[]> {
    const order: string[] = [];
    let cancel: () => void = nothing;
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const client = connect(port, '127.0.0.1');
    client.on('error', nothing);
    const serverSide = await new Promise<Socket>((resolve) => server.once('connection', resolve));
    serverSide.on('error', nothing);
    serverSide.on('data', () => scheduler.onRequest(() => {
      cancel();
      order.push('request read');
    }, nothing));
    cancel = scheduler.callLater(20, () => {
      order.push('connection closed');
      serverSide.destroy();
    });
    await new Promise<void>((resolve) => client.write('GET / HTTP/1.1\r\n\r\n', () => resolve()));
    spin(80);
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
    return order;
  }

  it.each(['uvloop', 'asyncio'] as const)('%s: the poll after the block reads the waiting request first, and its data_received cancels the keep-alive', async (loop) => {
    expect(await keepAliveRace(createLoopScheduler(loop))).toEqual(['request read']);
  });
});

/** A loopback connection: the client end, the server's end, and a close for both. */
async function loopbackPair(): Promise<{ client: Socket; serverSide: Socket; close: () => Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = connect((server.address() as { port: number }).port, '127.0.0.1');
  const serverSide = await new Promise<Socket>((resolve) => server.once('connection', resolve));
  const close = async (): Promise<void> => {
    client.destroy();
    serverSide.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  return { client, serverSide, close };
}

describe('uvloop: handlers and the tick share one ready queue', () => {
  it('runs a request read after a blocking handler before the tick whose timer expired during it', async () => {
    const scheduler = createLoopScheduler('uvloop');
    const order: string[] = [];
    const { client, serverSide, close } = await loopbackPair();
    const done = new Promise<void>((resolve) => {
      serverSide.once('data', () => scheduler.onRequest(nothing, () => order.push('handler 2')));
      scheduler.onRequest(nothing, () => {
        order.push('handler 1');
        // The tick's 1 ms timer expires and the second request arrives while this handler burns.
        scheduler.sleep(1, () => {
          order.push('tick');
          resolve();
        });
        client.write('GET / HTTP/1.1\r\n\r\n');
        spin(60);
      });
    });
    await done;
    await close();
    expect(order).toEqual(['handler 1', 'handler 2', 'tick']);
  });
});

describe('uvloop: flush-to-poll', () => {
  it("reads a client's answer to a response the last batch sent after the tick that expired meanwhile, not before it", async () => {
    // uvloop's queued writes leave in microseconds and its poll follows at once, before any client can
    // answer; Node's write path is slow enough that the answer is already in its next poll. The model
    // must read that answer where uvloop would: after the next timers and their batch.
    const scheduler = createLoopScheduler('uvloop');
    const order: string[] = [];
    const { client, serverSide, close } = await loopbackPair();
    const done = new Promise<void>((resolve) => {
      serverSide.once('data', () => scheduler.onRequest(nothing, () => {
        order.push('handler 2');
        resolve();
      }, serverSide));
      scheduler.onRequest(nothing, () => {
        order.push('handler 1');
        scheduler.sleep(1, () => order.push('tick'));
        spin(30);
        // The response leaves at the batch's end; the client answers it at once.
        scheduler.write(() => {
          order.push('response 1');
          client.write('GET / HTTP/1.1\r\n\r\n');
          spin(5);
        }, serverSide);
      }, serverSide);
    });
    await done;
    await close();
    expect(order).toEqual(['handler 1', 'response 1', 'tick', 'handler 2']);
  });
});

describe('a transport closed before its request was read', () => {
  it.each(['uvloop', 'asyncio'] as const)("%s: never reads it: the keep-alive's transport.close() comes first, so no handler runs for a request the client sees reset", async (loop) => {
    const scheduler = createLoopScheduler(loop);
    const { serverSide, close } = await loopbackPair();
    serverSide.on('error', nothing);
    const order: string[] = [];
    // The keep-alive timer expired and closed the transport; Node had already parsed the next request.
    scheduler.closeTransport(serverSide);
    scheduler.onRequest(() => order.push('data_received'), () => order.push('handler'), serverSide);
    // A request on another connection still runs: only the closed one is never read.
    const other = await loopbackPair();
    await new Promise<void>((resolve) => scheduler.onRequest(() => order.push('other read'), () => {
      order.push('other handler');
      resolve();
    }, other.serverSide));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await other.close();
    await close();
    expect(order).toEqual(['other read', 'other handler']);
  });
});

describe('accepting connections that waited in the backlog', () => {
  it.each(['uvloop', 'asyncio'] as const)('%s: reads the requests of every connection queued while the loop was blocked in one batch, as its accept-all does (Node accepts one an iteration)', async (loop) => {
    const scheduler = createLoopScheduler(loop);
    const order: string[] = [];
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const sockets: Socket[] = [];
    let handled = 0;
    const done = new Promise<void>((resolve) => {
      server.on('connection', (socket) => {
        scheduler.accepted(socket);
        sockets.push(socket);
        socket.on('error', nothing);
        socket.once('data', () => scheduler.onRequest(nothing, () => {
          order.push('handler');
          handled++;
          // The first handler's tick expires while it burns: it runs after every handler of its batch.
          if (handled === 1) {
            scheduler.sleep(1, () => {
              order.push('tick');
              resolve();
            });
            spin(20);
          }
        }, socket));
      });
    });
    // Four connections from another process, queued while this loop is blocked.
    const clients = spawn(process.execPath, ['-e', `const net=require('net');for(let i=0;i<4;i++){const c=net.connect(${port},'127.0.0.1',()=>c.write('GET / HTTP/1.1\\r\\n\\r\\n'));c.on('error',()=>{})}setTimeout(()=>{},3000)`], { stdio: 'ignore' });
    spin(600);
    await done;
    clients.kill('SIGKILL');
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
    expect(order).toEqual(['handler', 'handler', 'handler', 'handler', 'tick']);
  });
});

/**
 * Two clients on uvloop, two requests each: the first two run in one batch (5 ms each), both responses
 * leave at its end, then `answer` sends both clients' second requests. Returns the order of handlers and writes.
 */
async function twoClientsTwice(answer: (sendBoth: () => void) => void): Promise<string[]> {
  const scheduler = createLoopScheduler('uvloop');
  const order: string[] = [];
  const pairs = [await loopbackPair(), await loopbackPair()];
  const request = 'GET / HTTP/1.1\r\n\r\n';
  const sendBoth = (): void => {
    for (const pair of pairs) pair.client.write(request);
  };
  const done = new Promise<void>((resolve) => {
    for (const [index, pair] of pairs.entries()) {
      let requests = 0;
      pair.serverSide.on('data', () => {
        requests++;
        const id = index + 1 + (requests === 1 ? 0 : 2);
        scheduler.onRequest(nothing, () => {
          order.push(`handler ${id}`);
          spin(5);
          scheduler.write(() => {
            order.push(`write ${id}`);
            if (id === 2) answer(sendBoth);
            if (id === 4) resolve();
          }, pair.serverSide);
        }, pair.serverSide);
      });
    }
  });
  sendBoth();
  await done;
  for (const pair of pairs) await pair.close();
  return order;
}

describe('uvloop: one answer wakes a blocked loop', () => {
  it("runs the first of two clients' answers alone when the loop waited for them in its poll, and the second after that batch", async () => {
    // Both clients answer at once; Node reads both answers in its next poll, but uvloop, blocked in its
    // poll after the tick's short batch, wakes at the first and is burning its handler when the second comes.
    const order = await twoClientsTwice((sendBoth) => sendBoth());
    expect(order.slice(0, 4)).toEqual(['handler 1', 'handler 2', 'write 1', 'write 2']);
    expect(order.slice(4)).toEqual(['handler 3', 'write 3', 'handler 4', 'write 4']);
  });
});

describe('uvloop: requests after a pause', () => {
  it('reads two requests that come together after the clients paused as they come, in one batch (they were not answers on the wire)', async () => {
    // Both clients think 20 ms after their responses, then send at once: the loop was idle all along,
    // and both requests are in the poll that wakes it, on uvloop as on Node.
    const order = await twoClientsTwice((sendBoth) => setTimeout(sendBoth, 20));
    expect(order).toEqual(['handler 1', 'handler 2', 'write 1', 'write 2', 'handler 3', 'handler 4', 'write 3', 'write 4']);
  });
});

describe('accepting a connection whose client sends later', () => {
  // uvloop, where it shows: a batch's responses leave at its end, so one batch is told from two.
  it('uvloop: runs its request as soon as it is read, without waiting for the next connection', async () => {
    // Both connections were accepted long before their requests: neither came out of the backlog, so
    // the first request runs at once and the second, read one poll later, runs in the next batch.
    const scheduler = createLoopScheduler('uvloop');
    const order: string[] = [];
    const a = await loopbackPair();
    const b = await loopbackPair();
    scheduler.accepted(a.serverSide);
    scheduler.accepted(b.serverSide);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const done = new Promise<void>((resolve) => {
      a.serverSide.once('data', () => scheduler.onRequest(
        // The second client sends while the first request is being read: it is in Node's next poll.
        () => b.client.write('GET / HTTP/1.1\r\n\r\n'),
        () => {
          order.push('handler 1');
          spin(5);
          scheduler.write(() => order.push('write 1'), a.serverSide);
        },
        a.serverSide,
      ));
      b.serverSide.once('data', () => scheduler.onRequest(nothing, () => {
        order.push('handler 2');
        resolve();
      }, b.serverSide));
    });
    a.client.write('GET / HTTP/1.1\r\n\r\n');
    await done;
    await a.close();
    await b.close();
    expect(order).toEqual(['handler 1', 'write 1', 'handler 2']);
  });
});

describe('uvloop: a connection that comes while the loop runs an answer', () => {
  it('is accepted at the end of that batch and read by the poll after it: behind the tick whose timer expired meanwhile', async () => {
    // A client the keep-alive dropped reconnects right after the flush. On uvloop's clock the loop had
    // already woken at the other client's answer and was burning its handler: the new connection waits
    // in the listen backlog, its poll accepts it, and only the next poll reads its request (libuv watches
    // a new fd from the next poll on), after the tick's batch. Node, slower to write, may accept it
    // before it lets the answer run; the model must still read it where uvloop would.
    const scheduler = createLoopScheduler('uvloop');
    const order: string[] = [];
    const a = await loopbackPair();
    scheduler.accepted(a.serverSide);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    let reconnect: Socket | undefined;
    let accepted: Socket | undefined;
    const done = new Promise<void>((resolve) => {
      server.on('connection', (socket) => {
        accepted = socket;
        scheduler.accepted(socket);
        socket.once('data', () => scheduler.onRequest(nothing, () => {
          order.push('new connection');
          resolve();
        }, socket));
      });
      let requests = 0;
      a.serverSide.on('data', () => {
        requests++;
        const id = requests;
        scheduler.onRequest(nothing, () => {
          order.push(`handler ${id}`);
          if (id === 2) scheduler.sleep(1, () => order.push('tick'));
          spin(id === 1 ? 5 : 20);
          scheduler.write(() => {
            if (id !== 1) return;
            // The answer, then the reconnect: both in Node's next poll, before the loop lets the answer run.
            a.client.write('GET / HTTP/1.1\r\n\r\n');
            reconnect = connect(port, '127.0.0.1', () => reconnect?.write('GET / HTTP/1.1\r\n\r\n'));
            spin(5);
          }, a.serverSide);
        }, a.serverSide);
      });
    });
    a.client.write('GET / HTTP/1.1\r\n\r\n');
    await done;
    reconnect?.destroy();
    accepted?.destroy();
    await a.close();
    await new Promise((resolve) => server.close(resolve));
    expect(order).toEqual(['handler 1', 'handler 2', 'tick', 'new connection']);
  });
});

describe('asyncio: the answer to a pass\'s last response', () => {
  it('is not in the select right after the pass: the answer to an earlier response runs with the tick, the last one after it', async () => {
    // asyncio sends each response at once and selects again within microseconds of the pass's end, with
    // a zero timeout while anything is ready: an answer that came during the pass is there, the answer
    // to the response its last handler sent is not (the real three-client traces: [H1 H2 H3], then
    // [H4 H5 tick], the third client's answer after). Node's slower write lets it into its next poll.
    const scheduler = createLoopScheduler('asyncio');
    const order: string[] = [];
    const pairs = { a: await loopbackPair(), b: await loopbackPair() };
    const request = 'GET / HTTP/1.1\r\n\r\n';
    const done = new Promise<void>((resolve) => {
      for (const [name, pair] of Object.entries(pairs)) {
        let requests = 0;
        pair.serverSide.on('data', () => {
          requests++;
          const id = `${name}${requests}`;
          scheduler.onRequest(nothing, () => {
            order.push(id);
            if (id === 'b2') return resolve();
            if (id === 'b1') scheduler.sleep(1, () => order.push('tick'));
            spin(id === 'b1' ? 20 : 5);
            // Each client answers its response at once.
            scheduler.write(() => {
              if (requests === 1) pair.client.write(request);
            }, pair.serverSide);
          }, pair.serverSide);
        });
      }
    });
    // Both first requests are in one poll: one pass runs both handlers.
    pairs.a.client.write(request);
    pairs.b.client.write(request);
    spin(5);
    await done;
    await pairs.a.close();
    await pairs.b.close();
    expect(order).toEqual(['a1', 'b1', 'a2', 'tick', 'b2']);
  });
});
