// Every sentence the reports say, in one place, so the terminal, Markdown, HTML, JUnit, series and
// diff say the same thing. Findings arrive as data; only this module puts them into words.

import type { ContentionSignal, Finding, LabProblem } from '../analysis/findings.js';
import type { ContentionFindings, RunAnalysis, RunVerdict, StrategyAnalysis, StrategyOutcome } from '../analysis/types.js';
import type { RequestOutcome, StackFrame } from '../trace/events.js';
import type { Expectation } from '../scenario/types.js';
import { unknownKind, type SupervisorKind, type SupervisorSpec } from '../scenario/supervisor.js';
import type { LayoutChoice, StrategyLayout } from '../scenario/strategy-layout.js';
import type { SeriesSummary, StrategySeries } from './aggregate-series.js';
import { formatDuration as d, formatPercent, plural } from './format.js';

function describeLabProblem(problem: LabProblem): string {
  switch (problem.problem) {
    case 'master-never-started':
      return 'the master never started';
    case 'no-worker-listened':
      return 'no worker ever listened';
    case 'load-never-started':
      return 'the load generator never started';
    case 'load-unfinished':
      return 'the load generator did not finish (it crashed or was stopped)';
    case 'load-sent-nothing':
      return 'the load generator sent no request';
    case 'load-short':
      return `the load ran ${d(problem.ranMs)} of its ${d(problem.durationMs)}`;
    case 'trace-cut':
      return `the trace stops at ${d(problem.lastMs)}, before the supervisor's stop: the file was cut short (a full disk, or copied while the run was going), so what happened after is unknown`;
  }
}

const DOCTOR_VERDICTS: Record<string, string> = {
  'event-loop': 'detected an event-loop issue (the loop was blocked)',
  io: 'detected an I/O issue',
  gc: 'detected a garbage-collection issue',
  none: 'found no issue',
  unknown: 'found an issue it could not classify',
};

/** Every finding of a strategy, in words, in the order the analysis found them. */
export function describeFindings(findings: readonly Finding[]): string[] {
  return findings.map(describeFinding);
}

