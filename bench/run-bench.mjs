#!/usr/bin/env node
// Benchmarks (not part of `npm test`): prints figures and ratios, asserts nothing.
//   node bench/run-bench.mjs [--skip-real] [--skip-real-stack]
// 1. time to a trustworthy verdict for the default run of cpu-burst (its strategies laid out as on this
//    machine, a contended one run again alone) at real timing, at the CI time scale (0.1) and at 0.05,
//    and on the real gunicorn + uvicorn stack (real timing only), as ratios;
// 2. the worker's instrumentation cost: throughput of the non-blocking route with the worker's trace
//    on and off, as a ratio, measured in the same invocation (alternating, 3 pairs);
// 3. trace size per worker-minute;
// 4. what --stacks costs while nobody is killed: the same throughput with the capture thread on and off.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const cli = fileURLToPath(new URL('../bin/starve-lab.js', import.meta.url));
const throughputScenario = fileURLToPath(new URL('./throughput.json', import.meta.url));
const { values } = parseArgs({ options: { 'skip-real': { type: 'boolean' }, 'skip-real-stack': { type: 'boolean' } } });
const out = mkdtempSync(join(tmpdir(), 'starve-lab-bench-'));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Completed requests per second of each strategy's worker in a throughput run. */
function throughput(extraArgs, env) {
  const { report } = run([throughputScenario, ...extraArgs], env);
  const seconds = report.params.observedMs / 1000;
  return report.strategies.map((s) => s.requests.completed / seconds);
}

function run(args, env = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [cli, 'run', ...args, '--out', out, '--quiet', '--json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', ...env } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`starve-lab run ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { seconds, report: JSON.parse(result.stdout) };
}

/** Whether a verdict can be trusted: how the strategies ran, which ran again, which stayed contended. */
function trust(report) {
  const contended = report.strategies.filter((s) => s.contention?.contended === true).map((s) => s.name);
  const again = report.params.rerunAlone ?? [];
  return `strategies ${report.params.layout}${again.length > 0 ? `, ${again.join(', ')} ran again alone` : ''}, ${contended.length === 0 ? 'trusted' : `UNTRUSTED: ${contended.join(', ')} contended`}`;
}

function latestRunDir(scenario) {
  const dir = join(out, scenario);
  return join(dir, readdirSync(dir).sort().at(-1));
}

console.log(`starve-lab benchmarks on ${process.platform} ${process.arch}, Node ${process.version}\n`);

// 1. Time to verdict.
const scales = values['skip-real'] ? ['0.1', '0.05'] : ['1', '0.1', '0.05'];
const times = {};
for (const scale of scales) {
  const { seconds, report } = run(['cpu-burst', '--time-scale', scale]);
  times[scale] = seconds;
  console.log(`time to verdict, cpu-burst at time scale ${scale}: ${seconds.toFixed(1)} s (${report.verdict}; ${trust(report)})`);
}
if (times['1'] !== undefined) console.log(`  speed-up at 0.1: ${(times['1'] / times['0.1']).toFixed(1)}x, at 0.05: ${(times['1'] / times['0.05']).toFixed(1)}x`);
{
  // Where the time of the fastest verdict goes: the load itself, and what does not scale around it.
  // One at a time, each strategy's trace has its own origin (its boot): its start-up and its load add up.
  const dir = latestRunDir('cpu-burst');
  const runParams = JSON.parse(readFileSync(join(dir, 'params.json'), 'utf8'));
  let startUp = 0;
  let load = 0;
  for (const strategy of runParams.scenario.strategies) {
    const events = readFileSync(join(dir, strategy, 'trace.jsonl'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
    const loadStart = events.find((e) => e.type === 'load-start')?.t ?? 0;
    const loadEnd = events.find((e) => e.type === 'load-end')?.t ?? 0;
    if (runParams.sequential) startUp += loadStart;
    else startUp = Math.max(startUp, loadStart);
    if (runParams.sequential) load += loadEnd - loadStart;
    else load = Math.max(load, loadEnd - loadStart);
  }
  const labMs = Date.parse(runParams.finishedAt) - Date.parse(runParams.startedAt);
  const total = times['0.05'] * 1000;
  const parts = [
    ['the CLI outside the lab (Node start-up, checks, report)', total - labMs],
    [`lab start-up until the load runs${runParams.sequential ? ', per strategy, added' : ''}`, startUp],
    [`the load (75 s x 0.05${runParams.sequential ? ', per strategy' : ''})`, load],
    ['stopping every process after each load', labMs - startUp - load],
  ];
  console.log(`  where the ${(total / 1000).toFixed(1)} s at 0.05 go: ${parts.map(([what, ms]) => `${what} ${(ms / 1000).toFixed(2)} s (${((ms / total) * 100).toFixed(0)}%)`).join('; ')}`);
}
if (!values['skip-real-stack']) {
  const { seconds, report } = run(['cpu-burst', '--stack', 'real']);
  const outcomes = report.strategies.map((s) => `${s.name} ${s.outcome}`).join(', ');
  console.log(`time to verdict, cpu-burst on the real stack (gunicorn ${report.params.versions.gunicorn} + uvicorn ${report.params.versions.uvicorn}): ${seconds.toFixed(1)} s (${report.verdict}: ${outcomes}; ${trust(report)})`);
  const atOne = times['1'] === undefined ? '' : `model at scale 1: ${(seconds / times['1']).toFixed(2)}x; `;
  console.log(`  real stack / ${atOne}model at 0.1: ${(seconds / times['0.1']).toFixed(1)}x; model at 0.05: ${(seconds / times['0.05']).toFixed(1)}x`);
}

// 3. Trace size per worker-minute, from the last cpu-burst run.
const runDir = latestRunDir('cpu-burst');
const params = JSON.parse(readFileSync(join(runDir, 'params.json'), 'utf8'));
for (const strategy of params.scenario.strategies) {
  const bytes = statSync(join(runDir, strategy, 'trace.jsonl')).size;
  const workerMinutes = (params.scenario.durationMs / 60_000) * params.scenario.workers;
  console.log(`trace size, cpu-burst ${strategy}: ${(bytes / 1024).toFixed(0)} KiB for ${workerMinutes.toFixed(2)} worker-minutes = ${(bytes / 1024 / workerMinutes).toFixed(0)} KiB per worker-minute`);
}

// 2. Instrumentation cost: alternate traced and untraced runs so drift hits both alike.
const rates = { on: [], off: [], stacks: [] };
for (let pair = 0; pair < 3; pair++) {
  rates.on.push(...throughput([], { STARVE_LAB_WORKER_TRACE: 'on' }));
  rates.off.push(...throughput([], { STARVE_LAB_WORKER_TRACE: 'off' }));
  rates.stacks.push(...throughput(['--stacks'], { STARVE_LAB_WORKER_TRACE: 'on' }));
}
const on = median(rates.on);
const off = median(rates.off);
const stacks = median(rates.stacks);
console.log(`throughput of the non-blocking route, 10 clients, median of 6 workers: traced ${on.toFixed(0)} req/s, untraced ${off.toFixed(0)} req/s`);
console.log(`  traced / untraced: ${(on / off).toFixed(3)} (instrumentation cost ${((1 - on / off) * 100).toFixed(1)}%)`);
console.log(`  with --stacks: ${stacks.toFixed(0)} req/s, ${(stacks / on).toFixed(3)} of traced without it`);
