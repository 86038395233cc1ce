// `starve-lab merge <sweep-dir>... --out DIR`: combine the shards of one sweep and print its envelope.

import { StarveError } from '../../errors.js';
import { mergeSweeps } from '../../pipeline/merge-sweeps.js';
import { ENVELOPE_RENDERERS } from '../../report/reporters.js';
import { printAs, terminalOrJson } from '../color.js';
import { EXIT, interruptedExitCode, type ExitCode } from '../exit-codes.js';
import { watchInterruptions } from '../interruption.js';
import { MERGE_HELP } from '../help.js';
import { parseCommandArgs } from '../parse-options.js';

export async function mergeCommand(args: string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('merge', { args, options: { out: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  if (values.help === true) {
    process.stdout.write(MERGE_HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new StarveError('BAD_ARGUMENT', 'Expected the sweep directories of the shards to merge.', { hint: 'Usage: starve-lab merge <sweep-dir>... --out DIR' });
  if (values.out === undefined) throw new StarveError('BAD_ARGUMENT', 'Missing --out DIR: where the merged sweep goes (a new directory).');
  // Ctrl-C, SIGTERM or a lost parent: the merge stops between two cells and leaves no --out.
  const interruption = watchInterruptions();
  let merged: Awaited<ReturnType<typeof mergeSweeps>>;
  try {
    merged = await mergeSweeps(positionals, values.out, interruption.signal);
  } catch (error) {
    const interrupted = interruptedExitCode(interruption.cause());
    if (interrupted === null) throw error;
    process.stderr.write(`starve-lab merge: interrupted; ${values.out} was not written.\n`);
    return interrupted;
  } finally {
    interruption.dispose();
  }
  const { dir, envelope } = merged;
  printAs(ENVELOPE_RENDERERS, terminalOrJson(values.json), envelope, dir);
  if (envelope.missingCells.length > 0) {
    process.stderr.write(`starve-lab: the merged sweep lacks ${envelope.missingCells.length} of ${envelope.cellCount} cells (${envelope.missingCells.slice(0, 8).join(', ')}${envelope.missingCells.length > 8 ? ', …' : ''}): a shard is missing or was cut short.\n`);
    return EXIT.labFailure;
  }
  return EXIT.ok;
}
