// A gunicorn config file read by the real gunicorn's own loader (python/starve_lab_real/read_gunicorn_config.py):
// config files are Python, and only gunicorn knows what one means (computed values, env lookups, imports).
// The first interpreter with gunicorn is used; without one the file is refused with the reason.

import { spawnSync } from 'node:child_process';
import { z } from 'zod';
import { StarveError } from '../../errors.js';
import { printable } from '../../report/escape.js';
import { pythonCandidates } from '../../stacks/python-candidates.js';
import type { GunicornSettings } from '../../deployment/types.js';
import { PYTHON_DIR } from '../targets/python-target.js';

const setting = <T extends z.ZodTypeAny>(value: T) => z.object({ value, set: z.boolean() });
const readout = z.object({
  gunicorn: z.string(),
  settings: z.object({
    worker_class: setting(z.string()),
    workers: setting(z.number()),
    timeout: setting(z.number()),
    keepalive: setting(z.number()),
    graceful_timeout: setting(z.number()),
    threads: setting(z.number()),
    bind: setting(z.array(z.string())),
  }),
});

export interface GunicornConfigReadout {
  version: string;
  settings: GunicornSettings;
}

/** The settings gunicorn would run with, given its own arguments (`-c FILE` and the rest of a command line). */
export function readGunicornConfig(args: readonly string[], file: string, env: NodeJS.ProcessEnv = process.env): GunicornConfigReadout {
  const tried: string[] = [];
  for (const python of pythonCandidates(env)) {
    const result = spawnSync(python, ['-m', 'starve_lab_real.read_gunicorn_config', ...args], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...env, PYTHONPATH: PYTHON_DIR, PYTHONDONTWRITEBYTECODE: '1' },
    });
    if (result.error !== undefined || result.status === 3) {
      tried.push(`${python}: ${result.error === undefined ? 'no gunicorn' : 'not runnable'}`);
      continue;
    }
    if (result.status !== 0) {
      const lines = printable(result.stderr).trim().split('\n').filter((line) => line.trim() !== '');
      const reason = lines.filter((line) => !line.startsWith('Traceback') && !line.startsWith('  ')).slice(-1)[0] ?? `gunicorn exited with ${String(result.status ?? result.signal)}`;
      throw new StarveError('INVALID_SCENARIO', `gunicorn cannot read ${file}: ${reason}`, { hint: `gunicorn itself would refuse to start with it (gunicorn --check-config -c ${file} says the same).` });
    }
    let decoded: z.infer<typeof readout>;
    try {
      decoded = readout.parse(JSON.parse(result.stdout));
    } catch {
      throw new StarveError('INVALID_SCENARIO', `gunicorn read ${file} but its settings came back in a shape starve-lab does not know (gunicorn's worker_class, workers, timeout: are they of the usual types?).`);
    }
    const { settings } = decoded;
    return {
      version: decoded.gunicorn,
      settings: {
        workerClass: settings.worker_class.value,
        workers: settings.workers.value,
        timeoutS: settings.timeout.value,
        keepaliveS: settings.keepalive.value,
        gracefulTimeoutS: settings.graceful_timeout.set ? settings.graceful_timeout.value : null,
        threads: settings.threads.set ? settings.threads.value : null,
        configFile: file,
        app: null,
        other: settings.bind.set ? [`bind ${settings.bind.value.join(', ')}`] : [],
        defaulted: (['workers', 'timeout', 'keepalive'] as const).filter((name) => !settings[name].set),
      },
    };
  }
  throw new StarveError('BAD_ARGUMENT', `Reading ${file} needs the real gunicorn: a config file is Python, and only gunicorn's own loader knows what it means (${tried.join('; ')}).`, {
    hint: 'Install it (sudo apt-get install gunicorn, or point STARVE_LAB_PYTHON at an interpreter that has it), or give the gunicorn command line instead: --from "gunicorn main:app -k uvicorn.workers.UvicornWorker -w 4 --timeout 120".',
  });
}