export function describeFinding(finding: Finding): string {
  // gunicorn's timeout 0 turns the check off: no sentence about "the 0 s timeout".
  if ('timeoutMs' in finding && finding.timeoutMs === 0) {
    return 'The master\'s timeout check is off (timeout 0): no heartbeat gap can get this worker killed, busy or hung.';
  }
  switch (finding.kind) {
    case 'tick-lag': {
      const projected = finding.ticksNeeded * finding.meanTickMs;
      return (
        `It counts ${finding.ticksNeeded} ticks between heartbeats (${d(finding.ticksNeeded * finding.nominalTickMs)} at ${d(finding.nominalTickMs)} a tick), ` +
        `but CPU-bound handlers stretched ticks to ${d(finding.meanTickMs)} on average before the first kill (the table's tick mean covers the whole run): after ${d(finding.elapsedMs)} only ` +
        `${finding.ticksRun} of the ${finding.ticksNeeded} ticks had run, so the heartbeat would have come after about ${d(projected)} ` +
        `and the master's ${d(finding.timeoutMs)} timeout struck first.`
      );
    }
    case 'ticks-kept-up':
      return `Its ${finding.ticksNeeded}-tick count between heartbeats never took longer than ${d(finding.slowestCountMs)}, inside the ${d(finding.timeoutMs)} timeout.`;
    case 'single-stall':
      if (finding.stallMs > finding.timeoutMs) return `One stall of the loop lasted ${d(finding.stallMs)}, longer than the ${d(finding.timeoutMs)} timeout: no rule driven by the loop can beat in time.`;
      return (
        `One stall of the loop lasted ${d(finding.stallMs)}, longer than the ${d(finding.notifyIntervalMs)} between heartbeats: ` +
        `the heartbeat due during it could not be sent, and the master's ${d(finding.timeoutMs)} timeout ran out.`
      );
    case 'window-over-timeout':
      return (
        `It reads the clock only every ${plural(finding.checkEveryTicks, 'tick')}; one such window took ${d(finding.windowMs)}, ` +
        `so the heartbeat due after ${d(finding.notifyIntervalMs)} came too late for the ${d(finding.timeoutMs)} timeout.`
      );
    case 'interval-not-below-timeout':
      return `It notifies only every ${d(finding.notifyIntervalMs)}, not less than the ${d(finding.timeoutMs)} timeout: the master kills it even when idle.`;
    case 'checks-in-time':
      return (
        `It compares the wall clock every ${plural(finding.checkEveryTicks, 'tick')}; the slowest window took ${d(finding.maxWindowMs)}, ` +
        `so heartbeats came at most ${d(finding.maxGapMs)} apart (due every ${d(finding.notifyIntervalMs)}), under the ${d(finding.timeoutMs)} timeout.`
      );
    case 'thin-margin':
      return `Its longest heartbeat gap, ${d(finding.maxGapMs)}, came within ${formatPercent(finding.atRiskShare)} of the ${d(finding.timeoutMs)} timeout: one slower window and it dies.`;
    case 'window-near-limit':
      return (
        `One clock-check window took ${d(finding.windowMs)}: a heartbeat due after ${d(finding.notifyIntervalMs)} that just misses a check waits a whole window, ` +
        `up to ${d(finding.notifyIntervalMs + finding.windowMs)}, near the ${d(finding.timeoutMs)} timeout. It survived this run by the luck of alignment.`
      );
    case 'thread-beats':
      return (
        `Its heartbeat thread beats whatever the loop does: gaps stayed at ${d(finding.maxGapMs)} while the loop stalled for up to ${d(finding.longestStallMs)}` +
        (finding.longestStallMs > finding.timeoutMs ? `, longer than the ${d(finding.timeoutMs)} timeout: the master cannot tell busy from hung.` : '.')
      );
    case 'thread-held-by-gil':
      return (
        `Its heartbeat thread could not run: the loop was in one call that kept the GIL for ${d(finding.stallMs)}, and no other Python thread runs meanwhile ` +
        `(pure-Python work hands the GIL over every 5 ms; C code that does not release it never does), so the master's ${d(finding.timeoutMs)} timeout ran out.`
      );
    case 'task-beats':
      return (
        `Its heartbeat task on the loop (notify, then sleep ${d(finding.notifyIntervalMs)}) beat whenever the loop got back to it: gaps up to ${d(finding.maxGapMs)}` +
        `${finding.longestStallMs === null ? '' : `, the longest stall ${d(finding.longestStallMs)}`} against the ${d(finding.timeoutMs)} timeout. Only one stall longer than the timeout kills it.`
      );
    case 'abort-waits-for-loop':
      return "The master's SIGABRT could not stop it: gunicorn's ASGI worker handles SIGABRT on its event loop, which was blocked, so the master's SIGKILL came on its next pass. No worker_abort hook ran, no traceback was written, and gunicorn logs it as \"Perhaps out of memory?\".";
    case 'missed-hang':
      return `MISSED HANG: its loop had not come back for ${d(finding.stallMs)} (more than the ${d(finding.timeoutMs)} timeout) when the run ended, yet the master kept it alive. Requests sent to it can only time out.`;
    case 'clock-step':
      return `The wall clock stepped ${finding.stepMs > 0 ? 'forward' : 'backward'} by ${d(Math.abs(finding.stepMs))} at ${d(finding.atMs)}; the kill that followed was caused by the step, not by the load.`;
    case 'host-contended':
      return (
        `UNTRUSTED, the host was contended: ${describeContentionBrief(finding)}. Other processes competed for the CPU, so ticks, polls and requests ` +
        'woke up late and the timing that decides a kill was distorted (in production the worker and its clients do not share cores): this run is not judged. ' +
        'Run it again on a quieter machine, with --sequential, or with fewer --parallel runs.'
      );
    case 'lab-problem':
      return `Not enough data to judge: ${describeLabProblem(finding.detail)}.`;
    case 'short-run':
      return `Not enough data to judge: the run lasted ${d(finding.observedMs)}, less than the ${d(finding.timeoutMs)} timeout.`;
    case 'too-few-heartbeats':
      return `Not enough data to judge: the master saw ${plural(finding.seen, 'heartbeat')}; at least ${finding.needed} are needed.`;
    case 'stack-at-kill':
      return describeStackAtKill(finding);
    case 'stack-unavailable':
      return `The stack at the kill of pid ${finding.pid} is unavailable: ${finding.reason}.`;
    case 'proxy-retried':
      return (
        `${finding.proxy} sent ${plural(finding.requests, 'request')} again, to the next worker, after ${finding.requests === 1 ? 'its' : 'their'} worker died (${plural(finding.kills, 'kill')}). nginx passes a request on when its kept-alive upstream connection fails ` +
        'before the response (a failure on a reused connection does not use up a try, so even one upstream server gets it again; POST, PATCH and LOCK excepted): ' +
        'the clients saw no error, but each of those handlers ran twice, and a request that starved one worker starts on the next.'
      );
    case 'doctor':
      return describeDoctor(finding);
    case 'liveness-kill':
      return describeLivenessKill(finding);
    case 'first-killer':
      return describeFirstKiller(finding);
    case 'probes-passed':
      return describeProbesPassed(finding);
    case 'probe-missed-hang':
      return (
        `MISSED HANG: its loop had not come back for ${d(finding.stallMs)} when the run ended, yet ${plural(finding.passedDuringStall, `${PROBE_NAMES[finding.probe]} probe`)} passed meanwhile: ` +
        `${ANSWERERS[finding.answeredBy] ?? 'something other than the loop'} answers it, so the kubelet never sees a hung loop. Requests sent to it can only time out.`
      );
    case 'too-few-probes':
      return `Not enough data to judge: the kubelet ran ${plural(finding.seen, 'probe')}; at least ${finding.needed} are needed (a longer run, or a shorter periodMs).`;
    case 'ping-unanswered':
      return describePingUnanswered(finding);
    case 'pings-answered':
      return finding.cpuHoldsGil
        ? `uvicorn's parent had every ping answered (${plural(finding.pings, 'ping')}, the slowest answer after ${d(finding.longestWaitMs)}, within the ${d(finding.healthcheckTimeoutMs)} healthcheck timeout): its handlers kept the GIL, but never long enough in a row to keep the answering thread from it for the whole timeout.`
        : `uvicorn's parent had every ping answered (${plural(finding.pings, 'ping')}, the slowest after ${d(finding.longestWaitMs)}) although the loop stalled up to ${d(finding.longestStallMs)}: the answering thread is not the loop, and pure-Python work hands it the GIL every 5 ms. uvicorn's healthcheck cannot see a starved loop, so it does not kill a busy worker; it cannot see a hung one either.`;
    case 'check-delayed':
      return (
        `Its checks are serial: child ${finding.pid}'s ping came ${d(finding.betweenChecksMs)} after its previous one instead of about ${d(finding.intervalMs)}, because the parent was waiting ${d(finding.waitedOnMs)} on child ${finding.waitingOnPid ?? '?'} first. ` +
        'One unresponsive child delays the checks of every child after it by up to the healthcheck timeout.'
      );
    case 'ping-missed-hang':
      return (
        `MISSED HANG: its loop had not come back for ${d(finding.stallMs)} when the run ended, yet ${plural(finding.answeredDuringStall, 'ping')} were answered meanwhile: ` +
        `the answering thread runs whenever pure-Python code hands over the GIL, so uvicorn's ${d(finding.healthcheckTimeoutMs)} healthcheck never sees a loop stuck in Python. Requests sent to it can only time out.`
      );
    case 'too-few-pings':
      return `Not enough data to judge: uvicorn's parent sent ${plural(finding.seen, 'ping')}; at least ${finding.needed} are needed (a longer run).`;
  }
}

