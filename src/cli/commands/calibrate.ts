// `starve-lab calibrate <scenario|grid-file>`: the model against the real stack, case by case.

import { watchInterruptions } from '../interruption.js';
import { StarveError } from '../../errors.js';
import { calibrate } from '../../pipeline/calibrate.js';
import { REPEAT_RANGE } from '../../pipeline/run-options.js';
import { CALIBRATION_RENDERERS } from '../../calibration/render-calibration.js';
import { printAs, terminalOrJson } from '../color.js';
import { EXIT, interruptedExitCode, type ExitCode } from '../exit-codes.js';
import { CALIBRATE_HELP } from '../help.js';
import { parseTimeScale, parseWhole, parseCommandArgs } from '../parse-options.js';
import { createProgressView, type ProgressView } from '../progress-view.js';

export async function calibrateCommand(args: string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('calibrate', {
      args,
      options: { repeat: { type: 'string' }, 'time-scale': { type: 'string' }, out: { type: 'string' }, 'real-from': { type: 'string' }, 'write-reference': { type: 'string' }, 'model-from': { type: 'string' }, json: { type: 'boolean' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  if (values.help === true) {
    process.stdout.write(CALIBRATE_HELP);
    return EXIT.ok;
  }
  const [reference, ...extra] = positionals;
  if (reference === undefined || extra.length > 0) throw new StarveError('BAD_ARGUMENT', 'Expected one scenario or calibration grid file.', { hint: 'Usage: starve-lab calibrate cpu-burst, or starve-lab calibrate scenarios/calibration/grid.json' });
  const repeat = values.repeat === undefined ? 1 : parseWhole('repeat', values.repeat, REPEAT_RANGE.min, REPEAT_RANGE.max);
  const quiet = values.quiet === true;
  const interruption = watchInterruptions();
  // One progress view per side of a case, so each run draws its own header and kills.
  let view: ProgressView | null = null;
  let current = '';
  try {
    const { dir, summary } = await calibrate(reference, {
      repeat,
      timeScale: parseTimeScale(values['time-scale']),
      outDir: values.out ?? 'reports',
      ...(values['real-from'] === undefined ? {} : { realFrom: values['real-from'] }),
      ...(values['model-from'] === undefined ? {} : { modelFrom: values['model-from'] }),
      ...(values['write-reference'] === undefined ? {} : { writeReference: values['write-reference'] }),
      signal: interruption.signal,
      onEvent: (side, event) => {
        const key = `${side.caseName}/${side.stack}`;
        if (key !== current) {
          view?.stop();
          current = key;
          if (!quiet) process.stderr.write(`\n── ${side.caseName}: ${side.stack === 'model' ? 'the model' : 'the real stack'}\n`);
          view = createProgressView(process.stderr, quiet);
        }
        view?.onEvent(event);
      },
    });
    printAs(CALIBRATION_RENDERERS, terminalOrJson(values.json), summary, dir, values.json === true ? '' : '\n');
    const interrupted = interruptedExitCode(interruption.cause());
    if (interrupted !== null) return interrupted;
    return summary.verdict === 'agrees' ? EXIT.ok : summary.verdict === 'disagrees' ? EXIT.expectationFailed : EXIT.labFailure;
  } finally {
    (view as ProgressView | null)?.stop();
    interruption.dispose();
  }
}
