// `starve-lab run <scenario>`: parse flags, call runScenario with a progress view, print the report,
// write the CI outputs, pick the exit code.

import { watchInterruptions } from '../interruption.js';
import { appendFileSync, existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MASTER_LOG_FILE, PARAMS_FILE, TRACE_FILE } from '../../trace/run-params.js';
import type { RunVerdict } from '../../analysis/types.js';
import { StarveError } from '../../errors.js';
import { makeDirectories } from '../../io/create-run-dir.js';
import { checkCanWrite, writeFileAtomic } from '../../io/write-file-atomic.js';
import type { RunResult, SeriesResult } from '../../pipeline/report-run.js';
import { parallelRange, PORT_RANGE, REPEAT_RANGE } from '../../pipeline/run-options.js';
import { runScenario } from '../../pipeline/run-scenario.js';
import { FILE_CONTEXT } from '../../report/render-context.js';
import { RUN_FILES, RUN_RENDERERS, SERIES_RENDERERS } from '../../report/reporters.js';
import { printAs, terminalOrJson } from '../color.js';
import { EXIT, interruptedExitCode, type ExitCode } from '../exit-codes.js';
import { RUN_HELP } from '../help.js';
import { OVERRIDE_OPTIONS, readOverrides } from '../override-flags.js';
import { parseCommandArgs, parseTargetFlags, parseTimeScale, parseWhole } from '../parse-options.js';
import { createProgressView } from '../progress-view.js';

const RUN_OPTIONS = {
  'time-scale': { type: 'string' },
  out: { type: 'string' },
  quiet: { type: 'boolean' },
  ci: { type: 'boolean' },
  json: { type: 'boolean' },
  junit: { type: 'string' },
  port: { type: 'string' },
  repeat: { type: 'string' },
  parallel: { type: 'string' },
  stacks: { type: 'boolean' },
  clinic: { type: 'string' },
  stack: { type: 'string' },
  sequential: { type: 'boolean' },
  'side-by-side': { type: 'boolean' },
  app: { type: 'string' },
  'app-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  ...OVERRIDE_OPTIONS,
} as const;

/** With --ci the verdict decides the exit code: 0 met, 1 an expectation failed, 3 inconclusive. */
export function exitCodeForVerdict(verdict: RunVerdict, ci: boolean): ExitCode {
  if (!ci) return EXIT.ok;
  switch (verdict) {
    case 'as-expected':
      return EXIT.ok;
    case 'unexpected':
      return EXIT.expectationFailed;
    case 'inconclusive':
      return EXIT.labFailure;
  }
}

/** The files a run directory is made of: an output named like one, beside a params.json, would overwrite a run. */
const RUN_DIR_FILES = new Set([PARAMS_FILE, TRACE_FILE, MASTER_LOG_FILE, ...Object.values(RUN_FILES)]);

/** Makes the file's directory now, so a bad path fails before anything starts. */
function prepareOutputFile(flag: string, file: string): string {
  const path = resolve(file);
  if (RUN_DIR_FILES.has(basename(path)) && existsSync(join(dirname(path), PARAMS_FILE))) {
    throw new StarveError('BAD_ARGUMENT', `--${flag} ${file} would overwrite a saved run's own ${basename(path)}.`, { hint: 'Give a file outside the run directories, e.g. --junit junit.xml.' });
  }
  try {
    makeDirectories(dirname(path));
    checkCanWrite(path);
  } catch (error) {
    throw new StarveError('BAD_ARGUMENT', `Cannot write --${flag} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  return path;
}

/** GitHub's step summary file, if the job has one: checked before the run, appended to after it. */
function stepSummaryFile(): string | null {
  const file = process.env['GITHUB_STEP_SUMMARY'];
  return file === undefined || file === '' ? null : file;
}

function checkStepSummary(): void {
  const summaryFile = stepSummaryFile();
  if (summaryFile === null) return;
  try {
    appendFileSync(summaryFile, '');
  } catch (error) {
    throw new StarveError('BAD_ARGUMENT', `Cannot append the run's summary to GITHUB_STEP_SUMMARY (${summaryFile}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, {
      hint: 'Unset GITHUB_STEP_SUMMARY, or point it at a file you can write.',
    });
  }
}

function publish(markdown: string): void {
  const summaryFile = stepSummaryFile();
  if (summaryFile !== null) appendFileSync(summaryFile, `${markdown}\n`);
}

interface Outputs {
  json: boolean;
  junit: string | null;
}