function describePingUnanswered(finding: Extract<Finding, { kind: 'ping-unanswered' }>): string {
  const which = finding.kills > 1 ? `Kill ${finding.killNumber} of ${finding.kills}, ` : '';
  const held = finding.gilHeldMs === null
    ? `no handler that holds the GIL ran into its wait (the loop's longest stall was ${d(finding.stallMs)})`
    : `a handler held the GIL for ${d(finding.gilHeldMs)} in one call meanwhile, and the answering thread needs the GIL ${plural(finding.pongGilTakings, 'time')} (back from each read of the ping, before it can write its answer) while no other Python thread runs`;
  return (
    `${which}${d(finding.atMs)} after boot: uvicorn's parent pinged child ${finding.pid} and waited ${d(finding.waitedMs)} with no answer: ${held}. ` +
    `The ${d(finding.healthcheckTimeoutMs)} healthcheck timeout ran out, so the parent sent SIGKILL and logged "Child process [${finding.pid}] died": no traceback, no shutdown, its requests cut off.`
  );
}

const PROBE_NAMES: Record<string, string> = { httpGet: 'httpGet', tcpSocket: 'tcpSocket', exec: 'exec' };

/** Who answered the probe, for a sentence. */
const ANSWERERS: Record<string, string> = {
  loop: 'the app\'s event loop',
  thread: 'a thread off the loop',
  file: 'a heartbeat file the loop touches',
  kernel: 'the kernel (it completes the TCP handshake from the listen backlog)',
};

