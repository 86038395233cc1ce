// uvicorn's process manager as the analysis reads it from a trace (pure): its pings, the kill of a child
// that did not answer, the checks held up behind another child, on hand-made traces.

import { describe, expect, it } from 'vitest';
import { findKills } from '../../src/analysis/kills.js';
import { classifyPingOutcome, explainPingStrategy, findPings } from '../../src/analysis/pings.js';
import { detectionWindowMs, uvicornHas } from '../../src/process-manager/healthcheck.js';
import type { TraceEvent } from '../../src/trace/events.js';
import { describeFinding } from '../../src/report/wording.js';

const TIMEOUT = 5000;
const spawn = (t: number, pid: number, worker: number): TraceEvent => ({ type: 'worker-spawn', t, pid, worker, bootCountsAsBeat: true, respawn: worker > 2 });
const ping = (t: number, pid: number, waitedMs: number, answered = true): TraceEvent => ({ type: 'ping', t, pid, answered, waitedMs });

/** Two children; child 11 holds the GIL 7 s from t=2 s: its ping at 2.5 s goes unanswered, and child 12's check waits behind it. */
function gilKill(): TraceEvent[] {
  return [
    spawn(0, 11, 1),
    spawn(0, 12, 2),
    // Child 11's loop ticks until its handler starts at 2 s.
    ...Array.from({ length: 21 }, (_, i): TraceEvent => ({ type: 'tick', t: i * 100, pid: 11, counter: i, handlers: 0 })),
    ping(505, 11, 5),
    ping(510, 12, 5),
    ping(1015, 11, 5),
    ping(1020, 12, 5),
    { type: 'request-start', t: 2000, pid: 11, id: 1, route: 'cpu', ms: 7000 },
    // Sent at 2.5 s, given up at 7.5 s.
    ping(7520, 11, 5000, false),
    { type: 'signal', t: 7521, pid: 11, signal: 'SIGKILL' },
    { type: 'worker-exit', t: 7525, pid: 11, code: null, signal: 'SIGKILL' },
    spawn(7530, 13, 3),
    ping(7540, 12, 10),
  ];
}

describe("uvicorn's process manager in the analysis", () => {
  it('counts an unanswered ping as a kill, its age since the last answer', () => {
    const kills = findKills(gilKill());
    expect(kills).toEqual([{ atMs: 7520, by: 'uvicorn', pid: 11, workerAgeMs: 7520, heartbeatAgeMs: 7520 - 1015, neededSigkill: false, exitSignal: 'SIGKILL' }]);
  });

  it('finds the pings, the unanswered, the slowest answer and the longest stretch between two checks of a child', () => {
    expect(findPings(gilKill())).toEqual({ pings: 6, unanswered: 1, longestWaitMs: 10, longestBetweenChecksMs: 7530 - 1015 });
  });

  it('judges killed, missed hang, at risk, survived, or not enough pings', () => {
    const base = { healthcheckTimeoutMs: TIMEOUT, workers: 2, openStallAtEndMs: null, inconclusive: [] };
    const events = gilKill();
    expect(classifyPingOutcome({ ...base, kills: findKills(events), pings: findPings(events) }).outcome).toBe('killed');
    const answered = { pings: 40, unanswered: 0, longestWaitMs: 20, longestBetweenChecksMs: 520 };
    expect(classifyPingOutcome({ ...base, kills: [], pings: answered }).outcome).toBe('survived');
    expect(classifyPingOutcome({ ...base, kills: [], pings: { ...answered, longestWaitMs: 4000 } }).outcome).toBe('at-risk');
    // A loop stuck in Python longer than any check could take: the pings were answered all along.
    expect(classifyPingOutcome({ ...base, kills: [], pings: answered, openStallAtEndMs: detectionWindowMs(TIMEOUT, 2) + 1 }).outcome).toBe('missed-hang');
    expect(classifyPingOutcome({ ...base, kills: [], pings: { ...answered, pings: 1 } })).toEqual({ outcome: 'inconclusive', why: [{ kind: 'too-few-pings', seen: 1, needed: 2 }] });
  });

  it('tells the kill: the wait, the GIL hold that ran into it, and the check of the other child that waited behind it', () => {
    const events = gilKill();
    const findings = explainPingStrategy({ strategy: 'holds-gil', healthcheckTimeoutMs: TIMEOUT, outcome: 'killed', kills: findKills(events), pings: findPings(events), openStallAtEndMs: null, longestStallMs: null, events });
    expect(findings).toEqual([
      { kind: 'ping-unanswered', pid: 11, killNumber: 1, kills: 1, atMs: 7520, waitedMs: 5000, healthcheckTimeoutMs: TIMEOUT, gilHeldMs: 7000, stallMs: 7520 - 2000, pongGilTakings: 2 },
      { kind: 'check-delayed', pid: 12, betweenChecksMs: 7530 - 1015, intervalMs: 500, waitingOnPid: 11, waitedOnMs: 5000 },
    ]);
    expect(describeFinding(findings[0]!)).toContain('a handler held the GIL for 7.0 s in one call');
    expect(describeFinding(findings[1]!)).toContain('because the parent was waiting 5.0 s on child 11 first');
  });

  it('under pure-Python code the same cpu handler is no GIL hold, and a survivor says why its pings were answered', () => {
    const events = gilKill();
    const [kill] = explainPingStrategy({ strategy: 'pure-python', healthcheckTimeoutMs: TIMEOUT, outcome: 'killed', kills: findKills(events), pings: findPings(events), openStallAtEndMs: null, longestStallMs: null, events });
    expect(kill).toMatchObject({ kind: 'ping-unanswered', gilHeldMs: null });
    const answered = { pings: 40, unanswered: 0, longestWaitMs: 20, longestBetweenChecksMs: 520 };
    const [finding] = explainPingStrategy({ strategy: 'pure-python', healthcheckTimeoutMs: TIMEOUT, outcome: 'survived', kills: [], pings: answered, openStallAtEndMs: null, longestStallMs: 8000, events: [] });
    expect(finding).toEqual({ kind: 'pings-answered', pings: 40, longestWaitMs: 20, longestStallMs: 8000, healthcheckTimeoutMs: TIMEOUT, cpuHoldsGil: false });
    expect(describeFinding(finding!)).toContain('pure-Python work hands it the GIL every 5 ms');
  });

  it("knows which uvicorn has the process manager and the healthcheck option", () => {
    expect(uvicornHas('0.17.6', [0, 30])).toBe(false);
    expect(uvicornHas('0.32.0', [0, 30])).toBe(true);
    expect(uvicornHas('0.32.0', [0, 37])).toBe(false);
    expect(uvicornHas('0.53.0', [0, 37])).toBe(true);
    expect(uvicornHas('1.0.0', [0, 37])).toBe(true);
    expect(uvicornHas('?', [0, 30])).toBe(false);
  });
});
