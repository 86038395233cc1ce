// `init --from`: the user's deployment (a gunicorn or uvicorn command line, a gunicorn config file, a
// Kubernetes manifest) read and turned into validated scenarios, one per killer it has, with a note
// for every setting. Nothing is written here: the caller writes the scenarios (library or CLI).

import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { deploymentToScenarios, type DeploymentScenarios, type InitLoad } from '../deployment/deployment-to-scenario.js';
import { readManifest } from '../deployment/read-manifest.js';
import { readGunicornArgs, readUvicornArgs } from '../deployment/read-server-settings.js';
import { findServerCommand, findServerInLine, type ServerCommand } from '../deployment/server-command.js';
import type { ManifestContainer, ServerSettings, SettingNote } from '../deployment/types.js';
import { StarveError } from '../errors.js';
import { readGunicornConfig } from '../lab/deployment/read-gunicorn-config.js';
import { describeProblems } from '../scenario/describe-problems.js';
import type { Scenario } from '../scenario/types.js';
import { validateScenario } from '../scenario/validate-scenario.js';

export interface InitOptions {
  /** The container to reproduce when a manifest has several (`web` or `Deployment/api/web`). */
  container?: string | undefined;
  /** The scenario's name (default: from the workload, the config file or the server). */
  name?: string | undefined;
  load: InitLoad;
  /** Where relative paths are resolved (default: the process's). */
  cwd?: string | undefined;
}

export interface InitResult {
  /** What was read: `a Kubernetes manifest`, `a gunicorn config file`, `a gunicorn command line`. */
  readAs: string;
  origin: string;
  scenarios: Array<{ killer: DeploymentScenarios['scenarios'][number]['killer']; scenario: Scenario; file: Record<string, unknown> }>;
  notes: SettingNote[];
}

const NAME = /[^A-Za-z0-9._-]+/g;
const safeName = (text: string): string => text.replace(NAME, '-').replace(/^[.-]+/, '').slice(0, 80) || 'deployment';

/** A gunicorn command's settings: its own arguments, and its -c file through gunicorn's loader when the file is here. */
function gunicornFrom(command: ServerCommand, baseDir: string, notes: SettingNote[]): { settings: ServerSettings; version: string | null } {
  const parsed = readGunicornArgs(command.argv);
  if (parsed.configFile === null) return { settings: { server: 'gunicorn', settings: parsed, source: 'command line' }, version: null };
  const file = resolve(baseDir, parsed.configFile);
  if (!existsSync(file)) {
    notes.push({ setting: 'gunicorn -c (config)', value: parsed.configFile, fate: 'not mapped', effect: `not found here (${file}): it is in your image; the command line's own settings were used, gunicorn's defaults for the rest. Give the file with --from to read it` });
    return { settings: { server: 'gunicorn', settings: parsed, source: 'command line' }, version: null };
  }
  // gunicorn itself: the file, then the command line over it.
  const argv = command.argv.map((word) => (word === parsed.configFile ? file : word));
  const read = readGunicornConfig(argv, file);
  notes.push({ setting: 'gunicorn -c (config)', value: parsed.configFile, fate: 'used', effect: `read with gunicorn ${read.version}'s own loader, the command line over it` });
  return { settings: { server: 'gunicorn', settings: { ...read.settings, app: parsed.app, other: [...parsed.other, ...read.settings.other] }, source: file }, version: read.version };
}

function serverSettings(command: ServerCommand, baseDir: string, notes: SettingNote[]): { settings: ServerSettings; version: string | null } {
  if (command.server === 'gunicorn') return gunicornFrom(command, baseDir, notes);
  return { settings: { server: 'uvicorn', settings: readUvicornArgs(command.argv), source: 'command line' }, version: null };
}

function looksLikeManifest(text: string): boolean {
  return /^\s*(apiVersion|kind)\s*:/m.test(text) || /"(apiVersion|kind)"\s*:/.test(text);
}

