// The programmatic API: everything `starve-lab` does on the command line, as library calls.
//   const { runDir, report } = await runScenario('cpu-burst', { timeScale: 0.1 });
//   const again = reportRun(runDir);
//   const { sweepDir, envelope } = await sweep('cpu-burst', { vary: ['clients=1..4', 'cpu=250ms..3s'], timeScale: 0.1 });
//   const { scenarios } = initFromDeployment('k8s/deployment.yaml', { load: DEFAULT_INIT_LOAD });
//   const check = await checkScenario(scenarios[0].scenario, { timeScale: 0.1 });

// The pipeline
export { runScenario, type ScenarioInput } from './pipeline/run-scenario.js';
export { reportRun, buildSavedReport, type RunResult, type SeriesResult } from './pipeline/report-run.js';
export type { RunScenarioOptions } from './pipeline/run-options.js';
export type { RunEvent, RunEventListener } from './pipeline/run-events.js';
export { calibrate, type CalibrateOptions } from './pipeline/calibrate.js';
export type { CalibrationSummary, CalibratedCase } from './calibration/render-calibration.js';
export { sweep, type SweepOptions, type SweepEvent, type SweepResult } from './pipeline/sweep.js';
export { mergeSweeps, type MergeResult } from './pipeline/merge-sweeps.js';
export { reportSweep, isSweepDir } from './pipeline/sweep-dir.js';
export { buildEnvelope, ENVELOPE_VERSION, type Envelope, type EnvelopeCell, type StrategyCell } from './sweep/envelope.js';
export { parseAxes, SWEEP_PARAMS, type Axis } from './sweep/axes.js';
export { parseShard, type Shard } from './sweep/shards.js';
export { predictOutcome, type Prediction } from './sweep/predict.js';
export { renderEnvelopeHtml } from './report/envelope-html.js';
export { renderEnvelopeMarkdown } from './report/envelope-markdown.js';
export { renderEnvelopeCsv } from './report/envelope-csv.js';
export { initFromDeployment, type InitOptions, type InitResult } from './pipeline/init-deployment.js';
export { deploymentToScenarios, DEFAULT_INIT_LOAD, type InitLoad } from './deployment/deployment-to-scenario.js';
export { checkScenario, type CheckOptions } from './pipeline/check-scenario.js';
export type { CheckResult, CheckVerdict, CandidateOutcome } from './advice/check-result.js';
export { toleranceOf, type Tolerance } from './advice/tolerance.js';
export { candidatesFor, type Candidate } from './advice/candidates.js';
export { StarveError, isStarveError, STARVE_ERROR_CODES, type StarveErrorCode } from './errors.js';

// Scenarios
export { loadScenario, builtinScenarioNames, type LoadedScenario } from './io/load-scenario.js';
export { validateScenario, type ScenarioProblem } from './scenario/validate-scenario.js';
export { applyOverrides, type ScenarioOverrides } from './scenario/apply-overrides.js';
export { buildLabPlan, type LabPlan, type LabTiming } from './scenario/scale-time.js';
export type { Scenario, Expectation, RouteSpec, LoadSpec, ClockStep } from './scenario/types.js';
export { NOTIFIERS, findNotifier } from './notifiers/registry.js';
export type { NotifierRule } from './notifiers/types.js';
export { MASTERS, findMaster } from './masters/registry.js';
export { decideStaleness } from './masters/staleness.js';

// The lab and its seams
export { runLab, type LabOptions, type LabObserver } from './lab/orchestrator/run-lab.js';
export type { Target, TargetContext, WorkerLaunch } from './lab/targets/types.js';
export type { Supervisor, SupervisorContext, SupervisedStrategy } from './lab/supervisors/types.js';
export { modelTarget } from './lab/targets/model-target.js';
export { gunicornModelSupervisor } from './lab/supervisors/gunicorn/model.js';

// The trace and the analysis (pure)
export { traceEventSchema, type TraceEvent, TRACE_VERSION } from './trace/events.js';
export { decodeTrace } from './trace/decode-trace.js';
export { decodeRunParams, type RunParams } from './trace/run-params.js';
export { readRun } from './io/read-run-dir.js';
export { analyseRun } from './analysis/analyse-run.js';
export { findingSchema, type Finding, type FindingKind } from './analysis/findings.js';
export type { RunAnalysis, StrategyAnalysis, StrategyOutcome, RunVerdict } from './analysis/types.js';

// Reports (pure): build, render, compare
export { buildReport, type Report, type StrategyReport } from './report/build-report.js';
export { reportSchema, reportJsonSchema, REPORT_SCHEMA_VERSION } from './report/report-schema.js';
export { describeFinding } from './report/wording.js';
export { aggregateSeries, type SeriesSummary } from './report/aggregate-series.js';
export { diffReports } from './report/diff-reports.js';
export { renderTerminal } from './report/render-terminal.js';
export { renderMarkdown } from './report/render-markdown.js';
export { renderHtml } from './report/render-html.js';
export { renderJunit } from './report/render-junit.js';
// Every format by name, one signature: render(value, { colorLevel, dir }).
export { RUN_RENDERERS, SERIES_RENDERERS, ENVELOPE_RENDERERS, DIFF_RENDERERS, RUN_FILES, SERIES_FILES, ENVELOPE_FILES } from './report/reporters.js';
export type { Renderer, RenderContext, ColorLevel } from './report/render-context.js';
// The supervisor a scenario runs under, as one value.
export type { SupervisorSpec, GunicornSupervisor, KubeletSupervisor, SupervisorKind } from './scenario/supervisor.js';
export { scenarioToFile } from './scenario/scenario-file.js';
