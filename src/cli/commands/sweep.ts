// `starve-lab sweep <scenario> --vary ...`: parse flags, call sweep() with progress lines, print the
// envelope's maps, pick the exit code.

import { StarveError } from '../../errors.js';
import { parallelRange, REPEAT_RANGE } from '../../pipeline/run-options.js';
import { sweep, type SweepEvent } from '../../pipeline/sweep.js';
import { ENVELOPE_RENDERERS } from '../../report/reporters.js';
import { formatDuration } from '../../report/format.js';
import { DEFAULT_STEPS, MAX_AXIS_VALUES } from '../../sweep/axes.js';
import { parseShard } from '../../sweep/shards.js';
import { printAs, terminalOrJson } from '../color.js';
import { EXIT, interruptedExitCode, type ExitCode } from '../exit-codes.js';
import { SWEEP_HELP } from '../help.js';
import { watchInterruptions } from '../interruption.js';
import { OVERRIDE_OPTIONS, readOverrides } from '../override-flags.js';
import { parseCommandArgs, parseTargetFlags, parseTimeScale, parseWhole } from '../parse-options.js';

const SWEEP_OPTIONS = {
  vary: { type: 'string', multiple: true },
  steps: { type: 'string' },
  repeat: { type: 'string' },
  'max-repeat': { type: 'string' },
  'time-scale': { type: 'string' },
  parallel: { type: 'string' },
  out: { type: 'string' },
  shard: { type: 'string' },
  resume: { type: 'boolean' },
  stack: { type: 'string' },
  app: { type: 'string' },
  'app-dir': { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  ...OVERRIDE_OPTIONS,
} as const;

function progressLine(event: SweepEvent): string | null {
  switch (event.type) {
    case 'sweep-start': {
      const shard = event.plan.shard === null ? '' : ` (shard ${event.plan.shard.index}/${event.plan.shard.count} of ${event.plan.cellCount})`;
      const runs = event.keptRuns === 0 ? `${event.firstRuns} runs first` : `${event.firstRuns} runs to go (${event.keptRuns} kept from before)`;
      return `Sweeping ${event.plan.scenario.name}: ${event.cells} cells${shard} × ${event.plan.strategies.length} strategies = ${runs}, ${event.parallel} at a time, about ${formatDuration(event.estimateMs)}; more near the boundary.\n  into ${event.sweepDir}`;
    }
    case 'sweep-run-end': {
      const share = event.cpuShare === null ? '' : `  cpu ${Math.round(event.cpuShare * 100)}%`;
      return `  [${String(event.done).padStart(4)}] ${event.cellId} ${event.label}  ${event.strategy} #${event.index + 1}: ${event.kept ? event.outcome : 'distorted by its neighbours, thrown away'}${share}${event.queued > 0 ? `  (${event.queued} queued)` : ''}`;
    }
    case 'parallel-lowered':
      return `  The host is contended (${event.why}): ${event.from} → ${event.to} runs at a time.`;
    case 'sweep-round':
      return `  Near the boundary: ${event.runs} more runs.`;
    case 'sweep-end':
      return null;
  }
}

export async function sweepCommand(args: string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('sweep', { args, options: SWEEP_OPTIONS, allowPositionals: true, strict: true });
  if (values.help === true) {
    process.stdout.write(SWEEP_HELP);
    return EXIT.ok;
  }
  const [reference, ...extra] = positionals;
  if (reference === undefined) throw new StarveError('BAD_ARGUMENT', 'Missing the scenario to sweep.', { hint: 'Usage: starve-lab sweep <scenario> --vary clients=1..6 --vary cpu=250ms..3s' });
  if (extra.length > 0) throw new StarveError('BAD_ARGUMENT', `Expected one scenario, got ${positionals.length}: ${positionals.join(' ')}.`);
  const target = parseTargetFlags(values);
  const steps = values.steps === undefined ? DEFAULT_STEPS : parseWhole('steps', values.steps, 2, MAX_AXIS_VALUES);
  const repeat = values.repeat === undefined ? undefined : parseWhole('repeat', values.repeat, REPEAT_RANGE.min, REPEAT_RANGE.max);
  const maxRepeat = values['max-repeat'] === undefined ? undefined : parseWhole('max-repeat', values['max-repeat'], REPEAT_RANGE.min, REPEAT_RANGE.max);
  if (repeat !== undefined && maxRepeat !== undefined && maxRepeat < repeat) throw new StarveError('BAD_ARGUMENT', `--max-repeat ${maxRepeat} is below --repeat ${repeat}.`);
  const parallel = values.parallel === undefined ? undefined : parseWhole('parallel', values.parallel, parallelRange().min, parallelRange().max);
  const quiet = values.quiet === true;
  const interruption = watchInterruptions((cause) => {
    if (!quiet) process.stderr.write(`\n${cause}: stopping every run of the sweep…\n`);
  });
  let result;
  try {
    result = await sweep(reference, {
      vary: values.vary ?? [],
      steps,
      ...(repeat === undefined ? {} : { repeat }),
      ...(maxRepeat === undefined ? {} : { maxRepeat }),
      timeScale: parseTimeScale(values['time-scale']),
      ...(parallel === undefined ? {} : { parallel }),
      ...(values.out === undefined ? {} : { outDir: values.out }),
      shard: values.shard === undefined ? null : parseShard(values.shard),
      resume: values.resume === true,
      ...target,
      stack: target.stack ?? 'model',
      overrides: readOverrides({ ...values, vary: undefined }),
      signal: interruption.signal,
      onEvent: (event) => {
        const line = quiet ? null : progressLine(event);
        if (line !== null) process.stderr.write(`${line}\n`);
      },
    });
  } finally {
    interruption.dispose();
  }
  printAs(ENVELOPE_RENDERERS, terminalOrJson(values.json), result.envelope, result.sweepDir, values.json === true ? '' : '\n');
  const interrupted = interruptedExitCode(interruption.cause());
  if (interrupted !== null) return interrupted;
  return result.envelope.interrupted || result.envelope.missingCells.length > 0 ? EXIT.labFailure : EXIT.ok;
}
