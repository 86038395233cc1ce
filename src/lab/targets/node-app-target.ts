// The user's own Node app as a target (--app ./server.mjs): their unmodified HTTP server, started under
// starve-lab's preload agent (agent/agent.ts), which binds it where the supervisor says, traces its
// requests and loop, and answers the strategy's heartbeat rule or health strategy. Before anything
// starts, the app is tried once on its own (preflight), so one that is missing, throws at start-up or
// never listens is refused with one clear line.

import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { StarveError } from '../../errors.js';
import { printable } from '../../report/escape.js';
import { WORKER_CONFIG_ENV } from '../ipc/child-config.js';
import { killGroup } from '../spawn-child.js';
import { workerConfigFor } from './model-target.js';
import type { ProcessTarget } from './types.js';

const AGENT_URL = pathToFileURL(fileURLToPath(new URL('../../agent/agent.js', import.meta.url))).href;
const PREFLIGHT_ENV = 'STARVE_LAB_AGENT_PREFLIGHT';
/** How long the app gets to listen in the preflight (real time). */
export const PREFLIGHT_TIMEOUT_MS = 15_000;
/** After a non-HTTP server listened, how long an http.Server still has to follow. */
const OTHER_LISTEN_GRACE_MS = 2000;

/** A `--app` that names a JavaScript file (else it is a Python module:attribute). */
export function isNodeApp(app: string): boolean {
  return /\.(mjs|cjs|js)$/.test(app);
}

export function nodeAppTarget(appFile: string): ProcessTarget {
  const file = resolve(appFile);
  return {
    kind: 'process',
    name: `node app ${appFile}`,
    launchWorker(context) {
      return { command: process.execPath, args: ['--import', AGENT_URL, file], env: { ...context.extraEnv, [WORKER_CONFIG_ENV]: JSON.stringify(workerConfigFor(context)) } };
    },
  };
}

function refuse(appFile: string, why: string, hint: string): StarveError {
  return new StarveError('BAD_ARGUMENT', `--app ${appFile}: ${why}`, { hint: `${hint} Nothing was started.` });
}

/** The last meaningful line of what the app printed (its error), for the one-line refusal. */
function lastError(stderr: string): string {
  const lines = printable(stderr).split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('at ') && !line.startsWith('Node.js v'));
  const error = lines.reverse().find((line) => /Error|error|throw/.test(line)) ?? lines[0];
  return error ?? 'no output';
}

/**
 * Starts the app once on a free loopback port under the agent; resolves when it listened, rejects with
 * why it did not. The app runs in a process group of its own, ended whole (a helper it spawned goes
 * with it); an abort (Ctrl-C) ends it at once and rejects.
 */
export function preflightNodeApp(appFile: string, signal?: AbortSignal): Promise<void> {
  const file = resolve(appFile);
  if (!existsSync(file)) return Promise.reject(refuse(appFile, 'no such file.', 'Give the path to your server\'s entry file (e.g. ./server.mjs).'));
  if (!statSync(file).isFile()) return Promise.reject(refuse(appFile, 'not a file.', 'Give the path to your server\'s entry file (e.g. ./server.mjs).'));
  return new Promise((resolvePreflight, reject) => {
    const child = spawn(process.execPath, ['--import', AGENT_URL, file], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: { ...process.env, [PREFLIGHT_ENV]: '1' }, detached: true });
    let stderr = '';
    let settled = false;
    const onAbort = (): void => settle(new StarveError('INTERRUPTED', `--app ${appFile}: interrupted while trying the app.`, { hint: 'Nothing was started.' }));
    const settle = (error: StarveError | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // The whole group, even after a clean exit: a helper the app spawned outlives its parent otherwise.
      killGroup(child, 'SIGKILL');
      if (error === null) resolvePreflight();
      else reject(error);
    };
    const timer = setTimeout(() => settle(refuse(appFile, `it did not listen within ${PREFLIGHT_TIMEOUT_MS / 1000} s.`, 'Your server must call listen() on an http.Server (node:http, Express, Fastify) when it starts.')), PREFLIGHT_TIMEOUT_MS);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted === true) onAbort();
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)));
    child.on('message', (message: { type?: string; asked?: string }) => {
      if (message.type === 'preflight') settle(null);
      // Listening elsewhere, with something that is not an http.Server: give it a moment to add one, then refuse.
      if (message.type === 'preflight-other') {
        setTimeout(() => settle(refuse(appFile, `it listens on ${message.asked ?? 'a port'} with a server that is not an http.Server (node:net or a custom one), which starve-lab cannot drive.`, 'Serve HTTP with node:http (or Express, Fastify, which use it).')), OTHER_LISTEN_GRACE_MS);
      }
    });
    child.on('error', (error) => settle(refuse(appFile, `could not start node: ${error.message}.`, 'Check the file.')));
    child.on('exit', (code, signal) => {
      // A clean exit after its preflight message is the agent's own.
      if (settled) return;
      const how = signal !== null ? `was killed by ${signal}` : code === 0 ? 'exited without listening' : `exited with code ${code ?? '?'}`;
      settle(refuse(appFile, `it ${how} at start-up: ${lastError(stderr)}`, 'Run it with node yourself to see the whole error.'));
    });
  });
}
