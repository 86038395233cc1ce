// The wall-clock comparison shared by uvicorn 0.7.2+ and its variants: notify when
// now - last_notified > timeout_notify (strict), with last_notified starting at 0 so tick 0 notifies.

import { isPeriodicTick, type NotifierDecision } from './types.js';

export function createWallClockCheck(notifyIntervalMs: number, everyTick: boolean): NotifierDecision {
  let lastNotifiedMs = 0;
  return {
    shouldNotify(counter, readWallMs) {
      if (!everyTick && !isPeriodicTick(counter)) return false;
      const nowMs = readWallMs();
      if (nowMs - lastNotifiedMs > notifyIntervalMs) {
        lastNotifiedMs = nowMs;
        return true;
      }
      return false;
    },
  };
}
