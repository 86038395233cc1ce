// params.json, the other half of the contract: what a run was asked to do, written before it starts
// and completed when it ends. `decodeRunParams` is its one decoder.

import { z } from 'zod';
import { describeIssues } from '../decode/describe-issues.js';
import type { LabTiming } from '../scenario/scale-time.js';
import type { Scenario } from '../scenario/types.js';
import { validateScenario } from '../scenario/validate-scenario.js';
import { scenarioToFile } from '../scenario/scenario-file.js';

export const PARAMS_FILE = 'params.json';
/** Each strategy's directory holds its trace (every process appends to it) and its master's log. */
export const TRACE_FILE = 'trace.jsonl';
export const MASTER_LOG_FILE = 'master.log';
/** What a run directory gets once the run ends (or `report` rebuilds it). */
export const REPORT_JSON_FILE = 'report.json';
export const REPORT_MARKDOWN_FILE = 'report.md';
export const REPORT_HTML_FILE = 'report.html';
/** A --repeat series directory holds run-NNN run directories, what was asked, and the summaries. */
export const SERIES_PARAMS_FILE = 'series-params.json';
export const SERIES_FILE = 'series.json';
export const SERIES_MARKDOWN_FILE = 'series.md';

/** Which stack a run exercised: starve-lab's Node re-creation (`model`), or real gunicorn + uvicorn (`real`). */
export const STACKS = ['model', 'real'] as const;
export type Stack = (typeof STACKS)[number];

const ms = z.number().finite().nonnegative();

const timingSchema = z.object({
  tickMs: ms,
  masterPeriodMs: ms,
  timeoutMs: ms,
  keepAliveMs: ms,
  /** Absent in runs made before the model had them (0: not modelled then). */
  spawnPauseMaxMs: ms.default(0),
  workerBootMs: ms.default(0),
  durationMs: ms,
  thinkMs: ms,
  /** Absent in runs made before they were planned here (0: the children derived them then). */
  pollGranularityMs: ms.default(0),
  secondMs: ms.default(0),
  plegRelistMs: ms.default(0),
  backoffInitialMs: ms.default(0),
  backoffMaxMs: ms.default(0),
  arrivalGapMs: ms.default(0),
  httpParseMs: ms.default(0),
  httpWriteMs: ms.default(0),
});

const runParamsShape = z.object({
  traceVersion: z.number().int().min(1),
  scenario: z.record(z.string(), z.unknown()),
  scenarioFile: z.string(),
  timeScale: z.number().positive(),
  timing: timingSchema,
  /** Absent in runs made before it existed: those ran the model. */
  stack: z.enum(STACKS).default('model'),
  /** The strategies ran one at a time, each on its own time origin (absent before it existed: together). */
  sequential: z.boolean().default(false),
  /** Strategies the host distorted, run again alone (their first attempt is under contended/). */
  rerunAlone: z.array(z.string()).default([]),
  startedAt: z.string(),
  /** Set when the run ended; null if the CLI itself died before it could say so. */
  finishedAt: z.string().nullable(),
  interrupted: z.boolean(),
  /** The real stack's versions as detected when the run started (absent for the model). */
  versions: z.object({ node: z.string(), starveLab: z.string(), python: z.string().optional(), gunicorn: z.string().optional(), uvicorn: z.string().optional(), uvloop: z.string().nullable().optional(), httptools: z.string().nullable().optional(), h11: z.string().nullable().optional(), pythonStack: z.string().optional() }),
});

export interface RunParams extends Omit<z.infer<typeof runParamsShape>, 'scenario' | 'timing'> {
  scenario: Scenario;
  /** Every duration the processes used, already scaled (real ms). */
  timing: LabTiming;
}

export type RunParamsDecoding = { ok: true; params: RunParams } | { ok: false; problem: string };

/** The handler names a saved scenario's routes name (the script itself is not read again). */
export function recordedHandlers(scenario: Record<string, unknown>): string[] {
  const load = scenario['load'];
  const routes: unknown = typeof load === 'object' && load !== null ? (load as Record<string, unknown>)['routes'] : undefined;
  if (!Array.isArray(routes)) return [];
  return routes.flatMap((route: unknown) => {
    const handler = typeof route === 'object' && route !== null ? (route as Record<string, unknown>)['handler'] : undefined;
    return typeof handler === 'string' ? [handler] : [];
  });
}

/** Decodes a parsed params.json; its scenario goes through the same validator as a scenario file. */
export function decodeRunParams(value: unknown): RunParamsDecoding {
  const decoded = runParamsShape.safeParse(value);
  if (!decoded.success) return { ok: false, problem: describeIssues(decoded.error, value) };
  // Script routes were checked against the script when the run started; trust the names it recorded.
  const scenario = validateScenario(decoded.data.scenario, recordedHandlers(decoded.data.scenario));
  if (!scenario.ok) {
    const first = scenario.problems[0];
    return { ok: false, problem: first === undefined ? 'invalid scenario' : `field "scenario${first.path.slice(1)}": expected ${first.expected}, found ${first.found}` };
  }
  return { ok: true, params: { ...decoded.data, scenario: scenario.scenario } };
}

/** params.json's text: the scenario in its file's shape, so decodeRunParams reads every version alike. */
export function encodeRunParams(params: RunParams): string {
  return `${JSON.stringify({ ...params, scenario: scenarioToFile(params.scenario) }, null, 2)}\n`;
}
