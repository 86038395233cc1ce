// `starve-lab run <scenario>`: validate, make the run directory, run the lab, write and print the report.

import { join } from 'node:path';
import { StarveError } from '../../errors.js';
import { runLab } from '../../lab/run-lab.js';
import { formatDuration } from '../../report/format.js';
import { renderTerminal } from '../../report/render-terminal.js';
import { createRunDir } from '../../run-dir/create-run-dir.js';
import { writeFileAtomic } from '../../run-dir/write-file-atomic.js';
import { writeReports } from '../../run-dir/write-reports.js';
import { buildLabPlan } from '../../scenario/scale-time.js';
import { loadScenario } from '../../scenario/load-scenario.js';
import { TRACE_VERSION } from '../../trace/events.js';
import { PARAMS_FILE, type RunParams } from '../../trace/run-params.js';
import { colorLevelFor } from '../color.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { RUN_HELP } from '../help.js';
import { parseTimeScale, withArgumentErrors } from '../parse-options.js';
import { parseArgs } from 'node:util';
import { describeProgressEvent } from '../progress.js';
import { applyOverrides, OVERRIDE_OPTIONS, readOverrides } from '../scenario-overrides.js';
import { readOwnVersion } from '../version.js';

export async function runCommand(args: string[]): Promise<ExitCode> {
  const { values, positionals } = withArgumentErrors('run', () =>
    parseArgs({
      args,
      options: { 'time-scale': { type: 'string' }, out: { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, ...OVERRIDE_OPTIONS },
      allowPositionals: true,
      strict: true,
    }),
  );
  if (values.help === true) {
    process.stdout.write(RUN_HELP);
    return EXIT.ok;
  }
  const [reference, ...extra] = positionals;
  if (reference === undefined) throw new StarveError('BAD_ARGUMENT', 'Missing the scenario to run.', { hint: 'Usage: starve-lab run <scenario>; `starve-lab list` shows the built-in ones.' });
  if (extra.length > 0) throw new StarveError('BAD_ARGUMENT', `Expected one scenario, got ${positionals.length}: ${positionals.join(' ')}.`);
  const timeScale = parseTimeScale(values['time-scale']);
  const overrides = readOverrides(values);
  const { scenario, file, module } = await loadScenario(reference, (raw) => applyOverrides(raw, overrides));
  const plan = buildLabPlan(scenario, timeScale, module);
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

  const quiet = values.quiet === true;
  const say = (line: string): void => {
    if (!quiet) process.stderr.write(`${line}\n`);
  };
  say(`starve-lab run ${scenario.name}: ${scenario.strategies.join(' vs ')}, ${formatDuration(scenario.durationMs)} of load` + (timeScale === 1 ? '' : ` compressed ×${timeScale} (${formatDuration(plan.timing.durationMs)} real)`));

  // Ctrl-C or SIGTERM: stop every child, then report what was traced, marked interrupted.
  const abort = new AbortController();
  let interruptedBy: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interruptedBy !== null) return;
    interruptedBy = signal;
    say(`\n${signal}: stopping every process of the run…`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await runLab(plan, {
      runDir,
      signal: abort.signal,
      observer: {
        onLoadStart: () => say(`  load running; kills are printed as they happen (times in scenario time)`),
        onEvent: (strategy, event) => {
          const line = describeProgressEvent(strategy, event, timeScale);
          if (line !== null) say(line);
        },
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const finished: RunParams = { ...params, finishedAt: new Date().toISOString(), interrupted: interruptedBy !== null };
  writeFileAtomic(join(runDir, PARAMS_FILE), `${JSON.stringify(finished, null, 2)}\n`);
  const report = writeReports(runDir);
  process.stdout.write(`\n${renderTerminal(report, { colorLevel: colorLevelFor(process.stdout), runDir })}`);
  if (interruptedBy === 'SIGINT') return EXIT.interruptedBySigint;
  if (interruptedBy === 'SIGTERM') return EXIT.interruptedBySigterm;
  return EXIT.ok;
}
