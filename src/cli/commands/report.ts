// `starve-lab report <run-dir>`: rebuild every output of a saved run from its trace alone.

import { StarveError } from '../../errors.js';
import { renderTerminal } from '../../report/render-terminal.js';
import { writeReports } from '../../run-dir/write-reports.js';
import { colorLevelFor } from '../color.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { REPORT_HELP } from '../help.js';
import { withArgumentErrors } from '../parse-options.js';
import { parseArgs } from 'node:util';

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
  const report = writeReports(runDir);
  if (report.traceProblems.length > 0) {
    const shown = report.traceProblems.slice(0, 5).map((problem) => `  ${problem}`);
    const more = report.traceProblems.length > 5 ? [`  … and ${report.traceProblems.length - 5} more`] : [];
    process.stderr.write(`starve-lab: ${report.traceProblems.length} trace line(s) could not be read; the readable part is reported:\n${[...shown, ...more].join('\n')}\n`);
  }
  process.stdout.write(renderTerminal(report, { colorLevel: colorLevelFor(process.stdout), runDir }));
  return EXIT.ok;
}
