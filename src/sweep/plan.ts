// What a sweep is (sweep.json, written before any run starts): the scenario, the axes, the strategies,
// the time scale and the repetition policy, and which cells this directory holds. Shards of one sweep
// share everything but `shard`, and so share the sweep id that `merge` checks. Decoded once here.

import { createHash } from 'node:crypto';
import { z } from 'zod';
import { describeIssues } from '../decode/describe-issues.js';
import type { Scenario } from '../scenario/types.js';
import { scenarioToFile } from '../scenario/scenario-file.js';
import { validateScenario } from '../scenario/validate-scenario.js';
import { recordedHandlers } from '../trace/run-params.js';
import { MAX_AXIS_VALUES, MAX_CELLS, MAX_SWEEP_RUNS, SWEEP_PARAM_NAMES, SWEEP_PARAMS } from './axes.js';
import type { Axis } from './axes.js';
import { shardFits, type Shard } from './shards.js';

export const SWEEP_PLAN_VERSION = 1;
/** The file that makes a directory a sweep directory. */
export const SWEEP_PLAN_FILE = 'sweep.json';

/** How many runs each cell and strategy gets: `base` always, `near` close to a boundary, up to `max` where outcomes are mixed. */
export interface RepeatPolicy {
  base: number;
  near: number;
  max: number;
}

export interface SweepPlan {
  schemaVersion: number;
  /** The same for every shard of one sweep: a hash of everything that decides its runs. */
  sweepId: string;
  /** The base scenario, overrides applied and validated: each cell changes only its axes' fields. */
  scenario: Scenario;
  scenarioFile: string;
  /** A scenario script's module (its handlers), or null. */
  module: string | null;
  axes: Axis[];
  strategies: string[];
  timeScale: number;
  stack: 'model' | 'real';
  app: string | null;
  appDir: string | null;
  repeat: RepeatPolicy;
  /** Cells in the whole sweep; this directory holds those of `shard` (all when null). */
  cellCount: number;
  shard: Shard | null;
  /** A merged directory: the shards it was made from. */
  mergedFrom: Shard[];
  /** Cells run at a time, as asked (the sweep may lower it when it finds the host contended). */
  parallel: number;
  createdAt: string;
}

const axisSchema = z.object({ param: z.enum(SWEEP_PARAM_NAMES), unit: z.enum(['ms', 'count', 'rate']), values: z.array(z.number()).min(1) });
const shardSchema = z.object({ index: z.number().int().positive(), count: z.number().int().positive() });

const planSchema = z.object({
  schemaVersion: z.literal(SWEEP_PLAN_VERSION),
  sweepId: z.string().min(1),
  // The scenario was validated when the sweep was planned; runs re-validate each cell's.
  scenario: z.record(z.string(), z.unknown()),
  scenarioFile: z.string(),
  module: z.string().nullable(),
  axes: z.array(axisSchema).min(1),
  strategies: z.array(z.string()).min(1),
  timeScale: z.number().positive(),
  stack: z.enum(['model', 'real']),
  app: z.string().nullable(),
  appDir: z.string().nullable(),
  repeat: z.object({ base: z.number().int().positive(), near: z.number().int().positive(), max: z.number().int().positive() }),
  cellCount: z.number().int().positive(),
  shard: shardSchema.nullable(),
  mergedFrom: z.array(shardSchema),
  parallel: z.number().int().positive(),
  createdAt: z.string(),
});

/** sweep.json's text: the scenario in its file's shape, as decodeSweepPlan reads it back. */
export function encodeSweepPlan(plan: SweepPlan): string {
  return `${JSON.stringify({ ...plan, scenario: scenarioToFile(plan.scenario) }, null, 2)}\n`;
}

