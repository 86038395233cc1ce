// uvicorn <= 0.7.1: notify every 10 x timeout_notify ticks, counting ticks instead of reading a clock.

import type { NotifierRule, NotifierSettings } from './types.js';

/** 10 x timeout_notify in uvicorn, where 10 is ticks per second: the same count at any time scale. */
export function ticksBetweenNotifies(settings: NotifierSettings): number {
  return Math.max(1, Math.round(settings.timeoutMs / 2 / settings.tickMs));
}

export const tickCount: NotifierRule = {
  name: 'tick-count',
  summary: 'uvicorn <= 0.7.1: counts loop ticks (150 at a 30 s timeout) between heartbeats; no clock',
  realVersions: "uvicorn <= 0.7.1; real: the rule written into uvicorn's worker on any installed uvicorn",
  checkEveryTicks: null,
  drivenBy: 'loop',
  notifyIntervalMs: ({ timeoutMs }) => timeoutMs / 2,
  create(settings) {
    const every = ticksBetweenNotifies(settings);
    return { shouldNotify: (counter) => counter % every === 0 };
  },
};