function describeFailedProbe(failed: Extract<Finding, { kind: 'liveness-kill' }>['failed'][number], timeoutMs: number): string {
  if (failed.heartbeatAgeMs !== null) return `${d(failed.atMs)} (file ${d(failed.heartbeatAgeMs)} old)`;
  if (failed.detail === 'timed out') return `${d(failed.atMs)} (no answer in ${d(timeoutMs)})`;
  return `${d(failed.atMs)} (${failed.detail}, after ${d(failed.tookMs)})`;
}

function describeLivenessKill(finding: Extract<Finding, { kind: 'liveness-kill' }>): string {
  const probe = PROBE_NAMES[finding.probe];
  const failures = finding.failed.map((f) => describeFailedProbe(f, finding.probeTimeoutMs)).join(', ');
  const answerer = ANSWERERS[finding.answeredBy] ?? 'the app';
  const busy = finding.loopTickedMeanwhile;
  const why =
    finding.answeredBy === 'loop'
      ? `${answerer} answers it only once the handlers queued before it have run, and the loop stalled for up to ${d(finding.stallMs)}, longer than the probe's ${d(finding.probeTimeoutMs)} timeout: ` +
        (busy ? 'the loop kept coming back between handlers, so the container was busy, not hung.' : 'the loop never came back while the probes failed: it was hung, and the kill was right.')
      : `${answerer} answers it, and ${busy ? `the loop kept coming back (its longest stall ${d(finding.stallMs)}), yet the probe failed: busy, not hung.` : `the loop never came back while the probes failed (stalled ${d(finding.stallMs)}): it was hung, and the kill was right.`}`;
  const exitedAfter = finding.exitedAfterMs ?? 0;
  const exit = finding.neededSigkill
    ? `It was sent SIGTERM, did not exit within the ${d(finding.graceMs)} grace period and got SIGKILL.`
    : finding.exitSignal !== null
      ? `It was sent SIGTERM and died ${exitedAfter < 100 ? 'at once' : `${d(exitedAfter)} later`} (${finding.exitSignal}).`
      : `It was sent SIGTERM and shut down by itself ${d(exitedAfter)} later: the signal is handled on the loop, so a starved loop sees it late, then finishes the requests it had read and resets those it had not.`;
  const back = finding.restartBackoffMs;
  const backoffs =
    back === null
      ? ''
      : back < 1
        ? ' It was restarted at once: the kubelet judges the crash-loop back-off by the container that exited before this one, and that one had finished longer ago than the back-off (none at all for the first kill).'
        : ` It was restarted after a ${d(back)} crash-loop back-off (the container before it had finished less than the back-off ago), while its share of the load had nowhere to go.`;
  const which = finding.kills > 1 ? `Kill ${finding.killNumber} of ${finding.kills}: the` : 'The';
  return (
    `${which} kubelet's ${probe} liveness probe (every ${d(finding.periodMs)}, timeout ${d(finding.probeTimeoutMs)}) failed ${finding.failureThreshold} times in a row — ${failures} — ` +
    `so it killed the container at ${d(finding.atMs)}: ${why} ${exit}${backoffs}`
  );
}

