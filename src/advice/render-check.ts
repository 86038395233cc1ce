// What `check` prints and writes (pure): the verdict at the stated load, the killer's arithmetic against
// the stalls measured, each change tried with the outcome the lab gave it and its cost, and the
// recommendation. Terminal (coloured as the stream allows), Markdown and JSON; the wording is here.

import { Chalk } from 'chalk';
import { escapeMarkdown as md, printable } from '../report/escape.js';
import { formatDuration as d } from '../report/format.js';
import type { Renderer } from '../report/render-context.js';
import { renderAsJson } from '../report/render-json.js';
import type { CandidateOutcome, CheckResult, CheckVerdict, HeadroomStep } from './check-result.js';
import type { Tolerance } from './tolerance.js';

const KILLER = { gunicorn: "gunicorn's master", kubelet: "the kubelet's liveness probe", uvicorn: "uvicorn's process manager" } as const;

const VERDICT: Record<CheckVerdict, string> = {
  safe: 'SAFE: not killed, and no stall came near what the killer tolerates',
  'at-risk': 'AT RISK: not killed in this run, but a stall passed what is safe whatever its phase; another run can be killed',
  killed: 'KILLED at the stated load',
  inconclusive: 'INCONCLUSIVE: the run was distorted by the machine or did not finish; run check again on a quieter machine',
};

/** The arithmetic in one or two sentences. */
export function describeTolerance(t: Tolerance): string[] {
  if (t.safeUpToMs === null || t.killsFromMs === null) return [`no stall of the loop can get it killed${t.hangNoticedAfterMs === null ? ', and a hung loop is never noticed' : ''}`];
  const what = t.stallKind === 'mean tick' ? 'a mean tick' : t.stallKind === 'GIL hold' ? 'a call that keeps the GIL' : 'a loop stall (one handler, or a batch run between two ticks)';
  const lines = t.safeUpToMs >= t.killsFromMs ? [`${what} longer than ${d(t.killsFromMs)} kills it`] : [`${what} up to ${d(t.safeUpToMs)} never gets it killed; past ${d(t.killsFromMs)} it is killed whatever its phase; between the two the phase decides`];
  if (t.stallKind === 'GIL hold') lines.push('stalls in pure Python do not count: a thread answers while the loop is busy');
  lines.push(t.hangNoticedAfterMs === null ? 'a hung loop is never noticed' : `a worker whose loop hangs for good is killed ${d(t.hangNoticedAfterMs)} after it stops (what every larger limit below pays)`);
  return lines;
}

function measuredLine(result: CheckResult): string {
  const m = result.measured;
  const parts = [`longest loop stall ${d(m.longestStallMs)} (p99 ${d(m.p99StallMs)})`];
  if (m.longestHeartbeatGapMs !== null && result.killer === 'gunicorn') parts.push(`longest heartbeat gap ${d(m.longestHeartbeatGapMs)}`);
  if (m.slowestProbeMs !== null) parts.push(`slowest probe ${d(m.slowestProbeMs)}, ${m.longestFailureStreak ?? 0} failure${m.longestFailureStreak === 1 ? '' : 's'} in a row`);
  if (m.kills > 0) parts.push(`${m.kills} kill${m.kills === 1 ? '' : 's'}, the first at ${d(m.firstKillMs)}`);
  return parts.join('; ');
}

function costOf(c: CandidateOutcome, before: number | null): string {
  if (c.hangNoticedAfterMs === null) return before === null ? 'a hung loop is still never noticed' : 'a hung loop is never noticed any more';
  if (before === null || c.hangNoticedAfterMs === before) return `a hung worker still killed after ${d(c.hangNoticedAfterMs)}`;
  return `a hung worker killed after ${d(c.hangNoticedAfterMs)} (was ${d(before)})`;
}

function loadAt(step: HeadroomStep): string {
  return step.arrivalsPerS === null ? `${step.clients} client${step.clients === 1 ? '' : 's'}` : `${Number(step.arrivalsPerS.toFixed(2))} requests/s`;
}

/** --headroom in one sentence: how far the load grew before a kill, or that it never came. */
export function headroomLine(result: CheckResult): string | null {
  const steps = result.headroom;
  if (steps === null || result.verdict !== 'safe') return null;
  if (steps.length === 0) return 'Headroom: no larger load was run (it would pass what the lab takes).';
  const last = steps[steps.length - 1] as HeadroomStep;
  // The runs stop at the first not survived: every step before the last survived.
  const survivedUpTo = steps.length > 1 ? steps[steps.length - 2] : undefined;
  if (last.survived) return `Headroom: survived at ${loadAt(last)}, ${last.factor}× the stated load${result.interrupted ? ' (interrupted there)' : ''}.`;
  const outcome = last.outcome === 'killed' ? 'killed' : last.outcome === 'inconclusive' ? 'untrusted (the machine distorted the run)' : last.outcome;
  return `Headroom: ${outcome} at ${loadAt(last)}, ${last.factor}× the stated load${survivedUpTo === undefined ? '' : `; survived at ${loadAt(survivedUpTo)}`}.`;
}

