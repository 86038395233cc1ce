// One run from start to report: params.json, the lab, then report.json, report.md and report.html.

import { join } from 'node:path';
import { DOCTOR_DATA_DIR, doctorWorkerEnv, finishDoctor } from '../clinic/clinic-doctor.js';
import { runLab } from '../lab/run-lab.js';
import type { Report } from '../report/build-report.js';
import { createRunDir } from '../run-dir/create-run-dir.js';
import { writeFileAtomic } from '../run-dir/write-file-atomic.js';
import { writeReports } from '../run-dir/write-reports.js';
import type { LabPlan } from '../scenario/scale-time.js';
import { TRACE_VERSION } from '../trace/events.js';
import { PARAMS_FILE, type RunParams } from '../trace/run-params.js';
import type { ProgressView } from './progress-view.js';
import { readOwnVersion } from './version.js';

export interface RunRequest {
  plan: LabPlan;
  scenarioFile: string;
  /** The run directory's parent, or an exact directory when `exactDir` is set. */
  outDir: string;
  exactDir?: boolean;
  basePort: number;
  captureStacks: boolean;
  /** Run the workers under Clinic.js Doctor (--clinic doctor). */
  clinicDoctor: boolean;
  signal: AbortSignal;
  view: ProgressView;
}

export interface RunResult {
  runDir: string;
  report: Report;
}

export async function executeRun(request: RunRequest): Promise<RunResult> {
  const { plan, view, signal } = request;
  const runDir = request.exactDir === true ? createRunDir(request.outDir, '', null) : createRunDir(request.outDir, plan.scenario.name, new Date());
  const params: RunParams = {
    traceVersion: TRACE_VERSION,
    scenario: plan.scenario,
    scenarioFile: request.scenarioFile,
    timeScale: plan.timeScale,
    timing: plan.timing,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    interrupted: false,
    versions: { node: process.version, starveLab: readOwnVersion() },
  };
  writeFileAtomic(join(runDir, PARAMS_FILE), `${JSON.stringify(params, null, 2)}\n`);
  view.start(runDir);
  try {
    const workerEnv = request.clinicDoctor ? (strategyDir: string) => doctorWorkerEnv(join(strategyDir, DOCTOR_DATA_DIR)) : undefined;
    await runLab(plan, { runDir, basePort: request.basePort, captureStacks: request.captureStacks, ...(workerEnv === undefined ? {} : { workerEnv }), signal, observer: view.observer });
  } finally {
    view.stop();
  }
  if (request.clinicDoctor) {
    view.note('  Clinic.js Doctor: analysing each worker\'s data…');
    for (const strategy of plan.scenario.strategies) await finishDoctor(runDir, join(runDir, strategy));
  }
  const finished: RunParams = { ...params, finishedAt: new Date().toISOString(), interrupted: signal.aborted };
  writeFileAtomic(join(runDir, PARAMS_FILE), `${JSON.stringify(finished, null, 2)}\n`);
  return { runDir, report: writeReports(runDir) };
}
