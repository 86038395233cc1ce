// Re-analyses a saved run and writes report.json and report.md beside its trace (atomically).

import { join } from 'node:path';
import { analyseRun } from '../analysis/analyse-run.js';
import { buildReport, type Report } from '../report/build-report.js';
import { renderHtml } from '../report/render-html.js';
import { renderJson } from '../report/render-json.js';
import { renderMarkdown } from '../report/render-markdown.js';
import { readRun } from './read-run-dir.js';
import { writeFileAtomic } from './write-file-atomic.js';

export const REPORT_JSON_FILE = 'report.json';
export const REPORT_MARKDOWN_FILE = 'report.md';
export const REPORT_HTML_FILE = 'report.html';

export function writeReports(runDir: string): Report {
  const run = readRun(runDir);
  const report = buildReport(run.params, analyseRun(run.params, run.traces), run.problems, run.doctor);
  writeFileAtomic(join(runDir, REPORT_JSON_FILE), renderJson(report));
  writeFileAtomic(join(runDir, REPORT_MARKDOWN_FILE), renderMarkdown(report));
  writeFileAtomic(join(runDir, REPORT_HTML_FILE), renderHtml(report));
  return report;
}
