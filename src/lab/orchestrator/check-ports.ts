// Before anything starts: are the ports the masters will bind free on 127.0.0.1?

import net from 'node:net';
import { StarveError } from '../../errors.js';

function tryPort(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Throws PORT_IN_USE naming the first taken port of basePort .. basePort + count - 1. */
export async function checkPortsFree(basePort: number, count: number): Promise<void> {
  for (let port = basePort; port < basePort + count; port++) {
    if (port > 65_535) throw new StarveError('BAD_ARGUMENT', `--port ${basePort} leaves no room for ${count} strategies (one port each, up to ${port - 1}).`);
    if (!(await tryPort(port))) {
      throw new StarveError('PORT_IN_USE', `Port ${port} on 127.0.0.1 is already in use.`, {
        hint: count > 1 ? `Each strategy's master binds its own port (${basePort}-${basePort + count - 1}); pick another --port, or leave it out to use free ones.` : 'Pick another --port, or leave it out to use a free one.',
      });
    }
  }
}
