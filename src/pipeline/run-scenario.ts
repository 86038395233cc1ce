// The whole run as one library call: validate, plan, make the run directory, write params.json, run
// the lab, analyse, write report.json/md/html (and the series summary for repeats). `starve-lab run`
// is a thin caller of this.

import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { StarveError } from '../errors.js';
import { KUBELET_MASTER } from '../scenario/supervisor.js';
import { checkDoctorInstalled, DOCTOR_DATA_DIR, doctorWorkerEnv, finishDoctor } from '../clinic/clinic-doctor.js';
import { createRunDir } from '../io/create-run-dir.js';
import { loadScenario, type LoadedScenario } from '../io/load-scenario.js';
import { readOwnVersion } from '../io/own-version.js';
import { writeFileAtomic } from '../io/write-file-atomic.js';
import { checkPortsFree } from '../lab/orchestrator/check-ports.js';
import { runLab, type LabOptions } from '../lab/orchestrator/run-lab.js';
import { findContendedStrategies, setAsideContended } from './contended-strategies.js';
import { describeContentionBrief } from '../report/wording.js';
import { applyOverrides } from '../scenario/apply-overrides.js';
import { buildLabPlan, type LabPlan } from '../scenario/scale-time.js';
import type { Scenario } from '../scenario/types.js';
import { scenarioToFile } from '../scenario/scenario-file.js';
import { validateScenario } from '../scenario/validate-scenario.js';
import { describeProblems } from '../scenario/describe-problems.js';
import { TRACE_VERSION } from '../trace/events.js';
import { encodeRunParams, PARAMS_FILE, type RunParams } from '../trace/run-params.js';
import { chooseStack, type StackChoice } from './choose-stack.js';
import { isNodeApp, preflightNodeApp } from '../lab/targets/node-app-target.js';
import { writeRunReports, type RunResult, type SeriesResult } from './report-run.js';
import type { RunEventListener } from './run-events.js';
import { checkRunOptions, type RunScenarioOptions } from './run-options.js';
import { runPool } from './job-scheduler.js';
import { chooseStrategyLayout, type LayoutChoice } from '../scenario/strategy-layout.js';
import { runDirName, writeSeries, writeSeriesParams } from './series-dir.js';

/** A built-in name or file path, a scenario already loaded, or a scenario object. */
export type ScenarioInput = string | LoadedScenario | Scenario;

function isLoaded(input: LoadedScenario | Scenario): input is LoadedScenario {
  return 'scenario' in input && 'file' in input;
}

/** Loads and validates the scenario with the overrides applied; every problem at once, nothing started (a sweep loads its base with it). */
export async function resolveScenario(input: ScenarioInput, options: RunScenarioOptions): Promise<LoadedScenario> {
  const override = (raw: Record<string, unknown>): void => {
    // gunicorn's --timeout means nothing to the kubelet: said of the flag, not blamed on the file.
    if (options.overrides?.timeoutMs !== undefined && (options.overrides.master ?? raw['master']) === KUBELET_MASTER) {
      throw new StarveError('BAD_ARGUMENT', `--timeout is gunicorn's worker timeout; ${String(raw['name'] ?? 'this scenario')} runs under the kubelet, whose liveness probe has its own timeout.`, {
        hint: 'Set "probe": { "timeoutMs": … } in the scenario, or sweep it with --vary probe-timeout=1s..10s. Nothing was started.',
      });
    }
    applyOverrides(raw, options.overrides ?? {});
  };
  if (typeof input === 'string') return loadScenario(input, override);
  const loaded: LoadedScenario = isLoaded(input) ? input : { scenario: input, file: '(programmatic)', module: null };
  const raw = structuredClone(scenarioToFile(loaded.scenario));
  override(raw);
  const handlers = loaded.scenario.load.routes.flatMap((route) => (route.handler === undefined ? [] : [route.handler]));
  const check = validateScenario(raw, loaded.module === null ? null : handlers);
  if (!check.ok) throw describeProblems(loaded.file, check.problems);
  return { ...loaded, scenario: check.scenario };
}

function writeParams(runDir: string, params: RunParams): void {
  writeFileAtomic(join(runDir, PARAMS_FILE), encodeRunParams(params));
}

