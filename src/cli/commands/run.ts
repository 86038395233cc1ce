// `starve-lab run <scenario>`: validate, run once (or --repeat N times), write and print the report.

import { appendFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { aggregateSeries, type SeriesSummary } from '../../analysis/aggregate-series.js';
import type { RunVerdict } from '../../analysis/types.js';
import { StarveError } from '../../errors.js';
import { checkDoctorInstalled } from '../../clinic/clinic-doctor.js';
import { checkPortsFree } from '../../lab/check-ports.js';
import type { Report } from '../../report/build-report.js';
import { renderJunit, renderSeriesJunit } from '../../report/render-junit.js';
import { renderMarkdown } from '../../report/render-markdown.js';
import { renderSeriesMarkdown, renderSeriesTerminal } from '../../report/render-series.js';
import { renderTerminal } from '../../report/render-terminal.js';
import { createRunDir, makeDirectories } from '../../run-dir/create-run-dir.js';
import { writeFileAtomic } from '../../run-dir/write-file-atomic.js';
import { loadScenario } from '../../scenario/load-scenario.js';
import { buildLabPlan, type LabPlan } from '../../scenario/scale-time.js';
import { SERIES_FILE, SERIES_MARKDOWN_FILE } from '../../trace/run-params.js';
import { colorLevelFor } from '../color.js';
import { executeRun } from '../execute-run.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { RUN_HELP } from '../help.js';
import { parseTimeScale, parseWhole, withArgumentErrors } from '../parse-options.js';
import { createProgressView } from '../progress-view.js';
import { applyOverrides, OVERRIDE_OPTIONS, readOverrides } from '../scenario-overrides.js';

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

/** Makes the file's directory now, so a bad path fails before anything starts. */
function prepareOutputFile(flag: string, file: string): string {
  const path = resolve(file);
  try {
    makeDirectories(dirname(path));
  } catch (error) {
    throw new StarveError('BAD_ARGUMENT', `Cannot write --${flag} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  return path;
}

/** Runs `count` jobs, at most `width` at a time, in order of their index; stops starting new ones once aborted. */
async function runPool<T>(count: number, width: number, signal: AbortSignal, job: (index: number, slot: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async (slot: number): Promise<void> => {
    while (next < count && !signal.aborted) {
      const index = next++;
      results[index] = await job(index, slot);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, (_, slot) => worker(slot)));
  return results.filter((result) => result !== undefined);
}

function publish(markdown: string): void {
  const summaryFile = process.env['GITHUB_STEP_SUMMARY'];
  if (summaryFile !== undefined && summaryFile !== '') appendFileSync(summaryFile, `${markdown}\n`);
}

export async function runCommand(args: string[]): Promise<ExitCode> {
  const { values, positionals } = withArgumentErrors('run', () => parseArgs({ args, options: RUN_OPTIONS, allowPositionals: true, strict: true }));
  if (values.help === true) {
    process.stdout.write(RUN_HELP);
    return EXIT.ok;
  }
  const [reference, ...extra] = positionals;
  if (reference === undefined) throw new StarveError('BAD_ARGUMENT', 'Missing the scenario to run.', { hint: 'Usage: starve-lab run <scenario>; `starve-lab list` shows the built-in ones.' });
  if (extra.length > 0) throw new StarveError('BAD_ARGUMENT', `Expected one scenario, got ${positionals.length}: ${positionals.join(' ')}.`);
  const timeScale = parseTimeScale(values['time-scale']);
  const basePort = values.port === undefined ? 0 : parseWhole('port', values.port, 1, 65_535);
  const repeat = values.repeat === undefined ? null : parseWhole('repeat', values.repeat, 1, 1000);
  // Runs burn CPU on purpose: by default one run per two cores, so they do not starve each other.
  const parallel = values.parallel === undefined ? Math.max(1, Math.floor(availableParallelism() / 2)) : parseWhole('parallel', values.parallel, 1, 64);
  const junit = values.junit === undefined ? null : prepareOutputFile('junit', values.junit);
  if (values.clinic !== undefined) {
    if (values.clinic !== 'doctor') throw new StarveError('BAD_ARGUMENT', `Expected --clinic to be \`doctor\`, got \`${values.clinic}\`.`);
    checkDoctorInstalled();
  }
  const overrides = readOverrides(values);
  const { scenario, file, module } = await loadScenario(reference, (raw) => applyOverrides(raw, overrides));
  const plan = buildLabPlan(scenario, timeScale, module);
  const strategies = scenario.strategies.length;
  if (basePort !== 0) await checkPortsFree(basePort, strategies * (repeat === null ? 1 : Math.min(parallel, repeat)));
  const outDir = values.out ?? 'reports';
  const quiet = values.quiet === true;

  // Ctrl-C or SIGTERM: stop every child, then report what was traced, marked interrupted.
  const abort = new AbortController();
  let interruptedBy: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interruptedBy !== null) return;
    interruptedBy = signal;
    if (!quiet) process.stderr.write(`\n${signal}: stopping every process of the run…\n`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let verdict: RunVerdict;
  try {
    verdict = repeat === null ? await runOnce(plan, file, outDir, basePort, abort.signal, values, junit) : await runSeries(plan, file, outDir, basePort, abort.signal, values, junit, repeat, parallel);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (interruptedBy === 'SIGINT') return EXIT.interruptedBySigint;
  if (interruptedBy === 'SIGTERM') return EXIT.interruptedBySigterm;
  return exitCodeForVerdict(verdict, values.ci === true);
}

type RunValues = { quiet?: boolean; json?: boolean; stacks?: boolean; clinic?: string };

async function runOnce(plan: LabPlan, file: string, outDir: string, basePort: number, signal: AbortSignal, values: RunValues, junit: string | null): Promise<RunVerdict> {
  const view = createProgressView({ stream: process.stderr, quiet: values.quiet === true, scenario: plan.scenario, plan });
  const { runDir, report } = await executeRun({ plan, scenarioFile: file, outDir, basePort, captureStacks: values.stacks === true, clinicDoctor: values.clinic === 'doctor', signal, view });
  if (junit !== null) writeFileAtomic(junit, renderJunit(report));
  publish(renderMarkdown(report));
  if (values.json === true) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`\n${renderTerminal(report, { colorLevel: colorLevelFor(process.stdout), runDir })}`);
  return report.verdict;
}

function describeFinishedRun(index: number, count: number, report: Report): string {
  const parts = report.strategies.map((s) => `${s.name} ${s.outcome}${s.kills > 0 ? ` ×${s.kills}` : ''}`);
  return `  run ${String(index + 1).padStart(String(count).length)}/${count}: ${parts.join(', ')}`;
}

async function runSeries(
  plan: LabPlan,
  file: string,
  outDir: string,
  basePort: number,
  signal: AbortSignal,
  values: RunValues,
  junit: string | null,
  repeat: number,
  parallel: number,
): Promise<RunVerdict> {
  const seriesDir = createRunDir(outDir, plan.scenario.name, new Date());
  const quiet = values.quiet === true;
  if (!quiet) process.stderr.write(`starve-lab run ${plan.scenario.name} × ${repeat} (${parallel} at a time) into ${seriesDir}\n`);
  let done = 0;
  const reports = await runPool(repeat, parallel, signal, async (index, slot) => {
    // Each run draws its own request plan (seed + index), so the series samples the workload.
    const scenario = { ...plan.scenario, seed: plan.scenario.seed + index };
    const view = createProgressView({ stream: process.stderr, quiet: true, scenario, plan });
    const strategies = scenario.strategies.length;
    const runDir = join(seriesDir, `run-${String(index + 1).padStart(3, '0')}`);
    const port = basePort === 0 ? 0 : basePort + slot * strategies;
    const { report } = await executeRun({ plan: { ...plan, scenario }, scenarioFile: file, outDir: runDir, exactDir: true, basePort: port, captureStacks: values.stacks === true, clinicDoctor: values.clinic === 'doctor', signal, view });
    done++;
    if (!quiet) process.stderr.write(`${describeFinishedRun(index, repeat, report)}\n`);
    return report;
  });
  const series: SeriesSummary = aggregateSeries(reports);
  writeFileAtomic(join(seriesDir, SERIES_FILE), `${JSON.stringify({ schemaVersion: 1, ...series, requested: repeat, completed: done, interrupted: signal.aborted }, null, 2)}\n`);
  writeFileAtomic(join(seriesDir, SERIES_MARKDOWN_FILE), renderSeriesMarkdown(series));
  if (junit !== null) writeFileAtomic(junit, renderSeriesJunit(series));
  publish(renderSeriesMarkdown(series));
  if (values.json === true) process.stdout.write(`${JSON.stringify(series, null, 2)}\n`);
  else process.stdout.write(`\n${renderSeriesTerminal(series, colorLevelFor(process.stdout))}${signal.aborted ? '(interrupted)\n' : ''}\nSeries directory ${seriesDir}\n`);
  return signal.aborted || done < repeat ? 'inconclusive' : series.verdict;
}
