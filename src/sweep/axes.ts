// The parameters a sweep can vary, and `--vary name=from..to` / `name=a,b,c` parsed into the values of
// one axis (pure). Durations are log-spaced (a boundary in handler time sits at a ratio, not a
// difference); counts take every whole number while there are few, log-spaced ones after that.

import { StarveError } from '../errors.js';
import { MAX_FAILURE_THRESHOLD, PROBE_MINIMUM_MS } from '../probes/types.js';
import { supervisorName, type SupervisorKind, type SupervisorSpec } from '../scenario/supervisor.js';
import { LIMITS } from '../scenario/limits.js';

/** Milliseconds, a whole count, or requests per second. */
export type AxisUnit = 'ms' | 'count' | 'rate';

export interface SweepParam {
  /** What `--vary` names it. */
  name: string;
  unit: AxisUnit;
  /** What it changes, for the help text and the envelope's legend. */
  meaning: string;
  min: number;
  max: number;
  /** Only under this supervisor: gunicorn's --timeout means nothing to the kubelet, a probe nothing to gunicorn. */
  only?: SupervisorKind;
}

export const SWEEP_PARAMS: readonly SweepParam[] = [
  { name: 'clients', unit: 'count', meaning: 'concurrent closed-loop clients (load.clients)', min: 1, max: LIMITS.clients },
  { name: 'cpu', unit: 'ms', meaning: "the CPU-bound handlers' mean time; each cpu route keeps its spread (1-2 s is cpu=1.5s)", min: 1, max: LIMITS.routeMs },
  { name: 'think', unit: 'ms', meaning: "each client's pause between a response and its next request (load.thinkMs)", min: 0, max: LIMITS.thinkMs },
  { name: 'timeout', unit: 'ms', meaning: "gunicorn's --timeout (timeoutMs)", min: 1000, max: LIMITS.timeoutMs, only: 'gunicorn' },
  { name: 'workers', unit: 'count', meaning: "gunicorn's -w (workers)", min: 1, max: LIMITS.workers },
  { name: 'duration', unit: 'ms', meaning: 'how long the load runs (durationMs)', min: 1000, max: LIMITS.durationMs },
  // An open load: arrivals at this rate whatever the server does; the scenario's clients become its most connections.
  { name: 'arrivals', unit: 'rate', meaning: "an open load's mean arrival rate in requests/s (load.arrivalsPerS; no think time)", min: 0.01, max: LIMITS.arrivalsPerS },
  // The kubelet's knobs (docs/semantics.md §7): the fixes people reach for are a longer timeout or more failures.
  { name: 'probe-timeout', unit: 'ms', meaning: "the liveness probe's timeoutSeconds (probe.timeoutMs)", min: PROBE_MINIMUM_MS, max: LIMITS.durationMs, only: 'kubelet' },
  { name: 'probe-period', unit: 'ms', meaning: "the liveness probe's periodSeconds (probe.periodMs)", min: PROBE_MINIMUM_MS, max: LIMITS.durationMs, only: 'kubelet' },
  { name: 'failure-threshold', unit: 'count', meaning: "the liveness probe's failureThreshold (probe.failureThreshold)", min: 1, max: MAX_FAILURE_THRESHOLD, only: 'kubelet' },
  // uvicorn's process manager's one knob (--timeout-worker-healthcheck, uvicorn >= 0.37).
  { name: 'healthcheck-timeout', unit: 'ms', meaning: "uvicorn's --timeout-worker-healthcheck (timeoutMs)", min: 1000, max: LIMITS.timeoutMs, only: 'uvicorn' },
];

export const SWEEP_PARAM_NAMES = ['clients', 'cpu', 'think', 'timeout', 'workers', 'duration', 'arrivals', 'probe-timeout', 'probe-period', 'failure-threshold', 'healthcheck-timeout'] as const;
export type SweepParamName = (typeof SWEEP_PARAM_NAMES)[number];

export interface Axis {
  param: SweepParamName;
  unit: AxisUnit;
  /** Ascending, distinct. */
  values: number[];
}