function printRun({ runDir, report }: RunResult, outputs: Outputs): RunVerdict {
  if (outputs.junit !== null) writeFileAtomic(outputs.junit, RUN_RENDERERS.junit(report, FILE_CONTEXT));
  publish(RUN_RENDERERS.markdown(report, FILE_CONTEXT));
  printAs(RUN_RENDERERS, terminalOrJson(outputs.json), report, runDir, outputs.json ? '' : '\n');
  return report.verdict;
}

function printSeries({ seriesDir, series }: SeriesResult, outputs: Outputs): RunVerdict {
  if (outputs.junit !== null) writeFileAtomic(outputs.junit, SERIES_RENDERERS.junit(series, FILE_CONTEXT));
  publish(SERIES_RENDERERS.markdown(series, FILE_CONTEXT));
  printAs(SERIES_RENDERERS, terminalOrJson(outputs.json), series, seriesDir, outputs.json ? '' : '\n');
  return series.verdict;
}

/** --sequential or --side-by-side (not both); neither: the machine decides (pipeline/run-scenario.ts). */
function strategyLayoutOf(sequential: boolean | undefined, sideBySide: boolean | undefined): { sequential?: boolean } {
  if (sequential === true && sideBySide === true) throw new StarveError('BAD_ARGUMENT', '--sequential and --side-by-side contradict each other; give one.');
  if (sequential === true) return { sequential: true };
  return sideBySide === true ? { sequential: false } : {};
}

export async function runCommand(args: string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('run', { args, options: RUN_OPTIONS, allowPositionals: true, strict: true });
  if (values.help === true) {
    process.stdout.write(RUN_HELP);
    return EXIT.ok;
  }
  const [reference, ...extra] = positionals;
  if (reference === undefined) throw new StarveError('BAD_ARGUMENT', 'Missing the scenario to run.', { hint: 'Usage: starve-lab run <scenario>; `starve-lab list` shows the built-in ones.' });
  if (extra.length > 0) throw new StarveError('BAD_ARGUMENT', `Expected one scenario, got ${positionals.length}: ${positionals.join(' ')}.`);
  const repeat = values.repeat === undefined ? undefined : parseWhole('repeat', values.repeat, REPEAT_RANGE.min, REPEAT_RANGE.max);
  const parallel = values.parallel === undefined ? undefined : parseWhole('parallel', values.parallel, parallelRange().min, parallelRange().max);
  if (values.clinic !== undefined && values.clinic !== 'doctor') throw new StarveError('BAD_ARGUMENT', `Expected --clinic to be \`doctor\`, got \`${values.clinic}\`.`);
  const target = parseTargetFlags(values);
  const outputs: Outputs = { json: values.json === true, junit: values.junit === undefined ? null : prepareOutputFile('junit', values.junit) };
  checkStepSummary();
  const quiet = values.quiet === true;

  // Ctrl-C, SIGTERM or the loss of the parent: stop every child, then report what was traced, marked interrupted.
  const interruption = watchInterruptions((cause) => {
    if (!quiet) process.stderr.write(`\n${cause}: stopping every process of the run…\n`);
  });
  const view = createProgressView(process.stderr, quiet);
  let verdict: RunVerdict;
  try {
    const result = await runScenario(reference, {
      timeScale: parseTimeScale(values['time-scale']),
      outDir: values.out ?? 'reports',
      ...(repeat === undefined ? {} : { repeat }),
      ...(parallel === undefined ? {} : { parallel }),
      stacks: values.stacks === true,
      ...target,
      stack: target.stack ?? 'model',
      ...strategyLayoutOf(values.sequential, values['side-by-side']),
      ...(values.clinic === 'doctor' ? { clinic: 'doctor' as const } : {}),
      basePort: values.port === undefined ? 0 : parseWhole('port', values.port, PORT_RANGE.min, PORT_RANGE.max),
      overrides: readOverrides(values),
      signal: interruption.signal,
      onEvent: view.onEvent,
    });
    verdict = result.kind === 'run' ? printRun(result, outputs) : printSeries(result, outputs);
  } catch (error) {
    // Interrupted before the run began (while the app was tried): the interruption's exit code, not the error's.
    const interrupted = interruptedExitCode(interruption.cause());
    if (interrupted === null) throw error;
    return interrupted;
  } finally {
    view.stop();
    interruption.dispose();
  }
  const interrupted = interruptedExitCode(interruption.cause());
  if (interrupted !== null) return interrupted;
  return exitCodeForVerdict(verdict, values.ci === true);
}
