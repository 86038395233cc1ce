// What a deployment's killer tolerates, in stalls of the event loop (pure): the longest stall that
// cannot kill whatever its phase, the shortest that kills whatever its phase (between the two, the
// phase decides: at risk), and how long a truly hung worker lives before the killer acts, which is
// what every change that tolerates more pays. The arithmetic is docs/semantics.md's, per killer:
//   gunicorn + a rule on the loop: a heartbeat is due every notify interval, sent at the first check
//     after it; the master kills a heartbeat older than --timeout. A stall S that starts just before a
//     heartbeat was due leaves it notify + S old: safe up to timeout - notify, killed past timeout.
//     A rule that checks every k ticks waits a window of k ticks, so k handlers back to back count as
//     one stall (the measured heartbeat gap says how that went).
//   gunicorn + a heartbeat thread: pure-Python stalls never kill (and a hung loop is never noticed).
//   kubelet, a probe answered on the loop: a probe waits out the stall; it fails past timeoutSeconds,
//     and failureThreshold failures in a row kill: safe up to the timeout, killed past timeout +
//     (failureThreshold - 1) spacings (sweep/predict.ts); a thread fails once the loop is loopStale
//     old; the exec probe once the file is maxHeartbeatAge old (whole seconds); tcpSocket never.
//   uvicorn's process manager: a thread in the child answers; only a call that keeps the GIL past the
//     healthcheck timeout stops it.

import { NOMINAL_MASTER_PERIOD_MS } from '../masters/types.js';
import { findNotifier } from '../notifiers/registry.js';
import { NOMINAL_TICK_MS } from '../notifiers/types.js';
import { findHealthStrategy } from '../probes/health-strategies.js';
import { failingProbeSpacingMs, livenessKillGraceMs } from '../probes/types.js';
import { CHECK_INTERVAL_MS } from '../process-manager/healthcheck.js';
import { unknownKind } from '../scenario/supervisor.js';
import type { Scenario } from '../scenario/types.js';

export interface Tolerance {
  killer: 'gunicorn' | 'kubelet' | 'uvicorn';
  /** What the limits are about: one stall of the loop, the mean tick (tick counting), or a call that keeps the GIL. */
  stallKind: 'loop stall' | 'mean tick' | 'GIL hold';
  /** A stall up to this never kills, whatever its phase; null when no such stall can kill. */
  safeUpToMs: number | null;
  /** A stall longer than this kills whatever its phase; null when none does. */
  killsFromMs: number | null;
  /** How long a worker whose loop never comes back lives before the killer acts; null: never noticed. */
  hangNoticedAfterMs: number | null;
}

/** The tolerance of `strategy` under the scenario's supervisor; null for a strategy the supervisor does not know. */
export function toleranceOf(strategy: string, scenario: Scenario): Tolerance | null {
  const { supervisor } = scenario;
  switch (supervisor.kind) {
    case 'gunicorn': {
      const rule = findNotifier(strategy);
      if (rule === undefined) return null;
      const timeoutMs = supervisor.timeoutMs;
      const noticed = timeoutMs + NOMINAL_MASTER_PERIOD_MS;
      if (rule.drivenBy === 'thread') return { killer: 'gunicorn', stallKind: 'GIL hold', safeUpToMs: timeoutMs - rule.notifyIntervalMs({ timeoutMs, tickMs: NOMINAL_TICK_MS }), killsFromMs: timeoutMs, hangNoticedAfterMs: null };
      const notifyMs = rule.notifyIntervalMs({ timeoutMs, tickMs: NOMINAL_TICK_MS });
      if (rule.checkEveryTicks === null && rule.drivenBy === 'loop') {
        // Tick counting: a heartbeat every notify/100 ms ticks, so the mean tick decides, not one stall.
        const limit = (timeoutMs * NOMINAL_TICK_MS) / notifyMs;
        return { killer: 'gunicorn', stallKind: 'mean tick', safeUpToMs: limit, killsFromMs: limit, hangNoticedAfterMs: noticed };
      }
      return { killer: 'gunicorn', stallKind: 'loop stall', safeUpToMs: Math.max(0, timeoutMs - notifyMs), killsFromMs: timeoutMs, hangNoticedAfterMs: noticed };
    }
    case 'kubelet': {
      const health = findHealthStrategy(strategy);
      if (health === undefined) return null;
      const { probe } = supervisor;
      const spacing = failingProbeSpacingMs(probe, health.answeredBy === 'loop');
      const grace = livenessKillGraceMs(probe);
      const within = (limitMs: number): Tolerance => ({ killer: 'kubelet', stallKind: 'loop stall', safeUpToMs: limitMs, killsFromMs: limitMs + (probe.failureThreshold - 1) * spacing, hangNoticedAfterMs: limitMs + (probe.failureThreshold - 1) * spacing + grace });
      switch (health.answeredBy) {
        case 'loop':
          return within(probe.timeoutMs);
        case 'thread':
          return within(probe.loopStaleMs);
        case 'file':
          // Whole seconds: the file reads maxAge old up to a second before it is.
          return within(Math.max(0, probe.maxHeartbeatAgeMs - 1000));
        case 'kernel':
          return { killer: 'kubelet', stallKind: 'loop stall', safeUpToMs: null, killsFromMs: null, hangNoticedAfterMs: null };
      }
      return null;
    }
    case 'uvicorn': {
      const timeoutMs = supervisor.healthcheckTimeoutMs;
      // The parent pings one child per round: a child waits up to a round per other child for its turn.
      const round = CHECK_INTERVAL_MS * Math.max(1, scenario.workers);
      return { killer: 'uvicorn', stallKind: 'GIL hold', safeUpToMs: timeoutMs, killsFromMs: timeoutMs + round, hangNoticedAfterMs: strategy === 'holds-gil' ? timeoutMs + round : null };
    }
    default:
      return unknownKind(supervisor);
  }
}
