// uvicorn PR #2625 (proposed): the wall-clock check on every tick instead of every 10th.

import type { NotifierRule } from './types.js';
import { createWallClockCheck } from './wall-clock-check.js';

export const everyTick: NotifierRule = {
  name: 'every-tick',
  summary: 'uvicorn PR #2625 (proposed): the wall-clock check on every tick, not every 10th',
  realVersions: "uvicorn PR #2625 (proposed, not released); real: the rule written into uvicorn's worker",
  checkEveryTicks: 1,
  drivenBy: 'loop',
  notifyIntervalMs: ({ timeoutMs }) => timeoutMs / 2,
  create: (settings) => createWallClockCheck(settings.timeoutMs / 2, true),
};
