// Reads a saved run (params.json, each strategy's trace, Doctor's results) through their decoders, so
// it can be re-analysed without running it.

import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describeIssues } from '../decode/describe-issues.js';
import { DOCTOR_RESULTS_FILE, doctorResultsSchema, type DoctorResult } from '../clinic/doctor-results.js';
import { StarveError } from '../errors.js';
import { decodeTrace } from '../trace/decode-trace.js';
import type { TraceEvent } from '../trace/events.js';
import { SWEEP_PLAN_FILE } from '../sweep/plan.js';
import { decodeRunParams, PARAMS_FILE, TRACE_FILE, type RunParams } from '../trace/run-params.js';
import { readJsonFile, readRunFile } from './read-json-file.js';

export interface SavedRun {
  runDir: string;
  params: RunParams;
  traces: Map<string, TraceEvent[]>;
  /** Clinic.js Doctor's results per strategy, for runs made with --clinic doctor. */
  doctor: Map<string, DoctorResult[]>;
  /** `file:line: problem` for every unreadable trace line, missing or empty trace. */
  problems: string[];
}

/** Throws BAD_TRACE unless `dir` is a directory holding params.json. */
export function checkRunDir(dir: string): void {
  const path = resolve(dir);
  if (!existsSync(path)) throw new StarveError('BAD_TRACE', `${path} does not exist.`, { hint: 'Give a directory that `starve-lab run` printed, e.g. reports/cpu-burst/<timestamp>.' });
  if (!statSync(path).isDirectory()) throw new StarveError('BAD_TRACE', `${path} is a file, not a run directory.`, { hint: 'Give the directory that holds params.json, not a file in it.' });
  if (!existsSync(join(path, PARAMS_FILE)) && existsSync(join(path, SWEEP_PLAN_FILE))) {
    throw new StarveError('BAD_TRACE', `${path} is a sweep directory, not a run directory.`, {
      hint: 'Report a sweep with `starve-lab report <sweep-dir>`; each of its runs is a run directory of its own, such as cells/c0000/<strategy>/run-001.',
    });
  }
  if (!existsSync(join(path, PARAMS_FILE))) {
    throw new StarveError('BAD_TRACE', `${path} is not a run directory (no ${PARAMS_FILE}).`, { hint: 'Give a directory that `starve-lab run` printed, e.g. reports/cpu-burst/<timestamp>.' });
  }
}

export function readRunParams(runDir: string): RunParams {
  checkRunDir(runDir);
  return readJsonFile(join(runDir, PARAMS_FILE), 'params.json', (value) => {
    const decoded = decodeRunParams(value);
    return decoded.ok ? { ok: true, value: decoded.params } : decoded;
  });
}

function readDoctor(file: string): DoctorResult[] {
  return readJsonFile(file, 'doctor.json', (value) => {
    const decoded = doctorResultsSchema.safeParse(value);
    return decoded.success ? { ok: true, value: decoded.data } : { ok: false, problem: describeIssues(decoded.error, value) };
  });
}

export function readRun(runDir: string): SavedRun {
  const params = readRunParams(runDir);
  const traces = new Map<string, TraceEvent[]>();
  const doctor = new Map<string, DoctorResult[]>();
  const problems: string[] = [];
  for (const strategy of params.scenario.strategies) {
    const doctorFile = join(runDir, strategy, DOCTOR_RESULTS_FILE);
    if (existsSync(doctorFile)) doctor.set(strategy, readDoctor(doctorFile));
    const file = join(runDir, strategy, TRACE_FILE);
    traces.set(strategy, []);
    if (!existsSync(file)) {
      problems.push(`${file}: the trace is missing`);
      continue;
    }
    const decoded = decodeTrace(readRunFile(file, 'trace'), params.timing.durationMs);
    if (decoded.lines === 0) problems.push(`${file}: the trace is empty (no process of this strategy recorded anything)`);
    traces.set(strategy, decoded.events);
    problems.push(...decoded.problems.map((p) => `${file}:${p.line}: ${p.message}`));
  }
  return { runDir: resolve(runDir), params, traces, doctor, problems };
}
