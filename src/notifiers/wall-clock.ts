// uvicorn 0.7.2 ... newest (PR #361): on every 10th tick, compare the wall clock with the last notify.

import { TICKS_PER_PERIODIC_CHECK, type NotifierRule } from './types.js';
import { createWallClockCheck } from './wall-clock-check.js';

export const wallClock: NotifierRule = {
  name: 'wall-clock',
  summary: 'uvicorn 0.7.2 to newest: every 10th tick, notify if timeout/2 has passed on the wall clock',
  realVersions: "uvicorn 0.7.2 to 0.53 (UvicornWorker, the uvicorn-worker package); real: uvicorn's own rule, untouched",
  checkEveryTicks: TICKS_PER_PERIODIC_CHECK,
  drivenBy: 'loop',
  notifyIntervalMs: ({ timeoutMs }) => timeoutMs / 2,
  create: (settings) => createWallClockCheck(settings.timeoutMs / 2, false),
};