/** A pod whose container is a master with its workers: who struck first, and where the other stood. */
function describeFirstKiller(finding: Extract<Finding, { kind: 'first-killer' }>): string {
  const again = finding.kills > 1 ? ` (${plural(finding.kills, 'kill')} by it in all)` : '';
  const other = finding.otherKills === 0 ? '' : ` The other killer struck too, later: ${plural(finding.otherKills, 'kill')}.`;
  const uvicorn = finding.master === 'uvicorn';
  const inner = uvicorn ? `uvicorn's process manager (healthcheck timeout ${d(finding.timeoutMs)})` : `gunicorn's master (${finding.master}, --timeout ${d(finding.timeoutMs)})`;
  const aged = (ms: number): string => (uvicorn ? `the longest a child had gone without answering a ping was ${d(ms)}` : `the oldest heartbeat was ${d(ms)} old`);
  if (finding.killer === 'kubelet') {
    const age = finding.oldestHeartbeatMs;
    const stood =
      age === null
        ? `${inner} had no ${uvicorn ? 'child' : 'worker'} alive to judge then`
        : age >= finding.timeoutMs
          ? `${inner} was about to strike too: ${aged(age)}`
          : `${inner} would not have killed yet: ${aged(age)}, ${d(finding.timeoutMs - age)} short of its timeout`;
    const raise = uvicorn ? "Raising uvicorn's healthcheck timeout" : "Raising gunicorn's --timeout";
    return `FIRST KILLER: the kubelet. Its liveness probe killed the whole container (the ${uvicorn ? 'parent and every child' : 'master and every worker'}) at ${d(finding.atMs)}${again}; ${stood}. ${raise} changes nothing here: the probe is the killer to fix.${other}`;
  }
  const streak = finding.failuresInARow ?? 0;
  const probe =
    streak === 0
      ? `the kubelet's probe was passing then (no failure in a row of the ${finding.failureThreshold} that kill): the probe reached a ${uvicorn ? 'child' : 'worker'} that was free`
      : `the kubelet's probe had failed ${streak} of the ${finding.failureThreshold} times in a row that kill the container`;
  const kill = uvicorn
    ? `A ping went unanswered for ${d(finding.timeoutMs)}: it SIGKILLed one child at ${d(finding.atMs)}${again}`
    : `WORKER TIMEOUT: it killed one worker at ${d(finding.atMs)}${again}, after its heartbeat was older than --timeout ${d(finding.timeoutMs)}`;
  const fix = uvicorn ? "the child's answer to its parent's ping is" : "the worker's heartbeat is";
  return `FIRST KILLER: ${uvicorn ? "uvicorn's process manager" : `gunicorn's master (${finding.master})`}. ${kill}; ${probe}. The probe is not the killer to fix first: ${fix}.${other}`;
}

function describeProbesPassed(finding: Extract<Finding, { kind: 'probes-passed' }>): string {
  const answerer = ANSWERERS[finding.answeredBy] ?? 'the app';
  const failed = finding.failures === 0 ? 'none failed' : `${plural(finding.failures, 'failure')}, at most ${finding.longestStreak} in a row of the ${finding.failureThreshold} that kill`;
  const slowest = finding.slowestMs === null ? '' : `; the slowest took ${d(finding.slowestMs)} of its ${d(finding.probeTimeoutMs)}`;
  return `${answerer[0]?.toUpperCase() ?? ''}${answerer.slice(1)} answered ${plural(finding.probes, `${PROBE_NAMES[finding.probe]} probe`)} while the loop stalled for up to ${d(finding.longestStallMs)}: ${failed}${slowest}.`;
}

function describeStackAtKill(finding: Extract<Finding, { kind: 'stack-at-kill' }>): string {
  const blocking = finding.blocking;
  if (blocking === null) {
    const where = finding.innermost === null ? '' : `, in ${describeFrame(finding.innermost)}`;
    return `At ${plural(finding.count, 'kill')} the loop was between handlers${where}: no script code was blocking at that instant; the heartbeat was already too late.`;
  }
  const callers = finding.callers.map(describeFrame);
  return `At ${plural(finding.count, 'kill')} the loop was running ${describeFrame(blocking)}${callers.length > 0 ? `, called from ${callers.join(' ← ')}` : ''}.`;
}

/** Clinic.js Doctor's verdict on one worker; "not enough data" is inconclusive, never a pass. */
function describeDoctor(result: Extract<Finding, { kind: 'doctor' }>): string {
  const who = `Clinic.js Doctor (worker ${result.pid})`;
  if (result.error !== null) return `${who} gave no verdict: ${result.error}. Inconclusive.`;
  if (result.issueCategory === 'data') {
    return `${who}: not enough data to judge, inconclusive (its 10 ms sampler starves during multi-second blocks, and a kill cuts its data off).`;
  }
  return `${who} ${DOCTOR_VERDICTS[result.issueCategory ?? 'unknown'] ?? `said "${result.issueCategory ?? ''}"`}; see ${result.html ?? 'no HTML'}.`;
}

/** What said a strategy's run was contended, in a few words (findings, progress lines). */
/** The contention figures of an analysis or of a report (whose older versions lack the run-queue ones). */
/**
 * The figures the brief needs, taken from the analysis' own shape: a finding, a report's `contention`
 * and the analysis all carry them (the run-queue figures are absent from reports made before them).
 */
