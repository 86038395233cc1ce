// `starve-lab diff <run-a> <run-b>`: what changed between two runs of one scenario, from their traces.

import { StarveError } from '../../errors.js';
import { buildSavedReport } from '../../pipeline/report-run.js';
import { diffReports } from '../../report/diff-reports.js';
import { DIFF_RENDERERS } from '../../report/reporters.js';
import { printAs } from '../color.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { DIFF_HELP } from '../help.js';
import { parseCommandArgs } from '../parse-options.js';

export function diffCommand(args: string[]): ExitCode {
  const { values, positionals } = parseCommandArgs('diff', { args, options: { markdown: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  if (values.help === true) {
    process.stdout.write(DIFF_HELP);
    return EXIT.ok;
  }
  const [first, second, ...extra] = positionals;
  if (first === undefined || second === undefined || extra.length > 0) {
    throw new StarveError('BAD_ARGUMENT', `Expected two run directories, got ${positionals.length}.`, { hint: 'Usage: starve-lab diff <run-a> <run-b>' });
  }
  const before = buildSavedReport(first);
  const after = buildSavedReport(second);
  if (before.scenario !== after.scenario) {
    throw new StarveError('BAD_ARGUMENT', `The runs are of different scenarios: "${before.scenario}" and "${after.scenario}".`, {
      hint: 'diff compares two runs of the same scenario, e.g. before and after a change.',
    });
  }
  const diff = diffReports(before, after);
  printAs(DIFF_RENDERERS, values.json === true ? 'json' : values.markdown === true ? 'markdown' : 'terminal', diff);
  return diff.worse ? EXIT.expectationFailed : diff.inconclusive ? EXIT.labFailure : EXIT.ok;
}
