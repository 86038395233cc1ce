// The real Python stack as a target: starve-lab's routes app (or the user's ASGI app) served by real
// uvicorn workers. Finds the interpreter that has gunicorn and uvicorn, and says what to install if none.

import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StarveError } from '../../errors.js';
import { printable } from '../../report/escape.js';
import { workerHealthFor } from './model-target.js';
import type { AsgiTarget, ProcessTarget, PythonStack } from './types.js';
import type { HttpImplementation } from '../../scenario/types.js';
import { pythonCandidates } from '../../stacks/python-candidates.js';
import { SYSTEM_STACK } from '../../stacks/stack-names.js';

/** The package's own Python files: the worker classes and the routes app. */
export const PYTHON_DIR = fileURLToPath(new URL('../../../python/', import.meta.url));
export const INSTALL_HINT = 'Install them with: sudo apt-get install gunicorn python3-uvicorn python3-uvloop python3-httptools python3-h11 (Debian/Ubuntu), or point STARVE_LAB_PYTHON at an interpreter that has gunicorn and uvicorn.';

const PROBE = `
import json, sys
found = {"python": sys.version.split()[0]}
for name in ("gunicorn", "uvicorn", "uvloop", "httptools", "h11"):
    try:
        module = __import__(name)
        found[name] = getattr(module, "__version__", "?")
    except Exception:
        found[name] = None
print(json.dumps(found))
`;

interface Probe {
  python: string;
  gunicorn: string | null;
  uvicorn: string | null;
  uvloop: string | null;
  httptools: string | null;
  h11: string | null;
}

/** The probe script's answer, or null when it is not the object it prints. */
export function decodeStackProbe(stdout: string): Probe | null {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const field = (key: keyof Probe): string | null | undefined => {
    const found = (value as Record<string, unknown>)[key];
    return typeof found === 'string' || found === null ? found : undefined;
  };
  const [python, gunicorn, uvicorn, uvloop, httptools, h11] = [field('python'), field('gunicorn'), field('uvicorn'), field('uvloop'), field('httptools'), field('h11')];
  if (typeof python !== 'string' || gunicorn === undefined || uvicorn === undefined || uvloop === undefined) return null;
  // Probes of versions before the HTTP implementations were asked about say nothing of them.
  return { python, gunicorn, uvicorn, uvloop, httptools: httptools ?? null, h11: h11 ?? null };
}

/** What `python` imports, with `sitePath` first on its path (an installed stack), or null when it cannot run. */
export function probePython(python: string, sitePath: readonly string[] = []): Probe | null {
  const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...(sitePath.length > 0 ? { PYTHONPATH: sitePath.join(':') } : {}) };
  const result = spawnSync(python, ['-c', PROBE], { encoding: 'utf8', timeout: 10_000, env });
  return result.status === 0 ? decodeStackProbe(result.stdout) : null;
}

/** The stack a run asked for: its name and what goes first on PYTHONPATH (nothing for the interpreter's own). */
export interface ChosenStack {
  name: string;
  sitePath: readonly string[];
}

/**
 * The interpreter to use: STARVE_LAB_PYTHON if set, else the first of Debian's /usr/bin/python3 and
 * the python3 on PATH that has gunicorn and uvicorn (Debian's packages install for /usr/bin/python3,
 * which is not always the python3 first on PATH). `http`: the HTTP implementation uvicorn must have;
 * `chosen`: an installed stack's gunicorn and uvicorn, imported ahead of the interpreter's own.
 */
export function findPythonStack(needUvloop: boolean, env: NodeJS.ProcessEnv = process.env, http: HttpImplementation | null = null, chosen: ChosenStack = { name: SYSTEM_STACK, sitePath: [] }): PythonStack {
  const seen: string[] = [];
  for (const python of pythonCandidates(env)) {
    const found = probePython(python, chosen.sitePath);
    if (found === null) {
      seen.push(`${python}: not runnable`);
      continue;
    }
    const missing = [
      found.gunicorn === null ? 'gunicorn' : null,
      found.uvicorn === null ? 'uvicorn' : null,
      needUvloop && found.uvloop === null ? 'uvloop' : null,
      http !== null && found[http] === null ? http : null,
    ].filter((m): m is string => m !== null);
    if (missing.length === 0) {
      return { python, name: chosen.name, sitePath: [...chosen.sitePath], versions: { python: found.python, gunicorn: found.gunicorn ?? '?', uvicorn: found.uvicorn ?? '?', uvloop: found.uvloop, httptools: found.httptools, h11: found.h11 } };
    }
    seen.push(`${python} (Python ${found.python}) lacks ${missing.join(', ')}`);
  }
  const needed = ['gunicorn', 'uvicorn', ...(needUvloop ? ['uvloop'] : []), ...(http === null ? [] : [http])];
  throw new StarveError('BAD_ARGUMENT', `--stack real needs Python with ${needed.join(', ')}: ${seen.join('; ')}.`, { hint: INSTALL_HINT });
}

