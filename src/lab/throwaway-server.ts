// A server of a process's own on 127.0.0.1 that answers every request with `ok`, for the length of
// `use`: what a warm-up (autocannon's first instance, the kubelet's first HTTP probe) runs against,
// off the record, so its first-use costs are not paid in scenario time.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function withThrowawayServer(use: (port: number) => Promise<void>): Promise<void> {
  const server = createServer((_request, response) => response.end('ok'));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    await use((server.address() as AddressInfo).port);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