type ContentionFigures = Pick<ContentionFindings, 'cpuShare' | 'idleTicks' | 'lateIdleTicks'> & {
  [K in 'workerWaitShare' | 'loadWaitShare']?: ContentionFindings[K] | undefined;
} & { signals?: readonly ContentionSignal[] | undefined };

export function describeContentionBrief(contention: ContentionFigures): string {
  const signals = contention.signals ?? (contention.cpuShare === null ? ['late-idle-ticks' as const] : ['burns-starved' as const]);
  const parts = signals.map((signal) => {
    switch (signal) {
      case 'worker-waited':
        return `its workers waited for a CPU ${formatPercent(contention.workerWaitShare ?? 0)} of the time they had work`;
      case 'load-waited':
        return `its load waited for a CPU ${formatPercent(contention.loadWaitShare ?? 0)} of the time it had work`;
      case 'burns-starved':
        return `its handlers got ${formatPercent(contention.cpuShare ?? 0)} of a core`;
      case 'late-idle-ticks':
        return `${contention.lateIdleTicks} of ${contention.idleTicks} idle ticks came late`;
    }
  });
  return parts.join(', ');
}

/** `contended`: the host distorted the run (analysis/contention.ts), which is why it is inconclusive. */
export function describeOutcome(outcome: StrategyOutcome, kills: number, contended = false): string {
  switch (outcome) {
    case 'killed':
      return `killed ${kills}×`;
    case 'missed-hang':
      return 'missed a hang';
    case 'at-risk':
      return 'survived, at risk';
    case 'survived':
      return 'survived';
    case 'inconclusive':
      if (contended) return `untrusted, the host was contended${kills > 0 ? ` (killed ${kills}× meanwhile)` : ''}`;
      return kills > 0 ? `inconclusive (killed ${kills}× before it stopped)` : 'inconclusive';
  }
}

export function describeExpectation(expected: Expectation | null): string {
  if (expected !== null && typeof expected === 'object') {
    const { min, max } = expected.killRate;
    const pct = (share: number): string => formatPercent(share, 1);
    if (min !== undefined && max !== undefined) return `killed in ${pct(min)} to ${pct(max)} of runs`;
    return min !== undefined ? `killed in at least ${pct(min)} of runs` : `killed in at most ${pct(max ?? 1)} of runs`;
  }
  switch (expected) {
    case null:
      return 'nothing expected';
    case 'killed':
      return 'killed';
    case 'survives':
      return 'survives';
    case 'at-risk':
      return 'at risk (killed or a thin margin)';
    case 'missed-hang':
      return 'missed hang';
  }
}

export function verdictLabel(verdict: RunVerdict): string {
  switch (verdict) {
    case 'as-expected':
      return 'AS EXPECTED';
    case 'unexpected':
      return 'UNEXPECTED';
    case 'inconclusive':
      return 'INCONCLUSIVE';
  }
}

/** How the run laid out its strategies, with why when it is known. */
export function describeLayout(layout: LayoutChoice | StrategyLayout): string {
  const choice = typeof layout === 'string' ? { layout, reason: null } : layout;
  // One strategy has nothing to lay out.
  if (choice.reason === 'one strategy') return 'one strategy';
  const what = choice.layout === 'one-at-a-time' ? 'strategies one at a time' : 'strategies side by side';
  return choice.reason === null ? what : `${what} (${choice.reason})`;
}

/** `1 client`, `4 clients`, or an open load: `open load 2/s (up to 16 connections)`; `through nginx` behind a proxy. */
export function describeLoadShape(load: { clients: number; arrivalsPerS?: number | undefined; client?: string | undefined; proxy?: string | undefined }): string {
  const through = load.proxy === undefined ? '' : ` through ${load.proxy}`;
  if (load.arrivalsPerS !== undefined) return `open load ${Number(load.arrivalsPerS.toPrecision(3))}/s (up to ${plural(load.clients, 'connection')})${through}`;
  return `${load.client === 'wrk' ? `${plural(load.clients, 'wrk client')}` : plural(load.clients, 'client')}${through}`;
}

/** `; tick-count ran again alone (the host was contended)`, or nothing. */
export function describeRerun(rerunAlone: readonly string[] | undefined): string {
  if (rerunAlone === undefined || rerunAlone.length === 0) return '';
  return `; ${rerunAlone.join(', ')} ran again alone (the host was contended)`;
}

