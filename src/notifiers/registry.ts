// Heartbeat rules found by name, in the order `starve-lab list` shows them.

import { everyTick } from './every-tick.js';
import { gunicornAsgi } from './gunicorn-asgi.js';
import { threadHeartbeat } from './thread.js';
import { tickCount } from './tick-count.js';
import type { NotifierRule } from './types.js';
import { wallClockFullTimeout } from './wall-clock-full-timeout.js';
import { wallClock } from './wall-clock.js';

export const NOTIFIERS: readonly NotifierRule[] = [tickCount, wallClock, wallClockFullTimeout, everyTick, threadHeartbeat, gunicornAsgi];

export function findNotifier(name: string): NotifierRule | undefined {
  return NOTIFIERS.find((rule) => rule.name === name);
}

export function notifierNames(): string[] {
  return NOTIFIERS.map((rule) => rule.name);
}
