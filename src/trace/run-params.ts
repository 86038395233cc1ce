// params.json, the other half of the contract: what a run was asked to do, written before it starts.

import type { LabTiming } from '../scenario/scale-time.js';
import type { Scenario } from '../scenario/types.js';

export const PARAMS_FILE = 'params.json';
/** Each strategy's directory holds its trace (every process appends to it) and its master's log. */
export const TRACE_FILE = 'trace.jsonl';
export const MASTER_LOG_FILE = 'master.log';
/** A --repeat series directory holds run-NNN run directories and these summaries. */
export const SERIES_FILE = 'series.json';
export const SERIES_MARKDOWN_FILE = 'series.md';

export interface RunParams {
  traceVersion: number;
  scenario: Scenario;
  /** The scenario file the run came from. */
  scenarioFile: string;
  timeScale: number;
  /** Every duration the processes used, already scaled (real ms). */
  timing: LabTiming;
  startedAt: string;
  /** Set when the run ended; missing if the CLI itself died. */
  finishedAt: string | null;
  interrupted: boolean;
  versions: { node: string; starveLab: string };
}
