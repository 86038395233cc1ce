// A real-stack reference (pure): the real runs of a calibration grid, measured once on a quiet machine
// with the versions they name, kept in the repository in what `calibrate` compares and no more (each
// case's scenario and its report without the per-tick and per-request series), so the model can be
// checked against the real stack on any machine, in CI, without the real stack or its hour of runs.

import { z } from 'zod';
import { reportSchema, type Report, type StrategyReport } from '../report/report-schema.js';

export const REFERENCE_VERSION = 1;

export const referenceSchema = z.object({
  schemaVersion: z.literal(REFERENCE_VERSION),
  /** The grid it was measured for. */
  grid: z.string(),
  measuredAt: z.string(),
  /** How it was measured: the machine, one run at a time, how quiet. */
  how: z.string(),
  cases: z.array(
    z.object({
      name: z.string(),
      /** The case's scenario in its file's shape: a saved run stands in only for the same parameters. */
      scenario: z.record(z.string(), z.unknown()),
      report: reportSchema,
    }),
  ),
});

export type Reference = z.infer<typeof referenceSchema>;
export type ReferenceCase = Reference['cases'][number];

/**
 * What calibration reads of a strategy, and nothing else: the figures, the kill times, and of the
 * timeline only the resets and the exits (compare-reports.ts splits resets by kill with them).
 */
function compactStrategy(strategy: StrategyReport): StrategyReport {
  return {
    ...strategy,
    heartbeatGapsMs: [],
    findings: [],
    doctor: [],
    stacksAtKill: [],
    stacksUnavailable: [],
    timeline: {
      heartbeatAge: [],
      tickIntervals: [],
      loopDelay: [],
      requests: strategy.timeline.requests.filter(([, outcome]) => outcome === 'reset'),
      markers: strategy.timeline.markers.filter((marker) => marker.kind === 'exit'),
    },
  };
}

export function compactReport(report: Report): Report {
  return { ...report, strategies: report.strategies.map(compactStrategy), traceProblems: [] };
}

/** `measuredAt`: when the first of its real runs started (they may have been re-read from an earlier calibration). */
export function buildReference(grid: string, how: string, cases: ReadonlyArray<{ name: string; scenario: Record<string, unknown>; report: Report }>): Reference {
  const measuredAt = cases.map((c) => c.report.params.startedAt).sort()[0] ?? '';
  return { schemaVersion: REFERENCE_VERSION, grid, measuredAt, how, cases: cases.map((c) => ({ name: c.name, scenario: c.scenario, report: compactReport(c.report) })) };
}

export function encodeReference(reference: Reference): string {
  return `${JSON.stringify(reference, null, 1)}\n`;
}

/** Decodes a parsed reference file, or says what is wrong with it in one line. */
export function decodeReference(value: unknown): { ok: true; value: Reference } | { ok: false; problem: string } {
  const decoded = referenceSchema.safeParse(value);
  if (decoded.success) return { ok: true, value: decoded.data };
  const issue = decoded.error.issues[0];
  return { ok: false, problem: issue === undefined ? 'it does not match' : `${issue.path.join('.') || '(top)'}: ${issue.message}` };
}
