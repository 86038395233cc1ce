// The programmatic API: load a scenario, run the lab, analyse a run directory, render reports.

export { StarveError, isStarveError, type StarveErrorCode } from './errors.js';
export { loadScenario, builtinScenarioNames, type LoadedScenario } from './scenario/load-scenario.js';
export { validateScenario, type ScenarioProblem } from './scenario/validate-scenario.js';
export { buildLabPlan, type LabPlan, type LabTiming } from './scenario/scale-time.js';
export type { Scenario, Expectation, RouteSpec, LoadSpec, ClockStep } from './scenario/types.js';
export { runLab, type LabOptions, type LabObserver } from './lab/run-lab.js';
export { NOTIFIERS, findNotifier } from './notifiers/registry.js';
export type { NotifierRule } from './notifiers/types.js';
export { MASTERS, findMaster } from './masters/registry.js';
export { decideStaleness } from './masters/staleness.js';
export type { TraceEvent } from './trace/events.js';
export { parseTrace } from './trace/parse-trace.js';
export type { RunParams } from './trace/run-params.js';
export { analyseRun } from './analysis/analyse-run.js';
export { aggregateSeries } from './analysis/aggregate-series.js';
export type { RunAnalysis, StrategyAnalysis, StrategyOutcome, RunVerdict } from './analysis/types.js';
export { buildReport, type Report, type StrategyReport } from './report/build-report.js';
export { diffReports } from './report/diff-reports.js';
export { renderTerminal } from './report/render-terminal.js';
export { renderMarkdown } from './report/render-markdown.js';
export { renderHtml } from './report/render-html.js';
export { renderJunit } from './report/render-junit.js';
export { readRun } from './run-dir/read-run-dir.js';
export { writeReports } from './run-dir/write-reports.js';
