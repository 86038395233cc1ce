// `stacks install <name>`: fetches the suite's gunicorn and uvicorn with apt, from the Debian mirror the
// machine already uses, with apt state of its own (the system's sources, lists and Python are never
// touched), unpacks them into starve-lab's cache and checks that the interpreter imports them. Built in
// a staging directory and renamed into place: an interrupted install leaves the previous one, or none.

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findDebianArchive, sourcesForSuite } from '../../decode/apt-sources.js';
import { StarveError } from '../../errors.js';
import { removeAbandonedStaging } from '../stop-children.js';
import { printable } from '../../report/escape.js';
import { aptDir, stacksDir } from '../../stacks/stack-cache.js';
import { encodeStackRecord, STACK_RECORD_FILE, STACK_SITE_DIR, type StackRecord } from '../../stacks/stack-record.js';
import { findStackName, STACK_PACKAGES, stackNames } from '../../stacks/stack-names.js';
import { pythonCandidates } from '../../stacks/python-candidates.js';

const run = promisify(execFile);

/** apt's own directories; a machine without them has no apt to ask. */
const APT_ETC = '/etc/apt';
const UPDATE_TIMEOUT_MS = 5 * 60_000;
const STEP_TIMEOUT_MS = 2 * 60_000;

export interface InstallOptions {
  root: string;
  signal?: AbortSignal;
  onStep?: (step: string) => void;
  env?: NodeJS.ProcessEnv;
}

function sourcesFiles(): Array<{ name: string; text: string }> {
  const files: Array<{ name: string; text: string }> = [];
  const main = join(APT_ETC, 'sources.list');
  if (existsSync(main)) files.push({ name: 'sources.list', text: readFileSync(main, 'utf8') });
  const parts = join(APT_ETC, 'sources.list.d');
  if (existsSync(parts)) for (const name of readdirSync(parts).sort()) files.push({ name, text: readFileSync(join(parts, name), 'utf8') });
  return files;
}

/** apt-get's options for a private state under `dir` (its sources, lists, downloads and dpkg status). */
export function privateAptOptions(dir: string, root: boolean): string[] {
  const options: Record<string, string> = {
    'Dir::Etc::sourcelist': '/dev/null',
    'Dir::Etc::sourceparts': join(dir, 'sources.list.d'),
    'Dir::State': join(dir, 'state'),
    'Dir::State::status': join(dir, 'state', 'status'),
    'Dir::Cache': join(dir, 'cache'),
    'Acquire::Languages': 'none',
    // As root, apt downloads as the _apt user, who cannot write into a private cache under a home directory.
    ...(root ? { 'APT::Sandbox::User': 'root' } : {}),
  };
  return Object.entries(options).flatMap(([key, value]) => ['-o', `${key}=${value}`]);
}

/** `python3-gunicorn_23.0.0-1_all.deb` → its package name and version (apt writes an epoch's colon as %3a). */
export function debFileVersion(file: string): { name: string; version: string } | null {
  const match = /^([a-z0-9][a-z0-9.+-]*)_([^_]+)_[a-z0-9]+\.deb$/.exec(file);
  return match === null ? null : { name: match[1] ?? '', version: decodeURIComponent(match[2] ?? '') };
}

const IMPORT_CHECK = `
import json, sys
import gunicorn, uvicorn
from gunicorn.app.wsgiapp import WSGIApplication
import uvicorn.workers
print(json.dumps({"gunicorn": gunicorn.__version__, "uvicorn": uvicorn.__version__, "site": [p for p in sys.path if p == sys.argv[1]]}))
`;

async function step<T>(what: string, work: () => Promise<T>, hint: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StarveError) throw error;
    const failure = error as Error & { code?: string | number; stderr?: string; killed?: boolean };
    if (failure.name === 'AbortError') throw new StarveError('INTERRUPTED', `${what}: interrupted.`);
    const said = printable(String(failure.stderr ?? '')).trim().split('\n').filter((l) => l.trim() !== '').slice(-3).join(' / ');
    const why = failure.killed === true ? 'it took too long' : failure.code === 'ENOENT' ? 'the program is not installed' : said !== '' ? said : failure.message;
    throw new StarveError('CHILD_FAILED', `${what} failed: ${why}`, { hint });
  }
}

