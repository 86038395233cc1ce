// Reads a saved run (params.json and each strategy's trace) so it can be re-analysed without running it.

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DOCTOR_RESULTS_FILE, type DoctorResult } from '../clinic/doctor-results.js';
import { StarveError } from '../errors.js';
import type { TraceEvent } from '../trace/events.js';
import { parseTrace } from '../trace/parse-trace.js';
import { PARAMS_FILE, TRACE_FILE, type RunParams } from '../trace/run-params.js';

export interface SavedRun {
  runDir: string;
  params: RunParams;
  traces: Map<string, TraceEvent[]>;
  /** Clinic.js Doctor's results per strategy, for runs made with --clinic doctor. */
  doctor: Map<string, DoctorResult[]>;
  /** `file:line: problem` for every unreadable trace line. */
  problems: string[];
}

export function readRunParams(runDir: string): RunParams {
  const file = join(runDir, PARAMS_FILE);
  if (!existsSync(file)) {
    throw new StarveError('BAD_TRACE', `${resolve(runDir)} is not a run directory (no ${PARAMS_FILE}).`, {
      hint: 'Give a directory that `starve-lab run` printed, e.g. reports/cpu-burst/<timestamp>.',
    });
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RunParams;
  } catch (error) {
    throw new StarveError('BAD_TRACE', `${file} is not valid JSON: ${(error as Error).message}`);
  }
}

export function readRun(runDir: string): SavedRun {
  const params = readRunParams(runDir);
  const traces = new Map<string, TraceEvent[]>();
  const doctor = new Map<string, DoctorResult[]>();
  const problems: string[] = [];
  for (const strategy of params.scenario.strategies) {
    const doctorFile = join(runDir, strategy, DOCTOR_RESULTS_FILE);
    if (existsSync(doctorFile)) doctor.set(strategy, JSON.parse(readFileSync(doctorFile, 'utf8')) as DoctorResult[]);
    const file = join(runDir, strategy, TRACE_FILE);
    if (!existsSync(file)) {
      problems.push(`${file}: missing`);
      traces.set(strategy, []);
      continue;
    }
    const parsed = parseTrace(readFileSync(file, 'utf8'));
    traces.set(strategy, parsed.events);
    problems.push(...parsed.problems.map((p) => `${file}:${p.line}: ${p.message}`));
  }
  return { runDir: resolve(runDir), params, traces, doctor, problems };
}