interface OneRun {
  plan: LabPlan;
  layout: LayoutChoice;
  choice: StackChoice;
  file: string;
  runDir: string;
  basePort: number;
  options: RunScenarioOptions;
  /** Events of this run; a series passes none, and reports per run instead. */
  emit: RunEventListener;
}

async function runOnce({ plan, layout, choice, file, runDir, basePort, options, emit }: OneRun): Promise<RunResult> {
  const sequential = layout.layout === 'one-at-a-time';
  const { signal } = options;
  const params: RunParams = {
    traceVersion: TRACE_VERSION,
    scenario: plan.scenario,
    scenarioFile: file,
    timeScale: plan.timeScale,
    timing: plan.timing,
    stack: choice.stack,
    sequential,
    rerunAlone: [],
    startedAt: new Date().toISOString(),
    finishedAt: null,
    interrupted: false,
    versions: { node: process.version, starveLab: readOwnVersion(), ...choice.versions },
  };
  writeParams(runDir, params);
  emit({ type: 'run-start', runDir, plan, layout });
  const withDoctor = options.clinic === 'doctor';
  let interrupted = false;
  let rerunAlone: string[] = [];
  const labOptions: LabOptions = {
    runDir,
    basePort,
    captureStacks: options.stacks === true,
    target: choice.target,
    supervisor: choice.supervisor,
    sequential,
    ...(withDoctor ? { workerEnv: (strategyDir: string) => doctorWorkerEnv(join(strategyDir, DOCTOR_DATA_DIR)) } : {}),
    ...(signal === undefined ? {} : { signal }),
    observer: {
      onEvent: (strategy, event) => emit({ type: 'lab-event', strategy, event }),
      onLoadStart: (durationMs, strategies) => emit({ type: 'load-start', durationMs, strategies: [...strategies] }),
      onLoadProgress: (strategy, counts) => emit({ type: 'load-progress', strategy, counts }),
    },
  };
  try {
    const result = await runLab(plan, labOptions);
    interrupted = result.interrupted;
    if (!interrupted && options.rerunContended !== false) ({ interrupted, rerunAlone } = await rerunContended(plan, runDir, labOptions, emit, signal));
  } finally {
    emit({ type: 'lab-end', interrupted: signal?.aborted === true });
  }
  if (withDoctor) {
    emit({ type: 'doctor-analysis' });
    for (const strategy of plan.scenario.strategies) await finishDoctor(runDir, join(runDir, strategy));
  }
  writeParams(runDir, { ...params, rerunAlone, finishedAt: new Date().toISOString(), interrupted });
  const report = writeRunReports(runDir);
  emit({ type: 'run-end', runDir, report });
  return { kind: 'run', runDir, report };
}

/**
 * A strategy the host distorted runs again, alone, once: side by side it may have been its neighbours;
 * alone, something else on the machine. The first attempt is kept under contended/. Returns whether
 * the re-run was interrupted and which ran again. A strategy still contended stays untrusted in the report.
 */
async function rerunContended(plan: LabPlan, runDir: string, labOptions: LabOptions, emit: RunEventListener, signal: AbortSignal | undefined): Promise<{ interrupted: boolean; rerunAlone: string[] }> {
  const contended = findContendedStrategies(runDir);
  if (contended.length === 0) return { interrupted: false, rerunAlone: [] };
  emit({ type: 'contended-rerun', strategies: contended.map(({ strategy, contention }) => ({ strategy, why: describeContentionBrief(contention) })) });
  for (const { strategy } of contended) setAsideContended(runDir, strategy, 1);
  const again = { ...plan, scenario: { ...plan.scenario, strategies: contended.map((c) => c.strategy) } };
  const result = await runLab(again, { ...labOptions, sequential: true });
  return { interrupted: result.interrupted || signal?.aborted === true, rerunAlone: again.scenario.strategies };
}