function readInput(from: string, options: InitOptions): { readAs: string; origin: string; name: string; server: ServerSettings | null; container: ManifestContainer | null; version: string | null; notes: SettingNote[] } {
  const cwd = options.cwd ?? process.cwd();
  const notes: SettingNote[] = [];
  const path = resolve(cwd, from);
  const isFile = from.trim() !== '' && !/\s/.test(from.trim()) && existsSync(path) && statSync(path).isFile();
  if (isFile) {
    const size = statSync(path).size;
    if (size > 5 * 1024 * 1024) throw new StarveError('BAD_ARGUMENT', `${from} is ${(size / 1024 / 1024).toFixed(0)} MB: no deployment file is that large.`, { hint: 'Give the manifest, config file or command line of the one deployment to reproduce.' });
    const text = readFileSync(path, 'utf8');
    const ext = extname(path).toLowerCase();
    if (ext === '.py' || /^gunicorn(\.conf)?(\.py)?$/.test(basename(path))) {
      const read = readGunicornConfig(['-c', path], from);
      notes.push({ setting: 'gunicorn config file', value: from, fate: 'used', effect: `read with gunicorn ${read.version}'s own loader` });
      return { readAs: 'a gunicorn config file', origin: from, name: safeName(basename(path).replace(/\.py$/, '').replace(/\.conf$/, '')), server: { server: 'gunicorn', settings: read.settings, source: from }, container: null, version: read.version, notes };
    }
    if (['.yaml', '.yml', '.json'].includes(ext) || looksLikeManifest(text)) {
      if (!looksLikeManifest(text)) throw new StarveError('BAD_ARGUMENT', `${from} is neither a Kubernetes manifest (it has no apiVersion or kind) nor a gunicorn config file.`, { hint: 'Give a Deployment, StatefulSet, DaemonSet or Pod manifest, a gunicorn.conf.py, or a command line in quotes.' });
      const container = readManifest(text, from, options.container ?? null);
      const command = container.commandLine === null ? null : findServerCommand(container.commandLine);
      const server = command === null ? null : serverSettings(command, dirname(path), notes);
      const workloadName = container.workload.split('/')[1] ?? container.name;
      return { readAs: 'a Kubernetes manifest', origin: `${from} (${container.workload}, container ${container.name})`, name: safeName(workloadName), server: server?.settings ?? null, container, version: server?.version ?? null, notes };
    }
    // A Procfile line or a file holding a command line.
    const line = text.split('\n').map((l) => l.replace(/^\s*[\w-]+:\s+(?=\S)/, '').trim()).find((l) => findServerInLine(l) !== null);
    if (line === undefined) throw new StarveError('BAD_ARGUMENT', `${from} has no gunicorn or uvicorn command line, and is neither a Kubernetes manifest (.yaml) nor a gunicorn config file (.py).`, { hint: 'Give the manifest, the config file, or the command line itself in quotes.' });
    return fromCommandLine(line, from, dirname(path), notes);
  }
  if (options.container !== undefined) throw new StarveError('BAD_ARGUMENT', '--container picks a container of a Kubernetes manifest, and --from is not one.', { hint: 'Drop --container, or give the manifest with --from.' });
  return fromCommandLine(from, `\`${from.trim().length > 120 ? `${from.trim().slice(0, 117)}...` : from.trim()}\``, cwd, notes);
}

function fromCommandLine(text: string, origin: string, baseDir: string, notes: SettingNote[]): ReturnType<typeof readInput> {
  const command = findServerInLine(text);
  if (command === null) {
    const looksLikePath = !/\s/.test(text.trim());
    throw new StarveError('BAD_ARGUMENT', looksLikePath ? `${text} is not a file, nor a gunicorn or uvicorn command line.` : `No gunicorn or uvicorn command in \`${text.slice(0, 200)}\`.`, {
      hint: 'Give a Kubernetes manifest, a gunicorn config file, or the server\'s command line in quotes: --from "gunicorn main:app -k uvicorn.workers.UvicornWorker -w 4 --timeout 60".',
    });
  }
  const server = serverSettings(command, baseDir, notes);
  return { readAs: `a ${command.server} command line`, origin, name: command.server, server: server.settings, container: null, version: server.version, notes };
}

/** Reads the deployment and builds its scenarios, each validated as a scenario file is; refuses bad input before anything is written. */
export function initFromDeployment(from: string, options: InitOptions): InitResult {
  const input = readInput(from, options);
  const name = options.name === undefined ? input.name : safeName(options.name);
  const built = deploymentToScenarios({ name, origin: input.origin, server: input.server, container: input.container, gunicornVersion: input.version }, options.load);
  const notes = [...input.notes, ...built.notes];
  const scenarios = built.scenarios.map(({ killer, scenario }) => {
    const { name: scenarioName, ...rest } = scenario;
    const file = { name: scenarioName, description: describeDeployment(input.readAs, input.origin, killer, notes), ...rest };
    const check = validateScenario(file);
    if (!check.ok) throw describeProblems(`the scenario for ${input.origin}`, check.problems);
    return { killer, scenario: check.scenario, file };
  });
  return { readAs: input.readAs, origin: input.origin, scenarios, notes };
}

const KILLER_WORDING = { gunicorn: "gunicorn's master, judging each worker's heartbeat against --timeout", uvicorn: "uvicorn's process manager, pinging each child", kubelet: "the kubelet's liveness probe on the container", pod: "both at once, nested: the kubelet's liveness probe on a container that is the master (gunicorn's or uvicorn's) with its workers (the report says which killer struck first)" } as const;

/** The scenario's description: what it reproduces, then every setting and what became of it. */
function describeDeployment(readAs: string, origin: string, killer: keyof typeof KILLER_WORDING, notes: readonly SettingNote[]): string {
  const lines = notes.map((n) => `${n.setting}${n.value === '' ? '' : ` = ${n.value}`}: ${n.fate}${n.effect === '' ? '' : ` (${n.effect})`}`);
  return `Written by starve-lab init from ${readAs}, ${origin}: ${KILLER_WORDING[killer]}. Settings: ${lines.join('; ')}.`;
}
