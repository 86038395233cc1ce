// Twenty-odd interruptions, as users and CI runners deliver them: SIGINT, SIGTERM and SIGKILL, sent to
// the CLI, to its whole process group (a terminal's Ctrl-C, a runner killing the job), to the `npx`
// wrapper in front of it, or to the wrapper's group, while the lab boots and while the load runs.
// After each: no process of the run is left, no half-written file, and a run that did not finish is
// never reported as complete. (SIGINT to the npx process alone is left out: npm forwards it to the
// `sh -c` it runs the bin through, and that shell holds it until its command ends: npm's behaviour,
// which no process below it can see; the README says so.)

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/build-report.js';
import { CLI, descendants, isAlive, runCli, waitUntil, warmNpx } from '../helpers/run-cli.js';

const REPO = dirname(dirname(CLI));
const out = mkdtempSync(join(tmpdir(), 'starve-lab-matrix-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

type Target = 'cli' | 'group' | 'npx' | 'npx-group';
type Moment = 'booting' | 'loaded';

/** Starts a run the way `target` implies, in its own process group; resolves when `moment` is reached. */
function start(target: Target, scenarioOut: string): { root: ChildProcess; reached: (moment: Moment) => Promise<void>; closed: Promise<void> } {
  const args = ['run', 'cpu-burst', '--time-scale', '0.1', '--duration', '300', '--out', scenarioOut];
  const root =
    target === 'npx' || target === 'npx-group'
      ? spawn('npx', ['--no-install', 'starve-lab', ...args], { cwd: REPO, detached: true, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, [CLI, ...args], { detached: true, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  root.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const waiter of waiters) if (stderr.includes(waiter.text)) waiter.resolve();
  });
  root.stdout?.resume();
  const closed = new Promise<void>((resolve) => root.on('close', () => resolve()));
  const reached = (moment: Moment) =>
    new Promise<void>((resolve, reject) => {
      const text = moment === 'booting' ? 'run directory' : 'load running';
      if (stderr.includes(text)) return resolve();
      waiters.push({ text, resolve });
      root.on('close', () => reject(new Error(`the run ended before "${text}": ${stderr}`)));
    });
  return { root, reached, closed };
}

function send(target: Target, root: ChildProcess, signal: NodeJS.Signals): void {
  const pid = root.pid ?? -1;
  if (target === 'group' || target === 'npx-group') process.kill(-pid, signal);
  else process.kill(pid, signal);
}

const CASES: Array<[NodeJS.Signals, Target, Moment]> = [];
for (const signal of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
  for (const target of ['cli', 'group', 'npx', 'npx-group'] as const) {
    if (signal === 'SIGINT' && target === 'npx') continue;
    for (const moment of ['booting', 'loaded'] as const) CASES.push([signal, target, moment]);
  }
}
// Two more that users do: Ctrl-C pressed twice, and SIGTERM straight after SIGINT to the wrapper.
const DOUBLE: Array<[NodeJS.Signals, NodeJS.Signals, Target]> = [
  ['SIGINT', 'SIGINT', 'group'],
  ['SIGINT', 'SIGTERM', 'npx'],
];

async function interrupt(signals: NodeJS.Signals[], target: Target, moment: Moment, name: string): Promise<void> {
  const scenarioOut = join(out, name);
  const run = start(target, scenarioOut);
  await run.reached(moment);
  if (moment === 'loaded') await new Promise((resolve) => setTimeout(resolve, 500));
  const everything = [run.root.pid ?? -1, ...descendants(run.root.pid ?? -1)];
  for (const signal of signals) {
    send(target, run.root, signal);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await run.closed;
  const gone = await waitUntil(() => everything.every((pid) => !isAlive(pid)), 10_000);
  expect(everything.filter(isAlive), `${name}: processes left`).toEqual([]);
  expect(gone).toBe(true);
  // Whatever was written is whole, and says the run did not finish.
  const runs = existsSync(join(scenarioOut, 'cpu-burst')) ? readdirSync(join(scenarioOut, 'cpu-burst')) : [];
  expect(runs.length, `${name}: one run directory`).toBe(1);
  const runDir = join(scenarioOut, 'cpu-burst', runs[0] ?? 'missing');
  expect(readdirSync(runDir).filter((file) => file.endsWith('.tmp'))).toEqual([]);
  if (existsSync(join(runDir, 'report.json'))) {
    expect((JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report).interrupted, `${name}: report.json`).toBe(true);
  }
  if (existsSync(join(runDir, 'params.json'))) {
    const rebuilt = await runCli(['report', runDir, '--json']);
    // What it traced is partial, never refused: a missing trace is a trace problem, and the report says interrupted.
    expect(rebuilt.code, `${name}: report ${rebuilt.stderr}`).not.toBe(2);
    expect((JSON.parse(rebuilt.stdout) as Report).interrupted, `${name}: rebuilt report`).toBe(true);
  }
}

describe('interruptions leave nothing behind', () => {
  // npx's first use of the package happens here, whole, before any signal (run-cli.ts, warmNpx).
  beforeAll(warmNpx);

  it.each(CASES)('%s to the %s while %s', async (signal, target, moment) => {
    await interrupt([signal], target, moment, `${signal}-${target}-${moment}`);
  }, 60_000);

  it.each(DOUBLE)('%s then %s to the %s', async (first, second, target) => {
    await interrupt([first, second], target, 'loaded', `${first}-${second}-${target}`);
  }, 60_000);
});