/** Steps of a range when --steps is not given. */
export const DEFAULT_STEPS = 6;
/** At most this many values on one axis (and cells in a sweep), so a typo cannot ask for days of runs. */
export const MAX_AXIS_VALUES = 40;
export const MAX_CELLS = 2000;
/** The most runs a sweep may come to: cells × strategies × the most runs a cell may get (`--max-repeat`). */
export const MAX_SWEEP_RUNS = 20_000;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

function findParam(name: string): SweepParam {
  const param = SWEEP_PARAMS.find((p) => p.name === name);
  if (param === undefined) {
    throw new StarveError('BAD_ARGUMENT', `--vary ${name}: no such parameter.`, { hint: `A sweep can vary ${SWEEP_PARAMS.map((p) => p.name).join(', ')}.` });
  }
  return param;
}

function parseValue(param: SweepParam, raw: string, spec: string): number {
  const text = raw.trim();
  let value: number;
  if (param.unit === 'count') {
    if (!/^\d+$/.test(text)) throw new StarveError('BAD_ARGUMENT', `--vary ${spec}: \`${text}\` is not a whole number (${param.name} is a count).`);
    value = Number(text);
  } else if (param.unit === 'rate') {
    const match = /^(\d+(?:\.\d+)?)(\/s)?$/.exec(text);
    if (match === null) throw new StarveError('BAD_ARGUMENT', `--vary ${spec}: \`${text}\` is not a rate like 0.5 or 2/s (requests per second).`);
    value = Number(match[1]);
  } else {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text);
    if (match === null) throw new StarveError('BAD_ARGUMENT', `--vary ${spec}: \`${text}\` is not a duration like 250ms, 1.5s or 2m.`, { hint: 'A bare number is seconds, as in --timeout.' });
    value = Math.round(Number(match[1]) * (UNITS[match[2] ?? 's'] ?? 1000));
  }
  if (value < param.min || value > param.max) {
    throw new StarveError('BAD_ARGUMENT', `--vary ${spec}: ${param.name} must be from ${formatAxisValue(param.unit, param.min)} to ${formatAxisValue(param.unit, param.max)}, got ${formatAxisValue(param.unit, value)}.`);
  }
  return value;
}

/** Two significant figures: 409 → 410, 1796 → 1800 (a log scale needs no more). */
function roundNicely(value: number): number {
  if (value <= 0) return 0;
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(value)) - 1);
  return Math.round(value / magnitude) * magnitude;
}

/** `steps` rates from `from` to `to` (both included), log-spaced, two significant figures (0.2, 0.45, 1, 2.2). */
export function rateValues(from: number, to: number, steps: number): number[] {
  if (steps <= 1) return [from];
  const values = Array.from({ length: steps }, (_, i) => (i === 0 ? from : i === steps - 1 ? to : Number((from * (to / from) ** (i / (steps - 1))).toPrecision(2))));
  return [...new Set(values)].sort((a, b) => a - b);
}

/** `steps` values from `from` to `to` (both included), evenly spaced on a log scale; 0 is kept as the first. */
export function logSpaced(from: number, to: number, steps: number): number[] {
  if (steps <= 1 || from === to) return [from];
  const low = Math.max(from, 1);
  const values = Array.from({ length: steps }, (_, i) => {
    if (i === 0) return from;
    if (i === steps - 1) return to;
    return roundNicely(low * (to / low) ** (i / (steps - 1)));
  });
  return [...new Set(values)].sort((a, b) => a - b);
}

/** Whole numbers from `from` to `to`: all of them while there are at most `steps`, log-spaced after that. */
export function countValues(from: number, to: number, steps: number): number[] {
  if (to - from + 1 <= steps) return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const values = Array.from({ length: steps }, (_, i) => Math.round(Math.max(from, 1) * (to / Math.max(from, 1)) ** (i / (steps - 1))));
  return [...new Set([from, ...values, to])].sort((a, b) => a - b);
}