export function pythonRoutesTarget(stack: PythonStack): AsgiTarget {
  return { kind: 'asgi', name: 'python-routes', stack, app: 'starve_lab_real.app:app', pythonPath: [...stack.sitePath, PYTHON_DIR], userApp: false };
}

const APP_REFERENCE = /^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$/;

/**
 * The user's own ASGI app (`module:attribute`), imported from `appDir`. Checked before anything starts:
 * the reference's shape, the directory, and that the module imports and has the attribute.
 */
export function pythonAppTarget(stack: PythonStack, app: string, appDir: string | undefined): AsgiTarget {
  if (!APP_REFERENCE.test(app)) throw new StarveError('BAD_ARGUMENT', `Expected --app to be module:attribute (as gunicorn takes it, e.g. \`main:app\`), got \`${app}\`.`);
  const dir = resolve(appDir ?? '.');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new StarveError('BAD_ARGUMENT', `--app-dir ${dir} is not a directory.`);
  const [module = '', attribute = ''] = app.split(':');
  // Imported and looked up as gunicorn will, then checked to be callable: an ASGI app is `async def
  // app(scope, receive, send)` or an object (a framework's app) with such a __call__.
  const script = [
    'import sys, importlib',
    'sys.path.insert(0, sys.argv[1])',
    'app = getattr(importlib.import_module(sys.argv[2]), sys.argv[3])',
    'if not callable(app): raise SystemExit("TypeError: %s:%s is a %s, not an ASGI app (async def app(scope, receive, send))" % (sys.argv[2], sys.argv[3], type(app).__name__))',
  ].join('\n');
  const check = spawnSync(stack.python, ['-c', script, dir, module, attribute], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, PYTHONPATH: [...stack.sitePath, PYTHON_DIR].join(':') } });
  if (check.status !== 0) {
    const last = printable(check.stderr).trim().split('\n').pop() ?? 'it did not import';
    throw new StarveError('BAD_ARGUMENT', `--app ${app} cannot be loaded from ${dir}: ${last}`, { hint: 'Check the module name, the attribute and --app-dir (the directory the module is imported from).' });
  }
  return { kind: 'asgi', name: 'python-app', stack, app, pythonPath: [...stack.sitePath, PYTHON_DIR, dir], userApp: true };
}

/**
 * The real uvicorn as a container (python/starve_lab_real/container.py): plain uvicorn, no gunicorn,
 * as an ASGI app is usually deployed in a pod; a process target, so the kubelet runs it like any
 * worker. Its app is starve-lab's routes app, or the user's (`asgi`'s app and path).
 */
export function pythonContainerTarget(asgi: AsgiTarget): ProcessTarget {
  return {
    kind: 'process',
    name: `uvicorn ${asgi.app}`,
    launchWorker({ plan, strategy, tracePath, originNs }) {
      const env: Record<string, string> = {
        PYTHONPATH: asgi.pythonPath.join(':'),
        PYTHONUNBUFFERED: '1',
        STARVE_LAB_TRACE: tracePath,
        STARVE_LAB_ORIGIN_NS: originNs.toString(),
        STARVE_LAB_LOOP: plan.scenario.loop,
        STARVE_LAB_HTTP: plan.scenario.http,
        STARVE_LAB_KEEP_ALIVE_S: String(plan.timing.keepAliveMs / 1000),
        STARVE_LAB_APP: asgi.app,
        STARVE_LAB_NOTIFIER: strategy,
        STARVE_LAB_MAX_BLOCK_MS: String(2 * plan.timing.durationMs),
        STARVE_LAB_HEALTH: JSON.stringify(workerHealthFor(plan, strategy)),
        ...(asgi.userApp ? { STARVE_LAB_USER_APP: '1' } : {}),
      };
      return { command: asgi.stack.python, args: ['-m', 'starve_lab_real.container'], env };
    },
  };
}
