// `starve-lab report <run-dir>`: rebuild every output of a saved run from its trace alone.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { aggregateSeries } from '../../analysis/aggregate-series.js';
import { StarveError } from '../../errors.js';
import { renderSeriesMarkdown, renderSeriesTerminal } from '../../report/render-series.js';
import { writeFileAtomic } from '../../run-dir/write-file-atomic.js';
import { PARAMS_FILE, SERIES_FILE, SERIES_MARKDOWN_FILE } from '../../trace/run-params.js';
import { renderTerminal } from '../../report/render-terminal.js';
import { writeReports } from '../../run-dir/write-reports.js';
import { colorLevelFor } from '../color.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { REPORT_HELP } from '../help.js';
import { withArgumentErrors } from '../parse-options.js';
import { parseArgs } from 'node:util';

/** A `--repeat` series: run-NNN directories and no params.json of its own. */
function isSeriesDir(dir: string): boolean {
  return !existsSync(join(dir, PARAMS_FILE)) && existsSync(dir) && readdirSync(dir).some((name) => /^run-\d+$/.test(name));
}

function reportSeries(seriesDir: string): ExitCode {
  const runs = readdirSync(seriesDir).filter((name) => /^run-\d+$/.test(name)).sort();
  const series = aggregateSeries(runs.map((run) => writeReports(join(seriesDir, run))));
  writeFileAtomic(join(seriesDir, SERIES_FILE), `${JSON.stringify({ schemaVersion: 1, ...series }, null, 2)}\n`);
  writeFileAtomic(join(seriesDir, SERIES_MARKDOWN_FILE), renderSeriesMarkdown(series));
  process.stdout.write(`${renderSeriesTerminal(series, colorLevelFor(process.stdout))}\nSeries directory ${seriesDir}\n`);
  return EXIT.ok;
}

export function reportCommand(args: string[]): ExitCode {
  const { values, positionals } = withArgumentErrors('report', () =>
    parseArgs({ args, options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true }),
  );
  if (values.help === true) {
    process.stdout.write(REPORT_HELP);
    return EXIT.ok;
  }
  const [runDir, ...extra] = positionals;
  if (runDir === undefined || extra.length > 0) {
    throw new StarveError('BAD_ARGUMENT', 'Expected one run directory.', { hint: 'Usage: starve-lab report reports/<scenario>/<timestamp>' });
  }
  if (isSeriesDir(runDir)) return reportSeries(runDir);
  const report = writeReports(runDir);
  if (report.traceProblems.length > 0) {
    const shown = report.traceProblems.slice(0, 5).map((problem) => `  ${problem}`);
    const more = report.traceProblems.length > 5 ? [`  … and ${report.traceProblems.length - 5} more`] : [];
    process.stderr.write(`starve-lab: ${report.traceProblems.length} trace line(s) could not be read; the readable part is reported:\n${[...shown, ...more].join('\n')}\n`);
  }
  process.stdout.write(renderTerminal(report, { colorLevel: colorLevelFor(process.stdout), runDir }));
  return EXIT.ok;
}
