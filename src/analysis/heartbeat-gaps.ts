// Heartbeat gaps as the master saw them (pure): consecutive notifies of one worker, plus the open gap
// a killed worker had reached when the master gave up on it.

import { eventsOfType, type TraceEvent } from '../trace/events.js';
import { differences, groupBy } from '../stats.js';
import type { HeartbeatFindings, Kill } from './types.js';

export function findHeartbeatGaps(events: readonly TraceEvent[], kills: readonly Kill[], timeoutMs: number): HeartbeatFindings {
  const beats = eventsOfType(events, 'heartbeat');
  const gapsMs = [...groupBy(beats, (beat) => beat.pid).values()].flatMap((own) => differences(own.map((beat) => beat.beatT).sort((a, b) => a - b)));
  const candidates = [...gapsMs, ...kills.map((kill) => kill.heartbeatAgeMs)];
  const maxGapMs = candidates.length === 0 ? null : Math.max(...candidates);
  return {
    count: beats.length,
    gapsMs,
    maxGapMs,
    marginMs: maxGapMs === null || timeoutMs === 0 ? null : timeoutMs - maxGapMs,
  };
}
