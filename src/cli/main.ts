// The CLI entry: picks the command, turns known errors into a message and an exit code.

import { isStarveError, type StarveError } from '../errors.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { MAIN_HELP } from './help.js';
import { readOwnVersion } from '../io/own-version.js';
import { nearestName } from '../suggest.js';

function exitCodeFor(error: StarveError): ExitCode {
  switch (error.code) {
    case 'BAD_ARGUMENT':
    case 'UNKNOWN_SCENARIO':
    case 'INVALID_SCENARIO':
    case 'PORT_IN_USE':
    case 'OUTPUT_NOT_WRITABLE':
    case 'BAD_TRACE':
      return EXIT.badInput;
    case 'CHILD_FAILED':
      return EXIT.labFailure;
    case 'INTERRUPTED':
      return EXIT.interruptedBySigint;
  }
}

const COMMANDS = ['init', 'run', 'check', 'sweep', 'merge', 'report', 'diff', 'list', 'calibrate', 'stacks', 'help'];

async function dispatch(argv: string[]): Promise<ExitCode> {
  const [command, ...rest] = argv;
  // `starve-lab run --version` answers like `starve-lab --version`, as most CLIs do.
  if (command !== undefined && COMMANDS.includes(command) && (rest.includes('--version') || rest.includes('-v'))) return dispatch(['--version']);
  switch (command) {
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(MAIN_HELP);
      return EXIT.ok;
    case '-v':
    case '--version':
      process.stdout.write(`${readOwnVersion()}\n`);
      return EXIT.ok;
    // Commands load lazily so --help stays fast.
    case 'init':
      return (await import('./commands/init.js')).initCommand(rest);
    case 'run':
      return (await import('./commands/run.js')).runCommand(rest);
    case 'check':
      return (await import('./commands/check.js')).checkCommand(rest);
    case 'sweep':
      return (await import('./commands/sweep.js')).sweepCommand(rest);
    case 'merge':
      return (await import('./commands/merge.js')).mergeCommand(rest);
    case 'report':
      return (await import('./commands/report.js')).reportCommand(rest);
    case 'diff':
      return (await import('./commands/diff.js')).diffCommand(rest);
    case 'list':
      return (await import('./commands/list.js')).listCommand(rest);
    case 'calibrate':
      return (await import('./commands/calibrate.js')).calibrateCommand(rest);
    case 'stacks':
      return (await import('./commands/stacks.js')).stacksCommand(rest);
    default: {
      const near = nearestName(command, COMMANDS);
      process.stderr.write(`starve-lab: unknown command "${command}"${near === null ? '' : `; did you mean ${near}?`}\n\n${MAIN_HELP}`);
      return EXIT.badInput;
    }
  }
}

export async function main(argv: string[]): Promise<ExitCode> {
  try {
    return await dispatch(argv);
  } catch (error) {
    if (isStarveError(error)) {
      const lines = [`starve-lab: ${error.message}`, ...error.details.map((d) => `  - ${d}`)];
      if (error.hint !== undefined) lines.push(error.hint);
      process.stderr.write(`${lines.join('\n')}\n`);
      return exitCodeFor(error);
    }
    process.stderr.write(`starve-lab: unexpected error (please report it):\n${(error as Error).stack ?? String(error)}\n`);
    return EXIT.labFailure;
  }
}
