// `starve-lab stacks list | install <name>…`: the real Python stacks --stack real can run.

import { StarveError } from '../../errors.js';
import { probePython } from '../../lab/targets/python-target.js';
import { renderStackList } from '../../report/render-stacks.js';
import { installStack } from '../../lab/stacks/install-stack.js';
import { defaultCacheRoot, listStacks } from '../../io/installed-stacks.js';
import { pythonCandidates } from '../../stacks/python-candidates.js';
import { findStackName, stackNames } from '../../stacks/stack-names.js';
import { EXIT, interruptedExitCode, type ExitCode } from '../exit-codes.js';
import { STACKS_HELP } from '../help.js';
import { watchInterruptions } from '../interruption.js';
import { parseCommandArgs } from '../parse-options.js';

function systemVersions(): { python: string; gunicorn: string | null; uvicorn: string | null } | null {
  for (const python of pythonCandidates(process.env)) {
    const found = probePython(python);
    if (found !== null && (found.gunicorn !== null || found.uvicorn !== null)) return { python: found.python, gunicorn: found.gunicorn, uvicorn: found.uvicorn };
  }
  return null;
}

export async function stacksCommand(args: string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('stacks', { args, options: { json: { type: 'boolean' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  const [action, ...names] = positionals;
  if (values.help === true || action === undefined) {
    process.stdout.write(STACKS_HELP);
    return values.help === true ? EXIT.ok : EXIT.badInput;
  }
  const root = defaultCacheRoot();
  if (action === 'list') {
    if (names.length > 0) throw new StarveError('BAD_ARGUMENT', `stacks list takes no names, got \`${names.join(' ')}\`.`);
    const stacks = listStacks(root);
    const system = systemVersions();
    if (values.json === true) process.stdout.write(`${JSON.stringify({ cache: root, system, stacks: stacks.map((s) => ({ name: s.name, suite: s.suite, summary: s.summary, installed: s.installed?.record ?? null, problem: s.problem })) }, null, 2)}\n`);
    else process.stdout.write(renderStackList(stacks, system, root));
    return EXIT.ok;
  }
  if (action !== 'install') throw new StarveError('BAD_ARGUMENT', `Unknown stacks action "${action}"; expected list or install.`, { hint: 'Run `starve-lab stacks --help`.' });
  if (names.length === 0) throw new StarveError('BAD_ARGUMENT', 'Expected the stacks to install, e.g. `starve-lab stacks install trixie newest`.', { hint: `The stacks are ${stackNames().filter((n) => findStackName(n)?.suite !== null).join(', ')}.` });
  // Every name checked before apt is asked anything.
  for (const name of names) {
    const known = findStackName(name);
    if (known === undefined) throw new StarveError('BAD_ARGUMENT', `No stack named "${name}"; the stacks are ${stackNames().join(', ')}.`, { hint: 'Nothing was installed.' });
    if (known.suite === null) throw new StarveError('BAD_ARGUMENT', `"${name}" is the interpreter's own gunicorn and uvicorn, which apt installs system-wide: sudo apt-get install gunicorn python3-uvicorn python3-uvloop python3-httptools python3-h11.`, { hint: 'Nothing was installed.' });
  }
  const interruption = watchInterruptions();
  const installed = [];
  try {
    for (const name of names) {
      const onStep = (step: string): void => {
        if (values.quiet !== true) process.stderr.write(`  ${name}: ${step}\n`);
      };
      const record = await installStack(name, { root, signal: interruption.signal, onStep });
      installed.push(record);
      if (values.json !== true) process.stdout.write(`${name}: gunicorn ${record.versions.gunicorn}, uvicorn ${record.versions.uvicorn} from Debian ${record.suite}; run with --stack real --python-stack ${name}\n`);
    }
  } catch (error) {
    const interrupted = interruptedExitCode(interruption.cause());
    if (interrupted === null) throw error;
    process.stderr.write(`starve-lab stacks: interrupted; ${installed.length === 0 ? 'nothing was installed' : `installed ${installed.map((r) => r.name).join(', ')} only`}.\n`);
    return interrupted;
  } finally {
    interruption.dispose();
  }
  if (values.json === true) process.stdout.write(`${JSON.stringify({ cache: root, installed }, null, 2)}\n`);
  return EXIT.ok;
}