/** What judged liveness, in one phrase: `timeout 30 s`, or the probe's period, timeout and threshold. */
export function describeSupervisorJudge(supervisor: SupervisorSpec): string {
  switch (supervisor.kind) {
    case 'gunicorn':
      return `timeout ${d(supervisor.timeoutMs)}`;
    case 'kubelet': {
      const probe = `liveness probe every ${d(supervisor.probe.periodMs)}, timeout ${d(supervisor.probe.timeoutMs)}, ${supervisor.probe.failureThreshold} failures`;
      const inner = supervisor.container;
      if (inner === undefined) return probe;
      return inner.kind === 'gunicorn' ? `${probe}; in the container ${inner.master}'s timeout ${d(inner.timeoutMs)} (${inner.notifier} heartbeat)` : `${probe}; in the container uvicorn's healthcheck every 0.5 s, timeout ${d(inner.timeoutMs)} (${inner.code} code)`;
    }
    case 'uvicorn':
      return `uvicorn's healthcheck every 0.5 s, timeout ${d(supervisor.healthcheckTimeoutMs)}`;
    default:
      return unknownKind(supervisor);
  }
}

/** Heartbeat gaps against the master's timeout. */
function gapsDetail(strategy: StrategyAnalysis): string {
  return `heartbeat gaps up to ${d(strategy.heartbeats.maxGapMs)} (margin ${d(strategy.heartbeats.marginMs)})`;
}

/** uvicorn's process manager's pings. */
function pingsDetail(strategy: StrategyAnalysis): string {
  const pings = strategy.pings ?? { pings: 0, longestWaitMs: null };
  return `${plural(pings.pings, 'ping')} answered (the slowest after ${d(pings.longestWaitMs)})`;
}

/** How a survivor fared, in its supervisor's terms: heartbeat gaps under gunicorn, probes under the kubelet. */
function survivalDetail(strategy: StrategyAnalysis, kind: SupervisorKind): string {
  switch (kind) {
    case 'gunicorn':
      return `with ${gapsDetail(strategy)}`;
    case 'kubelet': {
      const probes = strategy.probes ?? { probes: 0, failures: 0, longestStreak: 0 };
      const failed = probes.failures === 0 ? 'none failed' : `${probes.failures} failed, at most ${probes.longestStreak} in a row`;
      // In a pod whose container is a master, that master judged too: uvicorn's by its pings, gunicorn's by heartbeats.
      const inner = (strategy.pings ?? null) !== null ? `, and ${pingsDetail(strategy)}` : strategy.heartbeats.count > 0 ? `, and ${gapsDetail(strategy)}` : '';
      return `${plural(probes.probes, 'liveness probe')} (${failed})${inner}`;
    }
    case 'uvicorn':
      return pingsDetail(strategy);
    default:
      return unknownKind(kind);
  }
}

function strategySentence(strategy: StrategyAnalysis, kind: SupervisorKind): string {
  const outcome: StrategyOutcome = strategy.outcome;
  switch (outcome) {
    case 'killed':
      return `${strategy.name} was killed ${plural(strategy.kills.length, 'time')} (first ${d(strategy.firstKillMs)} after boot)`;
    case 'missed-hang':
      return `${strategy.name} kept a hung worker alive (its loop stalled ${d(strategy.openStallAtEndMs)})`;
    case 'at-risk':
    case 'survived':
      return `${strategy.name} ${outcome === 'at-risk' ? 'survived at risk' : 'survived'} ${survivalDetail(strategy, kind)}`;
    case 'inconclusive':
      return strategy.contention.contended
        ? `${strategy.name} is untrusted: the host was contended${strategy.kills.length > 0 ? ` (killed ${plural(strategy.kills.length, 'time')} meanwhile)` : ''}`
        : `${strategy.name} was inconclusive`;
  }
}