/** One `--vary` argument: `clients=1..6`, `cpu=250ms..3s`, `think=0,500ms,1s`. */
export function parseAxis(spec: string, steps: number = DEFAULT_STEPS): Axis {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new StarveError('BAD_ARGUMENT', `--vary ${spec}: expected name=from..to or name=a,b,c (e.g. --vary clients=1..6 --vary cpu=250ms..3s).`);
  const param = findParam(spec.slice(0, eq).trim());
  const body = spec.slice(eq + 1).trim();
  let values: number[];
  const range = /^(.+?)\.\.(.+)$/.exec(body);
  if (range !== null) {
    const from = parseValue(param, range[1] as string, spec);
    const to = parseValue(param, range[2] as string, spec);
    if (to <= from) throw new StarveError('BAD_ARGUMENT', `--vary ${spec}: the range must go up (from < to).`);
    values = param.unit === 'ms' ? logSpaced(from, to, steps) : param.unit === 'rate' ? rateValues(from, to, steps) : countValues(from, to, steps);
  } else {
    const items = body.split(',').filter((item) => item.trim() !== '');
    if (items.length === 0) throw new StarveError('BAD_ARGUMENT', `--vary ${spec}: no values given.`);
    values = [...new Set(items.map((item) => parseValue(param, item, spec)))].sort((a, b) => a - b);
  }
  if (values.length > MAX_AXIS_VALUES) throw new StarveError('BAD_ARGUMENT', `--vary ${spec}: ${values.length} values; at most ${MAX_AXIS_VALUES} per axis.`);
  return { param: param.name as SweepParamName, unit: param.unit, values };
}

/** Every --vary at once; a parameter named twice is refused. */
export function parseAxes(specs: readonly string[], steps: number = DEFAULT_STEPS): Axis[] {
  if (specs.length === 0) throw new StarveError('BAD_ARGUMENT', 'A sweep needs at least one --vary.', { hint: 'e.g. starve-lab sweep cpu-burst --vary clients=1..6 --vary cpu=250ms..3s' });
  const axes = specs.map((spec) => parseAxis(spec, steps));
  const seen = new Set<string>();
  for (const axis of axes) {
    if (seen.has(axis.param)) throw new StarveError('BAD_ARGUMENT', `--vary ${axis.param} is given twice; put all its values in one --vary.`);
    seen.add(axis.param);
  }
  const cells = axes.reduce((product, axis) => product * axis.values.length, 1);
  if (cells > MAX_CELLS) throw new StarveError('BAD_ARGUMENT', `The sweep has ${cells} cells; at most ${MAX_CELLS}.`, { hint: 'Use fewer --steps, or split it into several sweeps.' });
  return axes;
}

/** A knob of the other supervisor is refused: gunicorn's timeout under the kubelet, a probe's under gunicorn. */
export function checkAxesSupervisor(axes: readonly Axis[], scenarioName: string, spec: SupervisorSpec): void {
  const supervisor = spec.kind;
  const master = supervisorName(spec);
  const foreign = axes.map((axis) => findParam(axis.param)).find((param) => param.only !== undefined && param.only !== supervisor);
  if (foreign === undefined) return;
  const names = (params: readonly SweepParam[]): string => params.map((p) => p.name).join(', ');
  const own = names(SWEEP_PARAMS.filter((p) => p.only === supervisor));
  const shared = names(SWEEP_PARAMS.filter((p) => p.only === undefined));
  const owners: Record<SupervisorKind, string> = { gunicorn: 'gunicorn', kubelet: 'the kubelet', uvicorn: "uvicorn's process manager" };
  const holders: Record<SupervisorKind, string> = { gunicorn: 'gunicorn', kubelet: 'a "master": "kubelet" scenario', uvicorn: 'a "master": "uvicorn" scenario' };
  throw new StarveError('BAD_ARGUMENT', `--vary ${foreign.name}: ${scenarioName} runs under ${master}, and ${foreign.name} is ${foreign.meaning}, which only ${foreign.only === undefined ? 'gunicorn' : holders[foreign.only]} has.`, {
    hint: `Under ${owners[supervisor]} vary ${own === '' ? shared : `${own}, or ${shared}`}.`,
  });
}

/** 250ms, 1.5s, 2m for durations; the number for counts; 0.5/s for rates. */
export function formatAxisValue(unit: AxisUnit, value: number): string {
  if (unit === 'count') return String(value);
  if (unit === 'rate') return `${value}/s`;
  if (value < 1000) return `${value}ms`;
  if (value % 60_000 === 0) return `${value / 60_000}m`;
  return `${Number((value / 1000).toFixed(2))}s`;
}