/** Decodes a parsed sweep.json; its scenario goes through the same validator as a scenario file. */
export function decodeSweepPlan(value: unknown): { ok: true; value: SweepPlan } | { ok: false; problem: string } {
  const decoded = planSchema.safeParse(value);
  if (!decoded.success) return { ok: false, problem: describeIssues(decoded.error, value) };
  const scenario = validateScenario(decoded.data.scenario, decoded.data.module === null ? null : recordedHandlers(decoded.data.scenario));
  if (!scenario.ok) {
    const first = scenario.problems[0];
    return { ok: false, problem: first === undefined ? 'invalid scenario' : `field "scenario${first.path.slice(1)}": expected ${first.expected}, found ${first.found}` };
  }
  const plan: SweepPlan = { ...decoded.data, scenario: scenario.scenario };
  const problem = planProblem(plan);
  return problem === null ? { ok: true, value: plan } : { ok: false, problem };
}

/**
 * What in a decoded sweep.json does not hold together, or null: every bound the planner enforces
 * (axes, cells, runs), strategies the scenario runs (their names become directory names), shards that
 * exist, and an id that matches the content (a file changed by hand, or another sweep's, is refused
 * instead of trusted: `report` and `--resume` rename and rewrite directories from it).
 */
function planProblem(plan: SweepPlan): string | null {
  const params = new Set<string>();
  for (const axis of plan.axes) {
    const param = SWEEP_PARAMS.find((p) => p.name === axis.param);
    if (param === undefined || params.has(axis.param)) return `field "axes": ${axis.param} appears twice`;
    params.add(axis.param);
    if (axis.unit !== param.unit) return `field "axes": ${axis.param} is in ${param.unit}, found ${axis.unit}`;
    if (axis.values.length > MAX_AXIS_VALUES) return `field "axes": ${axis.param} has ${axis.values.length} values, at most ${MAX_AXIS_VALUES}`;
    const ascending = axis.values.every((value, i) => i === 0 || value > (axis.values[i - 1] as number));
    if (!ascending || axis.values.some((value) => !Number.isFinite(value) || value < param.min || value > param.max)) {
      return `field "axes": ${axis.param}'s values must ascend from ${param.min} to at most ${param.max}`;
    }
  }
  const cells = plan.axes.reduce((product, axis) => product * axis.values.length, 1);
  if (cells > MAX_CELLS) return `field "axes": ${cells} cells, at most ${MAX_CELLS}`;
  if (cells !== plan.cellCount) return `field "cellCount": the axes make ${cells} cells, found ${plan.cellCount}`;
  const unknown = plan.strategies.find((strategy) => !plan.scenario.strategies.includes(strategy));
  if (unknown !== undefined) return `field "strategies": ${JSON.stringify(unknown)} is not one of the scenario's strategies (${plan.scenario.strategies.join(', ')})`;
  const { base, near, max } = plan.repeat;
  if (base > max || near > max) return 'field "repeat": base and near at most max';
  const runs = cells * plan.strategies.length * max;
  if (runs > MAX_SWEEP_RUNS) return `field "repeat": the sweep could come to ${runs} runs, at most ${MAX_SWEEP_RUNS}`;
  for (const shard of [...(plan.shard === null ? [] : [plan.shard]), ...plan.mergedFrom]) {
    if (!shardFits(shard, cells)) return `field "shard": ${shard.index}/${shard.count} is not a shard of ${cells} cells`;
  }
  if (plan.sweepId !== sweepIdOf(plan)) return 'field "sweepId": it does not match the sweep\'s content (sweep.json was changed, or comes from another sweep or version)';
  return null;
}

/** JSON with sorted keys, so the same content always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

type IdentityFields = Pick<SweepPlan, 'scenario' | 'axes' | 'strategies' | 'timeScale' | 'stack' | 'app' | 'appDir' | 'repeat'>;

/** The sweep's id: what decides its cells and runs (not the shard, the parallelism or the date). */
export function sweepIdOf(fields: IdentityFields): string {
  const { scenario, axes, strategies, timeScale, stack, app, appDir, repeat } = fields;
  return createHash('sha256').update(canonical({ scenario: scenarioToFile(scenario), axes, strategies, timeScale, stack, app, appDir, repeat })).digest('hex').slice(0, 12);
}
