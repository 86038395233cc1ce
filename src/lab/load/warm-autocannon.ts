// autocannon's first run in a process is slower than the next: its first instance compiles and sets up
// what later ones reuse (measured: 7-13 ms from the call to the first request at the server, against
// 3 ms warm). That is start-up, like Node's own and autocannon's import, and at --time-scale 0.1 those
// ms were a tick's worth of scenario time between the worker's tick 0 and the first request. So the
// load process runs autocannon once, before it says it is armed, against a server of its own on
// 127.0.0.1 that nothing else sees; a warm-up that fails only costs that time back.

import autocannon from 'autocannon';
import { withThrowawayServer } from '../throwaway-server.js';

/** Bounded: a warm-up that has not finished by then is abandoned. */
const WARM_UP_LIMIT_MS = 2000;

/** Two requests per connection, over `connections` connections, against a throwaway loopback server (it notices the amount on a 10 ms sample tick). */
export async function warmAutocannon(connections: number): Promise<void> {
  try {
    await withThrowawayServer(
      (port) =>
        new Promise<void>((resolve) => {
          const limit = setTimeout(() => {
            instance.stop();
            resolve();
          }, WARM_UP_LIMIT_MS);
          const instance = autocannon(
            { url: `http://127.0.0.1:${port}`, connections, pipelining: 1, duration: 1, amount: 2 * connections, timeout: 1, sampleInt: 10, requests: [{ method: 'GET' }] },
            () => {
              clearTimeout(limit);
              resolve();
            },
          );
        }),
    );
  } catch {
    // Only the warm-up is lost.
  }
}
