// The options of runScenario, checked once before anything starts (the CLI's flags map onto them).

import { availableParallelism } from 'node:os';
import { StarveError } from '../errors.js';
import { isOccupied } from '../io/create-run-dir.js';
import type { ScenarioOverrides } from '../scenario/apply-overrides.js';
import type { RunEventListener } from './run-events.js';

export interface RunScenarioOptions {
  /** Multiplies every duration of the run (compressed time); 1 is real timing. */
  timeScale?: number;
  /** Where run directories go (outDir/<scenario>/<timestamp>/); default ./reports. */
  outDir?: string;
  /** Write the run into exactly this directory instead (made if missing; a sweep's cells use it). */
  runDir?: string;
  /** Run N times (seed + i each) and aggregate kill rates: a series directory. */
  repeat?: number;
  /** With repeat: runs at a time. */
  parallel?: number;
  /** Capture each killed worker's stack before SIGABRT. */
  stacks?: boolean;
  /**
   * true: one strategy at a time; false: side by side. Default: side by side only where every busy
   * worker gets a core of its own with one to spare (pipeline/strategy-layout.ts), else one at a time.
   */
  sequential?: boolean;
  /** A strategy the host distorted runs again alone, once (default true; a sweep has its own way: fewer runs at a time). */
  rerunContended?: boolean;
  /** `model` (default): starve-lab's Node re-creation; `real`: real gunicorn + uvicorn (Python). */
  stack?: 'model' | 'real';
  /** Your own app: a Node server file (`./server.mjs`, the model's supervisors run it under the agent), or with stack `real` an ASGI app, `module:attribute` as gunicorn takes it; its paths are `http` routes. */
  app?: string;
  /** With `app`: the directory your app is imported from (gunicorn's --pythonpath). */
  appDir?: string;
  /** Run the workers under Clinic.js Doctor (needs @clinic/doctor). */
  clinic?: 'doctor';
  /** Bind strategy i's master on 127.0.0.1:basePort+i; 0 (default) for free ports. */
  basePort?: number;
  /** Changes to the scenario's common fields, applied before validation. */
  overrides?: ScenarioOverrides;
  /** Aborting stops every process; the report is written from what was traced, marked interrupted. */
  signal?: AbortSignal;
  /** Progress, as typed events. */
  onEvent?: RunEventListener;
}

/** The ranges every caller (API or CLI) is held to. */
export const TIME_SCALE_RANGE = { min: 0.02, max: 10 } as const;
export const REPEAT_RANGE = { min: 1, max: 1000 } as const;
/**
 * Runs at a time: at most one per core of this machine (and never more than 64). More CPU-bound runs
 * than cores only distort each other, and the contention check would throw them away.
 */
export function parallelRange(): { min: number; max: number } {
  return { min: 1, max: Math.min(64, availableParallelism()) };
}
export const PORT_RANGE = { min: 1, max: 65_535 } as const;

/** A number option within its range (and whole, if asked), or a BAD_ARGUMENT naming it. */
export function checkRange(name: string, value: number | undefined, range: { min: number; max: number }, whole: boolean): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value < range.min || value > range.max || (whole && !Number.isInteger(value))) {
    throw new StarveError('BAD_ARGUMENT', `Expected \`${name}\` to be ${whole ? 'a whole number' : 'a number'} from ${range.min} to ${range.max}, got \`${String(value)}\`.`);
  }
}

export function checkRunOptions(options: RunScenarioOptions): void {
  checkRange('timeScale', options.timeScale, TIME_SCALE_RANGE, false);
  checkRange('repeat', options.repeat, REPEAT_RANGE, true);
  checkRange('parallel', options.parallel, parallelRange(), true);
  if (options.basePort !== 0) checkRange('basePort', options.basePort, PORT_RANGE, true);
  if (options.stack !== undefined && options.stack !== 'model' && options.stack !== 'real') throw new StarveError('BAD_ARGUMENT', `Expected \`stack\` to be \`model\` or \`real\`, got \`${String(options.stack)}\`.`);
  if (options.clinic !== undefined && options.clinic !== 'doctor') throw new StarveError('BAD_ARGUMENT', `Expected \`clinic\` to be \`doctor\`, got \`${String(options.clinic)}\`.`);
  // A run writes params.json, traces and reports into runDir: into one that holds files it would overwrite another run.
  if (options.runDir !== undefined && isOccupied(options.runDir)) {
    throw new StarveError('BAD_ARGUMENT', `\`runDir\` ${options.runDir} already exists and is not an empty directory (another run's files would be overwritten).`, { hint: 'Give a new or empty directory, or `outDir` to get a fresh run directory under it. Nothing was started.' });
  }
}
