// `starve-lab run <scenario>`: validate, make the run directory, run the lab, write and print the report.

import { appendFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { StarveError } from '../../errors.js';
import { checkPortsFree } from '../../lab/check-ports.js';
import { runLab } from '../../lab/run-lab.js';
import type { Report } from '../../report/build-report.js';
import { formatDuration } from '../../report/format.js';
import { renderJunit } from '../../report/render-junit.js';
import { renderMarkdown } from '../../report/render-markdown.js';
import { renderTerminal } from '../../report/render-terminal.js';
import { createRunDir } from '../../run-dir/create-run-dir.js';
import { writeFileAtomic } from '../../run-dir/write-file-atomic.js';
import { writeReports } from '../../run-dir/write-reports.js';
import { loadScenario } from '../../scenario/load-scenario.js';
import { buildLabPlan } from '../../scenario/scale-time.js';
import { TRACE_VERSION } from '../../trace/events.js';
import { PARAMS_FILE, type RunParams } from '../../trace/run-params.js';
import { colorLevelFor } from '../color.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { RUN_HELP } from '../help.js';
import { parseTimeScale, parseWhole, withArgumentErrors } from '../parse-options.js';
import { createProgressView } from '../progress-view.js';
import { applyOverrides, OVERRIDE_OPTIONS, readOverrides } from '../scenario-overrides.js';
import { readOwnVersion } from '../version.js';

const RUN_OPTIONS = {
  'time-scale': { type: 'string' },
  out: { type: 'string' },
  quiet: { type: 'boolean' },
  ci: { type: 'boolean' },
  json: { type: 'boolean' },
  junit: { type: 'string' },
  port: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  ...OVERRIDE_OPTIONS,
} as const;

/** With --ci the verdict decides the exit code: 0 met, 1 an expectation failed, 3 inconclusive. */
export function exitCodeForVerdict(report: Report, ci: boolean): ExitCode {
  if (!ci) return EXIT.ok;
  switch (report.verdict) {
    case 'as-expected':
      return EXIT.ok;
    case 'unexpected':
      return EXIT.expectationFailed;
    case 'inconclusive':
      return EXIT.labFailure;
  }
}

function checkWritableFile(flag: string, file: string): string {
  const path = resolve(file);
  if (!existsSync(dirname(path))) {
    throw new StarveError('BAD_ARGUMENT', `Expected --${flag} to name a file in an existing directory, got \`${file}\` (${dirname(path)} does not exist).`);
  }
  return path;
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
  const junit = values.junit === undefined ? null : checkWritableFile('junit', values.junit);
  const overrides = readOverrides(values);
  const { scenario, file, module } = await loadScenario(reference, (raw) => applyOverrides(raw, overrides));
  const plan = buildLabPlan(scenario, timeScale, module);
  if (basePort !== 0) await checkPortsFree(basePort, scenario.strategies.length);
  const runDir = createRunDir(values.out ?? 'reports', scenario.name, new Date());

  const params: RunParams = {
    traceVersion: TRACE_VERSION,
    scenario,
    scenarioFile: file,
    timeScale,
    timing: plan.timing,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    interrupted: false,
    versions: { node: process.version, starveLab: readOwnVersion() },
  };
  writeFileAtomic(join(runDir, PARAMS_FILE), `${JSON.stringify(params, null, 2)}\n`);

  const view = createProgressView({ stream: process.stderr, quiet: values.quiet === true, scenario, plan });
  view.start(runDir);

  // Ctrl-C or SIGTERM: stop every child, then report what was traced, marked interrupted.
  const abort = new AbortController();
  let interruptedBy: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interruptedBy !== null) return;
    interruptedBy = signal;
    view.note(`${signal}: stopping every process of the run…`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await runLab(plan, { runDir, basePort, signal: abort.signal, observer: view.observer });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    view.stop();
  }

  const finished: RunParams = { ...params, finishedAt: new Date().toISOString(), interrupted: interruptedBy !== null };
  writeFileAtomic(join(runDir, PARAMS_FILE), `${JSON.stringify(finished, null, 2)}\n`);
  const report = writeReports(runDir);
  if (junit !== null) writeFileAtomic(junit, renderJunit(report));
  const summaryFile = process.env['GITHUB_STEP_SUMMARY'];
  if (summaryFile !== undefined && summaryFile !== '') appendFileSync(summaryFile, `${renderMarkdown(report)}\n`);
  if (values.json === true) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`\n${renderTerminal(report, { colorLevel: colorLevelFor(process.stdout), runDir })}`);
  if (interruptedBy === 'SIGINT') return EXIT.interruptedBySigint;
  if (interruptedBy === 'SIGTERM') return EXIT.interruptedBySigterm;
  return exitCodeForVerdict(report, values.ci === true);
}
