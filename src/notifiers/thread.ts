// A heartbeat from a thread of its own, every timeout/2: it never starves, but it also keeps a worker
// whose loop is truly hung alive forever.

import type { NotifierRule } from './types.js';

export const threadHeartbeat: NotifierRule = {
  name: 'thread',
  summary: 'a heartbeat thread every timeout/2: never starves, but never notices a hung loop either',
  realVersions: "no release (a common fix); real: a heartbeat thread in uvicorn's worker",
  checkEveryTicks: null,
  drivenBy: 'thread',
  notifyIntervalMs: ({ timeoutMs }) => timeoutMs / 2,
  // The loop's ticks never notify; the worker starts a heartbeat thread instead.
  create: () => ({ shouldNotify: () => false }),
};
