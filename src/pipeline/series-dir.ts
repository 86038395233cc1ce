// A --repeat series directory: what was asked (series-params.json, written before the runs start),
// the run-NNN run directories, and the summaries written from their reports, the same way by `run`
// and by `report`.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describeIssues } from '../decode/describe-issues.js';
import { readJsonFile } from '../io/read-json-file.js';
import { writeFileAtomic } from '../io/write-file-atomic.js';
import { aggregateSeries, type SeriesSummary } from '../report/aggregate-series.js';
import type { Report } from '../report/build-report.js';
import { SERIES_FILES, SERIES_RENDERERS } from '../report/reporters.js';
import { writeFormats } from '../io/write-formats.js';
import { PARAMS_FILE, SERIES_PARAMS_FILE } from '../trace/run-params.js';

const seriesParamsSchema = z.object({
  scenario: z.string(),
  requested: z.number().int().positive(),
  parallel: z.number().int().positive(),
  startedAt: z.string(),
});
export type SeriesParams = z.infer<typeof seriesParamsSchema>;

const RUN_DIR_PATTERN = /^run-\d+$/;

export function runDirName(index: number): string {
  return `run-${String(index + 1).padStart(3, '0')}`;
}

/** A series directory: run-NNN directories and no params.json of its own. */
export function isSeriesDir(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory() && !existsSync(join(dir, PARAMS_FILE)) && readdirSync(dir).some((name) => RUN_DIR_PATTERN.test(name));
}

export function seriesRunDirs(seriesDir: string): string[] {
  return readdirSync(seriesDir).filter((name) => RUN_DIR_PATTERN.test(name)).sort().map((name) => join(seriesDir, name));
}

export function writeSeriesParams(seriesDir: string, params: SeriesParams): void {
  writeFileAtomic(join(seriesDir, SERIES_PARAMS_FILE), `${JSON.stringify(params, null, 2)}\n`);
}

/** What the series asked for; null for a series made before series-params.json existed. */
export function readSeriesParams(seriesDir: string): SeriesParams | null {
  const file = join(seriesDir, SERIES_PARAMS_FILE);
  if (!existsSync(file)) return null;
  return readJsonFile(file, SERIES_PARAMS_FILE, (value) => {
    const decoded = seriesParamsSchema.safeParse(value);
    return decoded.success ? { ok: true, value: decoded.data } : { ok: false, problem: describeIssues(decoded.error, value) };
  });
}

/** Aggregates the runs' reports and writes series.json and series.md. */
export function writeSeries(seriesDir: string, reports: readonly Report[], requested: number): SeriesSummary {
  const series = aggregateSeries(reports, requested);
  writeFormats(seriesDir, series, SERIES_FILES, SERIES_RENDERERS);
  return series;
}
