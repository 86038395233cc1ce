// `starve-lab init --from <file-or-command>`: the user's deployment as scenarios, one per killer.

import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { StarveError } from '../../errors.js';
import { DEFAULT_INIT_LOAD, type InitLoad } from '../../deployment/deployment-to-scenario.js';
import { INIT_RENDERERS, type InitSummary } from '../../deployment/render-init.js';
import { checkCanWrite, writeFileAtomic } from '../../io/write-file-atomic.js';
import { initFromDeployment } from '../../pipeline/init-deployment.js';
import { LIMITS } from '../../scenario/limits.js';
import { printAs, terminalOrJson } from '../color.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { INIT_HELP } from '../help.js';
import { parseDurationFlag, parseWholeFlag } from '../override-flags.js';
import { parseCommandArgs } from '../parse-options.js';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m)?$/;

/** `--route 'POST /report 1.2s'`, `'1-2s'`, `'GET /export 6s-8s'`: a CPU-bound handler time (fixed or a range), after an optional method and path. */
export function parseRouteFlag(raw: string): InitLoad['routes'][number] {
  const words = raw.trim().split(/\s+/);
  const time = words.pop() ?? '';
  const [low = '', high] = time.split('-');
  const unit = DURATION.exec(high ?? low)?.[2] ?? 's';
  const ms = (text: string): number => parseDurationFlag('route', DURATION.exec(text)?.[2] === undefined ? `${text}${unit}` : text, LIMITS.routeMs);
  if (!DURATION.test(low) || (high !== undefined && !DURATION.test(high)) || words.length > 2 || (words.length > 0 && !words.some((w) => w.startsWith('/')))) {
    throw new StarveError('BAD_ARGUMENT', `Expected --route to be [METHOD] [PATH] TIME, e.g. 'POST /report 1.2s' or '1-2s', got \`${raw}\`.`, { hint: 'TIME is how long the handler keeps the CPU busy: a duration (1.2s, 800ms) or a range (1-2s).' });
  }
  const min = ms(low);
  const max = high === undefined ? min : ms(high);
  if (max < min) throw new StarveError('BAD_ARGUMENT', `--route ${raw}: the range goes down (${low} to ${high}).`, { hint: 'Write the shorter time first, e.g. 1-2s.' });
  if (min === 0) throw new StarveError('BAD_ARGUMENT', `--route ${raw}: a handler of 0 ms starves nothing.`, { hint: 'Give the time your handler keeps the CPU busy, e.g. 1.2s.' });
  return { kind: 'cpu', weight: 1, ms: min === max ? min : { min, max }, ...(words.length > 0 ? { label: `${words.join(' ')} ${time}` } : { label: time }) };
}

export async function initCommand(args: string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('init', {
    args,
    options: {
      from: { type: 'string' },
      container: { type: 'string' },
      name: { type: 'string' },
      clients: { type: 'string' },
      think: { type: 'string' },
      route: { type: 'string', multiple: true },
      out: { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(INIT_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new StarveError('BAD_ARGUMENT', `init takes no positional argument (got \`${positionals[0] ?? ''}\`); the deployment goes after --from.`, { hint: 'e.g. starve-lab init --from deployment.yaml, or --from "gunicorn main:app -k uvicorn.workers.UvicornWorker --timeout 60" (in quotes).' });
  if (values.from === undefined || values.from.trim() === '') throw new StarveError('BAD_ARGUMENT', 'init needs --from: a Kubernetes manifest, a gunicorn config file, or a gunicorn or uvicorn command line in quotes.', { hint: 'Run `starve-lab init --help` for examples.' });
  const routes = (values.route ?? []).map(parseRouteFlag);
  const load: InitLoad = {
    given: values.clients !== undefined || values.think !== undefined || routes.length > 0,
    clients: values.clients === undefined ? DEFAULT_INIT_LOAD.clients : parseWholeFlag('clients', values.clients, 1, LIMITS.clients),
    thinkMs: values.think === undefined ? DEFAULT_INIT_LOAD.thinkMs : parseDurationFlag('think', values.think, LIMITS.thinkMs),
    routes: routes.length > 0 ? routes : DEFAULT_INIT_LOAD.routes,
  };
  const outDir = resolve(values.out ?? '.');
  if (!existsSync(outDir)) throw new StarveError('OUTPUT_NOT_WRITABLE', `--out ${values.out ?? '.'}: no such directory.`, { hint: 'Create it first, or give an existing directory.' });
  const result = initFromDeployment(values.from, { container: values.container, name: values.name, load });
  const files = result.scenarios.map(({ killer, scenario, file }) => ({ killer, scenario, file, path: join(outDir, `${scenario.name}.json`) }));
  // Refused before anything is written: an existing scenario is not overwritten without --force.
  for (const file of files) {
    if (existsSync(file.path) && values.force !== true) throw new StarveError('OUTPUT_NOT_WRITABLE', `${file.path} exists; init does not overwrite it.`, { hint: 'Give --force to replace it, --name for another name, or --out for another directory.' });
    try {
      checkCanWrite(file.path);
    } catch (error) {
      throw new StarveError('OUTPUT_NOT_WRITABLE', `Cannot write ${file.path}: ${(error as Error).message}`);
    }
  }
  for (const file of files) writeFileAtomic(file.path, `${JSON.stringify(file.file, null, 2)}\n`);
  const shown = (path: string): string => {
    const near = relative(process.cwd(), path);
    return near.startsWith('..') || isAbsolute(near) ? path : `./${near}`;
  };
  const summary: InitSummary = { readAs: result.readAs, origin: result.origin, files: files.map(({ path, killer, scenario }) => ({ path: shown(path), killer, scenario: scenario.name })), notes: result.notes };
  printAs(INIT_RENDERERS, terminalOrJson(values.json), summary);
  return EXIT.ok;
}
