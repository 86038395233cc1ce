// Rebuilding reports from a saved run directory (or a --repeat series directory) alone: the other half
// of the pipeline, used by `run` when a run ends, by `report`, and by `diff`. Never starts a process.

import { join } from 'node:path';
import { analyseRun } from '../analysis/analyse-run.js';
import { readRun } from '../io/read-run-dir.js';
import { checkCanWrite } from '../io/write-file-atomic.js';
import { StarveError } from '../errors.js';
import { aggregateSeries, type SeriesSummary } from '../report/aggregate-series.js';
import { buildReport, type Report } from '../report/build-report.js';
import { RUN_FILES, RUN_RENDERERS } from '../report/reporters.js';
import { writeFormats } from '../io/write-formats.js';
import { isSeriesDir, readSeriesParams, seriesRunDirs, writeSeries } from './series-dir.js';

export interface RunResult {
  kind: 'run';
  runDir: string;
  report: Report;
}

export interface SeriesResult {
  kind: 'series';
  seriesDir: string;
  series: SeriesSummary;
  runs: RunResult[];
}

/** Reads and analyses a saved run into its report, writing nothing. */
export function buildSavedReport(runDir: string): Report {
  const run = readRun(runDir);
  return buildReport(run.params, analyseRun(run.params, run.traces), run.problems, run.doctor);
}

/** Re-analyses a saved run and writes report.json, report.md and report.html (each whole or not at all). */
export function writeRunReports(runDir: string): Report {
  const report = buildSavedReport(runDir);
  try {
    checkCanWrite(join(runDir, RUN_FILES.json));
  } catch (error) {
    throw new StarveError('OUTPUT_NOT_WRITABLE', `Cannot write the report into ${runDir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, {
      hint: 'Copy the run directory somewhere you can write and run `starve-lab report` on the copy.',
      cause: error,
    });
  }
  writeFormats(runDir, report, RUN_FILES, RUN_RENDERERS);
  return report;
}

/** A saved run or series read and analysed as it is, writing nothing into it (calibrate's --real-from, --model-from). */
export function readSavedResult(dir: string): RunResult | SeriesResult {
  if (!isSeriesDir(dir)) return { kind: 'run', runDir: dir, report: buildSavedReport(dir) };
  const runs = seriesRunDirs(dir).map((runDir): RunResult => ({ kind: 'run', runDir, report: buildSavedReport(runDir) }));
  const requested = readSeriesParams(dir)?.requested ?? runs.length;
  return { kind: 'series', seriesDir: dir, series: aggregateSeries(runs.map((run) => run.report), requested), runs };
}

/** Rebuilds every report of a run directory, or of each run of a series and the series summary. */
export function reportRun(dir: string): RunResult | SeriesResult {
  if (!isSeriesDir(dir)) return { kind: 'run', runDir: dir, report: writeRunReports(dir) };
  const runs = seriesRunDirs(dir).map((runDir): RunResult => ({ kind: 'run', runDir, report: writeRunReports(runDir) }));
  const requested = readSeriesParams(dir)?.requested ?? runs.length;
  return { kind: 'series', seriesDir: dir, series: writeSeries(dir, runs.map((run) => run.report), requested), runs };
}