/** Installs (or re-installs) the named stack; returns its record. Nothing of a failed install is kept. */
export async function installStack(name: string, options: InstallOptions): Promise<StackRecord> {
  const known = findStackName(name);
  if (known === undefined) throw new StarveError('BAD_ARGUMENT', `No stack named "${name}"; the stacks are ${stackNames().join(', ')}.`);
  if (known.suite === null) throw new StarveError('BAD_ARGUMENT', `"${name}" is the interpreter's own gunicorn and uvicorn: nothing to install here.`, { hint: 'Install them with: sudo apt-get install gunicorn python3-uvicorn python3-uvloop python3-httptools python3-h11' });
  const suite = known.suite;
  if (!existsSync(APT_ETC)) throw new StarveError('BAD_ARGUMENT', 'stacks install fetches Debian packages with apt, and this machine has no /etc/apt.', { hint: 'Run it on Debian or Ubuntu; elsewhere point STARVE_LAB_PYTHON at an interpreter with the gunicorn and uvicorn you want.' });
  const archive = findDebianArchive(sourcesFiles());
  if (archive === null) throw new StarveError('BAD_ARGUMENT', "None of apt's sources (/etc/apt/sources.list, sources.list.d) is a Debian archive with its main component, so there is no mirror to ask for another suite.", { hint: 'stacks install asks the Debian mirror the machine already uses; add one to apt\'s sources.' });
  const env = options.env ?? process.env;
  const signal = options.signal;
  const say = options.onStep ?? ((): void => {});
  const isRoot = process.getuid?.() === 0;

  const apt = join(aptDir(options.root), suite);
  mkdirSync(join(apt, 'sources.list.d'), { recursive: true });
  mkdirSync(join(apt, 'state', 'lists', 'partial'), { recursive: true });
  mkdirSync(join(apt, 'cache', 'archives', 'partial'), { recursive: true });
  writeFileSync(join(apt, 'sources.list.d', 'debian.sources'), sourcesForSuite(archive, suite));
  if (!existsSync(join(apt, 'state', 'status'))) writeFileSync(join(apt, 'state', 'status'), '');
  const aptOptions = privateAptOptions(apt, isRoot);

  const stacks = stacksDir(options.root);
  mkdirSync(stacks, { recursive: true });
  // What an install killed by SIGKILL left: its staging directory and the stack it was replacing.
  for (const kind of ['installing', 'old']) removeAbandonedStaging(stacks, `.${name}.${kind}-`);
  const staging = join(stacks, `.${name}.installing-${process.pid}`);
  mkdirSync(join(staging, 'debs'), { recursive: true });
  try {
    say(`Reading Debian ${suite}'s package lists (apt, private state in ${apt})`);
    await step(`apt-get update for ${suite}`, () => run('apt-get', [...aptOptions, '-q', 'update'], { signal, timeout: UPDATE_TIMEOUT_MS, env: { ...env, LC_ALL: 'C' } }), 'Check that apt can reach the machine\'s Debian mirror (sudo apt-get update works).');
    say(`Downloading ${STACK_PACKAGES.join(', ')} from ${suite}`);
    await step(`apt-get download from ${suite}`, () => run('apt-get', [...aptOptions, '-q', 'download', ...STACK_PACKAGES], { cwd: join(staging, 'debs'), signal, timeout: STEP_TIMEOUT_MS, env: { ...env, LC_ALL: 'C' } }), `Debian ${suite} may not carry them today; try another stack (${stackNames().join(', ')}).`);
    const debs = readdirSync(join(staging, 'debs')).filter((f) => f.endsWith('.deb')).sort();
    const packages = debs.map(debFileVersion).filter((p): p is { name: string; version: string } => p !== null);
    for (const deb of debs) {
      say(`Unpacking ${deb}`);
      await step(`dpkg-deb -x ${deb}`, () => run('dpkg-deb', ['-x', join(staging, 'debs', deb), join(staging, 'unpacked')], { signal, timeout: STEP_TIMEOUT_MS }), 'dpkg-deb comes with dpkg on every Debian system.');
    }
    const site = join(staging, 'unpacked', 'usr', 'lib', 'python3', 'dist-packages');
    if (!existsSync(site)) throw new StarveError('CHILD_FAILED', `The packages from ${suite} hold no Python modules (usr/lib/python3/dist-packages).`);
    renameSync(site, join(staging, STACK_SITE_DIR));
    rmSync(join(staging, 'unpacked'), { recursive: true, force: true });
    rmSync(join(staging, 'debs'), { recursive: true, force: true });

    const python = pythonCandidates(env)[0] ?? '/usr/bin/python3';
    say(`Checking that ${python} imports them`);
    // Imported from where it will live: the rename below moves it there.
    const checked = await step(`${python} importing gunicorn and uvicorn from ${suite}`, () => run(python, ['-c', IMPORT_CHECK, join(staging, STACK_SITE_DIR)], { signal, timeout: STEP_TIMEOUT_MS, env: { ...env, PYTHONPATH: join(staging, STACK_SITE_DIR), PYTHONDONTWRITEBYTECODE: '1' } }), `A module they need is missing from ${python}: install Debian's package for it (e.g. sudo apt-get install python3-packaging python3-click python3-h11), then install the stack again.`);
    const versions = JSON.parse(checked.stdout) as { gunicorn: string; uvicorn: string };
    const record: StackRecord = { stackRecordVersion: 1, name, suite, installedAt: new Date().toISOString(), packages, python, versions: { gunicorn: versions.gunicorn, uvicorn: versions.uvicorn } };
    writeFileSync(join(staging, STACK_RECORD_FILE), encodeStackRecord(record));
    const target = join(stacks, name);
    const old = join(stacks, `.${name}.old-${process.pid}`);
    if (existsSync(target)) renameSync(target, old);
    renameSync(staging, target);
    rmSync(old, { recursive: true, force: true });
    return record;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
