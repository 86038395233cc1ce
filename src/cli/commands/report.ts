// `starve-lab report <run-dir>`: rebuild every output of a saved run (or series) from its files alone.

import { StarveError } from '../../errors.js';
import { reportRun } from '../../pipeline/report-run.js';
import { isSweepDir, reportSweep } from '../../pipeline/sweep-dir.js';
import { ENVELOPE_RENDERERS, RUN_RENDERERS, SERIES_RENDERERS } from '../../report/reporters.js';
import { printAs, terminalOrJson } from '../color.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { REPORT_HELP } from '../help.js';
import { parseCommandArgs } from '../parse-options.js';

function warnAboutTrace(problems: readonly string[]): void {
  if (problems.length === 0) return;
  const shown = problems.slice(0, 5).map((problem) => `  ${problem}`);
  const more = problems.length > 5 ? [`  … and ${problems.length - 5} more`] : [];
  process.stderr.write(`starve-lab: ${problems.length} trace problem(s); the readable part is reported:\n${[...shown, ...more].join('\n')}\n`);
}

export function reportCommand(args: string[]): ExitCode {
  const { values, positionals } = parseCommandArgs('report', { args, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  if (values.help === true) {
    process.stdout.write(REPORT_HELP);
    return EXIT.ok;
  }
  const [dir, ...extra] = positionals;
  if (dir === undefined || extra.length > 0) {
    throw new StarveError('BAD_ARGUMENT', 'Expected one run, series or sweep directory.', { hint: 'Usage: starve-lab report reports/<scenario>/<timestamp>' });
  }
  if (isSweepDir(dir)) {
    const envelope = reportSweep(dir);
    printAs(ENVELOPE_RENDERERS, terminalOrJson(values.json), envelope, dir);
    return EXIT.ok;
  }
  const result = reportRun(dir);
  if (result.kind === 'series') {
    printAs(SERIES_RENDERERS, terminalOrJson(values.json), result.series, result.seriesDir);
    return EXIT.ok;
  }
  warnAboutTrace(result.report.traceProblems);
  printAs(RUN_RENDERERS, terminalOrJson(values.json), result.report, result.runDir);
  return EXIT.ok;
}
