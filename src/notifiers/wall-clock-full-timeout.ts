// uvicorn 0.11.4's regression (#681, reverted in 0.11.5): the notify interval was the full timeout.

import { TICKS_PER_PERIODIC_CHECK, type NotifierRule } from './types.js';
import { createWallClockCheck } from './wall-clock-check.js';

export const wallClockFullTimeout: NotifierRule = {
  name: 'wall-clock-full-timeout',
  summary: 'uvicorn 0.11.4 (#681): wall clock, but notifies every full timeout, so even idle workers die',
  realVersions: "uvicorn 0.11.4; real: the rule written into uvicorn's worker",
  checkEveryTicks: TICKS_PER_PERIODIC_CHECK,
  drivenBy: 'loop',
  notifyIntervalMs: ({ timeoutMs }) => timeoutMs,
  create: (settings) => createWallClockCheck(settings.timeoutMs, false),
};