/** Everything that can be refused is refused here, before any directory is made or process started (a sweep checks its cells with it). */
export async function prepareRun(input: ScenarioInput, options: RunScenarioOptions): Promise<{ plan: LabPlan; layout: LayoutChoice; choice: StackChoice; file: string; parallel: number }> {
  checkRunOptions(options);
  if (options.clinic === 'doctor') checkDoctorInstalled();
  const { scenario, file, module } = await resolveScenario(input, options);
  const askedPlan = buildLabPlan(scenario, options.timeScale ?? 1, module);
  if (options.overrides?.pythonStack !== undefined && options.stack !== 'real') throw new StarveError('BAD_ARGUMENT', `--python-stack ${options.overrides.pythonStack} picks the real gunicorn and uvicorn; the model has its own presets (--master, --strategies).`, { hint: 'Add --stack real. Nothing was started.' });
  const choice = chooseStack(options.stack ?? 'model', askedPlan, { clinic: options.clinic === 'doctor', stacks: options.stacks === true }, { app: options.app, appDir: options.appDir });
  const { plan } = choice;
  // The user's Node app is tried once on its own: one that is missing, throws or never listens is refused here.
  if (choice.stack === 'model' && options.app !== undefined && isNodeApp(options.app)) await preflightNodeApp(options.app, options.signal);
  // Runs burn CPU on purpose: by default one run per two cores, so they do not starve each other.
  const parallel = options.parallel ?? Math.max(1, Math.floor(availableParallelism() / 2));
  const basePort = options.basePort ?? 0;
  const concurrentRuns = options.repeat === undefined ? 1 : Math.min(parallel, options.repeat);
  if (basePort !== 0) await checkPortsFree(basePort, scenario.strategies.length * concurrentRuns);
  const asked = options.sequential === undefined ? undefined : options.sequential ? 'one-at-a-time' : 'side-by-side';
  const busyWorkers = scenario.load.clients === 0 ? 0 : scenario.workers;
  const layout = chooseStrategyLayout(scenario.strategies.length, busyWorkers, Math.max(1, Math.floor(availableParallelism() / concurrentRuns)), asked);
  return { plan, layout, choice, file, parallel };
}

async function runSeries(plan: LabPlan, layout: LayoutChoice, choice: StackChoice, file: string, repeat: number, parallel: number, options: RunScenarioOptions): Promise<SeriesResult> {
  const emit = options.onEvent ?? (() => {});
  const seriesDir = createRunDir(options.outDir ?? 'reports', plan.scenario.name, new Date());
  writeSeriesParams(seriesDir, { scenario: plan.scenario.name, requested: repeat, parallel, startedAt: new Date().toISOString() });
  emit({ type: 'series-start', seriesDir, plan, repeat, parallel, layout });
  const basePort = options.basePort ?? 0;
  const runs = await runPool(repeat, parallel, options.signal, async (index, slot) => {
    // Each run draws its own request plan (seed + index), so the series samples the workload.
    const scenario = { ...plan.scenario, seed: plan.scenario.seed + index };
    const runDir = createRunDir(join(seriesDir, runDirName(index)), '', null);
    const port = basePort === 0 ? 0 : basePort + slot * scenario.strategies.length;
    const result = await runOnce({ plan: { ...plan, scenario }, layout, choice, file, runDir, basePort: port, options, emit: () => {} });
    emit({ type: 'series-run-end', index, repeat, runDir, report: result.report });
    return result;
  });
  const series = writeSeries(seriesDir, runs.map((run) => run.report), repeat);
  emit({ type: 'series-end', seriesDir, series });
  return { kind: 'series', seriesDir, series, runs };
}

/**
 * Runs a scenario: every strategy side by side, each with its own supervisor, workers and load.
 * Resolves to the run directory and its report, or with `repeat` to the series.
 */
export async function runScenario(input: ScenarioInput, options: RunScenarioOptions & { repeat: number }): Promise<SeriesResult>;
export async function runScenario(input: ScenarioInput, options?: RunScenarioOptions & { repeat?: undefined }): Promise<RunResult>;
export async function runScenario(input: ScenarioInput, options?: RunScenarioOptions): Promise<RunResult | SeriesResult>;
export async function runScenario(input: ScenarioInput, options: RunScenarioOptions = {}): Promise<RunResult | SeriesResult> {
  const { plan, layout, choice, file, parallel } = await prepareRun(input, options);
  if (options.repeat !== undefined) return runSeries(plan, layout, choice, file, options.repeat, parallel, options);
  const runDir = options.runDir !== undefined ? createRunDir(options.runDir, '', null) : createRunDir(options.outDir ?? 'reports', plan.scenario.name, new Date());
  return runOnce({ plan, layout, choice, file, runDir, basePort: options.basePort ?? 0, options, emit: options.onEvent ?? (() => {}) });
}