/** One sentence for the whole run. */
export function headline(analysis: RunAnalysis, kind: SupervisorKind): string {
  const parts = analysis.strategies.map((strategy) => strategySentence(strategy, kind)).join('; ');
  switch (analysis.verdict) {
    case 'as-expected':
      // A scenario init --from wrote expects nothing: nothing was judged against an expectation.
      return analysis.strategies.every((s) => s.expected === null) ? `${parts}. The scenario states no expectation, so there was nothing to miss (starve-lab check judges it against what its killer tolerates).` : `${parts}: every strategy did what the scenario expects.`;
    case 'unexpected': {
      const missed = analysis.strategies.filter((s) => s.met === false).map((s) => `${s.name} was expected: ${describeExpectation(s.expected)}`);
      return `${parts}. Not as expected: ${missed.join('; ')}.`;
    }
    case 'inconclusive':
      return `${parts}. Some strategies could not be judged: a weak measurement never passes.`;
  }
}

/** `burnCpu (lab/workers/burn-cpu.js:8)`: the function and the last three segments of its file. */
export function describeFrame(frame: StackFrame): string {
  const path = frame.url.replace(/^file:\/\//, '');
  const short = path === '' ? 'native' : path.split('/').slice(-3).join('/');
  return `${frame.functionName} (${short}${path === '' ? '' : `:${frame.line}`})`;
}


/** One strategy of a --repeat series, in words (JUnit details, summaries). */
export function describeSeriesStrategy(s: StrategySeries): string {
  return `killed in ${s.killedRuns} of ${s.judged} judged runs; ${s.inconclusive} inconclusive`;
}

/** One sentence for a --repeat series. */
export function headlineOfSeries(series: SeriesSummary): string {
  const parts = series.strategies.map((s) => `${s.name} killed in ${s.killedRuns} of ${s.judged} runs`);
  const inconclusive = series.strategies.reduce((n, s) => Math.max(n, s.inconclusive), 0);
  const missing = series.requested - series.runs;
  return `${parts.join('; ')}${inconclusive > 0 ? `; ${plural(inconclusive, 'run')} inconclusive` : ''}${missing > 0 ? `; ${plural(missing, 'run')} not made (interrupted)` : ''}.`;
}

/** What each row of the summary means: `run --help` and the HTML report print the same glossary. */
export const GLOSSARY: ReadonlyArray<readonly [string, string]> = [
  ['outcome', 'killed (the master timed the worker out), survived, at risk (survived with a heartbeat gap within a quarter of the timeout, or a clock-check window that could push one over), missed hang (kept alive while its loop never came back), inconclusive (the lab, not the rule, failed: re-run)'],
  ['first kill (after boot)', 'when the master first sent SIGABRT, counted from the first worker\'s boot'],
  ['max heartbeat gap', 'the longest time between two heartbeats as the master saw them (the file\'s timestamp)'],
  ['margin to timeout', 'the timeout minus the max heartbeat gap: how close the worker came to being killed'],
  ['heartbeat gaps', 'the shortest and longest gap between heartbeats (— when fewer than two heartbeats came)'],
  ['probes (failed)', 'under the kubelet: liveness probes run, and how many failed (no answer within timeoutSeconds, a status outside 200-399, a refused connection, a stale heartbeat file)'],
  ['failures in a row', 'under the kubelet: the longest run of failed probes, against the failureThreshold that kills'],
  ['pings (slowest answer)', 'under uvicorn\'s process manager (uvicorn --workers): healthcheck pings the parent sent its children, how many went unanswered (each a SIGKILL), and the longest an answered one waited'],
  ['restart back-offs', 'under the kubelet: how long each restart waited (the crash-loop back-off, 10 s doubling to 5 min, bites only when the container before finished less than the back-off ago: the first two kills restart at once)'],
  ['tick interval mean / p99', 'time between two ticks of the worker\'s loop (nominally 100 ms; CPU-bound handlers stretch it)'],
  ['longest stall', 'the longest tick interval: the loop\'s worst stop'],
  ['handlers per tick', 'CPU-bound handlers that ran between two ticks, mean (and the share of ticks with the commonest count)'],
  ['loop delay / utilisation', 'how late the worker\'s loop ran a timer, and how busy it was (Node\'s event-loop utilisation)'],
  ['requests sent', 'requests the load sent; completed, error status, dropped mid-request (a kill or the keep-alive cut the connection), refused or timed out, cut at end (in flight when the load stopped) and vanished (never settled) add up to it'],
];

/** What each request outcome is called in the table and the charts. */
export const REQUEST_OUTCOME_NAMES: Record<RequestOutcome, string> = {
  completed: 'completed',
  reset: 'dropped mid-request',
  refused: 'refused',
  'timed-out': 'timed out',
  'cut-at-end': 'cut at end',
};
