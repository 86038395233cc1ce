// `starve-lab check <scenario>`: is the deployment safe at its load, and what change survives if not.

import { watchInterruptions } from '../interruption.js';
import { StarveError } from '../../errors.js';
import { CHECK_RENDERERS } from '../../advice/render-check.js';
import { checkScenario } from '../../pipeline/check-scenario.js';
import { printAs } from '../color.js';
import { EXIT, interruptedExitCode, type ExitCode } from '../exit-codes.js';
import { CHECK_HELP } from '../help.js';
import { parseCommandArgs, parseTargetFlags, parseTimeScale } from '../parse-options.js';
import { createProgressView, type ProgressView } from '../progress-view.js';

export async function checkCommand(args: string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('check', {
    args,
    options: {
      'time-scale': { type: 'string' },
      stack: { type: 'string' },
      app: { type: 'string' },
      'app-dir': { type: 'string' },
      strategy: { type: 'string' },
      headroom: { type: 'boolean' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      markdown: { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(CHECK_HELP);
    return EXIT.ok;
  }
  const [reference, ...extra] = positionals;
  if (reference === undefined || extra.length > 0) throw new StarveError('BAD_ARGUMENT', 'Expected one scenario to check.', { hint: 'Usage: starve-lab check ./api.json (a scenario init --from wrote, or any scenario).' });
  if (values.json === true && values.markdown === true) throw new StarveError('BAD_ARGUMENT', '--json and --markdown each choose what is printed; give one.');
  const target = parseTargetFlags(values);
  const quiet = values.quiet === true;
  const interruption = watchInterruptions();
  let view: ProgressView | null = null;
  try {
    const result = await checkScenario(reference, {
      timeScale: parseTimeScale(values['time-scale']),
      ...target,
      ...(values.strategy === undefined ? {} : { strategy: values.strategy }),
      ...(values.headroom === true ? { headroom: true } : {}),
      outDir: values.out ?? 'reports',
      signal: interruption.signal,
      onStep: ({ index, total, label }) => {
        view?.stop();
        if (!quiet) process.stderr.write(`\n── ${total > 1 ? `change ${index}/${total}: ` : ''}${label}\n`);
        view = createProgressView(process.stderr, quiet);
      },
      onEvent: (event) => view?.onEvent(event),
    });
    (view as ProgressView | null)?.stop();
    view = null;
    printAs(CHECK_RENDERERS, values.json === true ? 'json' : values.markdown === true ? 'markdown' : 'terminal', result, undefined, values.json === true ? '' : '\n');
    const interrupted = interruptedExitCode(interruption.cause());
    if (interrupted !== null) return interrupted;
    if (result.verdict === 'inconclusive') return EXIT.labFailure;
    return result.verdict === 'safe' ? EXIT.ok : EXIT.expectationFailed;
  } finally {
    (view as ProgressView | null)?.stop();
    interruption.dispose();
  }
}