function header(result: CheckResult): string {
  return `starve-lab check ${result.scenario}: ${result.strategy} under ${KILLER[result.killer]}, ${result.clients} client${result.clients === 1 ? '' : 's'} (${result.stack === 'real' ? 'the real stack' : 'the model'}, time scale ${result.timeScale})`;
}

function recommendationLine(result: CheckResult): string {
  if (result.verdict === 'safe') return 'Nothing to change at this load.';
  if (result.verdict === 'inconclusive') return 'No change was tried: the deployment\'s own run was not trustworthy.';
  const chosen = result.candidates.find((c) => c.kind === result.recommendation);
  if (chosen === undefined) return result.candidates.length === 0 ? 'No change to try for this killer.' : 'None of the changes tried survived: take load off each worker, or move the work off the loop in smaller pieces.';
  return `Recommended: ${chosen.change}. It survived in the lab, and ${costOf(chosen, result.tolerance.hangNoticedAfterMs)}.`;
}

const renderTerminal: Renderer<CheckResult> = (result, { colorLevel }) => {
  const c = new Chalk({ level: colorLevel });
  const verdictColour = result.verdict === 'safe' ? c.green : result.verdict === 'killed' ? c.red : c.yellow;
  const lines = [printable(header(result)), '', `  ${verdictColour.bold(VERDICT[result.verdict])}`, '', `  What ${KILLER[result.killer]} tolerates:`];
  for (const line of describeTolerance(result.tolerance)) lines.push(`    ${line}`);
  lines.push(`  Measured: ${measuredLine(result)}`);
  if (result.candidates.length > 0) {
    lines.push('', '  Changes tried, each run by the lab:');
    for (const candidate of result.candidates) {
      const mark = candidate.survived ? c.green('✓ survived') : candidate.outcome === 'inconclusive' ? c.yellow('? untrusted') : c.red(`✗ ${candidate.outcome.padEnd(8)}`);
      const cost = candidate.outcome === 'inconclusive' ? 'the machine distorted this run (it was run again alone); not judged' : costOf(candidate, result.tolerance.hangNoticedAfterMs);
      lines.push(`    ${mark}  ${printable(candidate.change)}`, `                ${c.dim(cost)}`);
    }
  }
  lines.push('', `  ${c.bold(printable(recommendationLine(result)))}`);
  const headroom = headroomLine(result);
  if (headroom !== null) lines.push(`  ${printable(headroom)}`);
  if (result.interrupted) lines.push(`  ${c.yellow('Interrupted: the runs after the last one shown were not made.')}`);
  lines.push(`  Runs in ${printable(result.runDir)}`);
  return `${lines.join('\n')}\n`;
};

const renderMarkdown: Renderer<CheckResult> = (result) => {
  const lines = [`# ${md(header(result))}`, '', `**${VERDICT[result.verdict]}**`, '', `## What ${KILLER[result.killer]} tolerates`, '', ...describeTolerance(result.tolerance).map((line) => `- ${md(line)}`), '', `Measured: ${md(measuredLine(result))}`, ''];
  if (result.candidates.length > 0) {
    lines.push('## Changes tried, each run by the lab', '', '| change | outcome | cost |', '| --- | --- | --- |');
    for (const candidate of result.candidates) lines.push(`| ${md(candidate.change)} | ${candidate.survived ? '✓ survived' : candidate.outcome === 'inconclusive' ? '? untrusted (the machine distorted it)' : `✗ ${candidate.outcome}`} | ${md(costOf(candidate, result.tolerance.hangNoticedAfterMs))} |`);
    lines.push('');
  }
  lines.push(`**${md(recommendationLine(result))}**`, '');
  const headroom = headroomLine(result);
  if (headroom !== null) lines.push(md(headroom), '');
  if (result.interrupted) lines.push('_Interrupted: the runs after the last one shown were not made._', '');
  return `${lines.join('\n')}\n`;
};

export const CHECK_RENDERERS: Readonly<Record<'terminal' | 'markdown' | 'json', Renderer<CheckResult>>> = {
  terminal: renderTerminal,
  markdown: renderMarkdown,
  json: renderAsJson,
};

export const CHECK_FILES = { json: 'check.json', markdown: 'check.md' } as const satisfies Partial<Record<keyof typeof CHECK_RENDERERS, string>>;
