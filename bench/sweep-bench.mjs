#!/usr/bin/env node
// The sweep's benchmark (not part of `npm test`): prints figures and ratios, asserts nothing.
//   node bench/sweep-bench.mjs
// The same small sweep (2 x 2 cells x 2 strategies, cpu-burst at time scale 0.1) twice: one run at a
// time, then the default (one per core, lowered when the host is found contended). Figures:
//   - cells per minute, against the ideal for this machine's cores: every core busy with runs and
//     nothing else (cores x 60 s / one cell's run time, measured alone);
//   - the sweep's own overhead: time in which no run was going (planning, between runs, the envelope),
//     as a share of the sweep's wall time;
//   - each run's cost outside its load: start-up and reports against the load's scaled duration.
// Run it on a quiet machine: two sweeps at once would measure each other.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../bin/starve-lab.js', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'starve-lab-sweep-bench-'));
const cores = availableParallelism();
const TIME_SCALE = 0.1;
const DURATION_S = 40;
const SWEEP = ['sweep', 'cpu-burst', '--strategies', 'tick-count,wall-clock', '--vary', 'clients=1,2', '--vary', 'cpu=500ms,2s', '--duration', String(DURATION_S), '--time-scale', String(TIME_SCALE), '--max-repeat', '1', '--quiet', '--json'];

function sweep(name, extra) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [cli, ...SWEEP, ...extra, '--out', join(out, name)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`starve-lab ${SWEEP.join(' ')} ${extra.join(' ')} exited ${result.status}: ${result.stderr}`);
  const envelope = JSON.parse(result.stdout);
  return { wallMs, envelope, cellsPerMinute: envelope.cells.length / (wallMs / 60_000) };
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;
console.log(`starve-lab sweep benchmark on ${process.platform} ${process.arch}, ${cores} cores, Node ${process.version}`);
console.log(`sweep: 4 cells x 2 strategies of cpu-burst, ${DURATION_S} s of load each at time scale ${TIME_SCALE}\n`);

const alone = sweep('parallel-1', ['--parallel', '1']);
const cellMs = alone.envelope.timing.runMs / alone.envelope.cells.length;
const ideal = (cores * 60_000) / cellMs;
const loadMs = DURATION_S * 1000 * TIME_SCALE;
const perRunMs = alone.envelope.timing.runMs / alone.envelope.timing.runs;
console.log(`one cell's runs, alone: ${(cellMs / 1000).toFixed(1)} s; ideal for ${cores} cores: ${ideal.toFixed(1)} cells/min`);
console.log(`each run: ${(perRunMs / 1000).toFixed(2)} s for ${(loadMs / 1000).toFixed(1)} s of load (start-up, stop and report: ${pct((perRunMs - loadMs) / perRunMs)} of it)\n`);

const shared = sweep('parallel-default', []);
for (const [label, s] of [['--parallel 1', alone], ['default (one per core)', shared]]) {
  const t = s.envelope.timing;
  const c = s.envelope.contention;
  console.log(`${label}: ${s.envelope.cells.length} cells, ${t.runs} runs in ${(s.wallMs / 1000).toFixed(1)} s = ${s.cellsPerMinute.toFixed(1)} cells/min = ${pct(s.cellsPerMinute / ideal)} of ideal`);
  console.log(`  the sweep's own time with no kept run going (runs thrown away as contended count here): ${(t.overheadMs / 1000).toFixed(2)} s = ${pct(t.overheadMs / t.wallMs)} of its wall time (process start ${((s.wallMs - t.wallMs) / 1000).toFixed(2)} s more)`);
  console.log(`  parallelism ${c.parallelRequested} → ${c.parallelFinal}; runs thrown away as contended: ${c.discardedRuns}; kept on a contended host: ${c.contendedRuns}`);
}
console.log(`\ndefault vs one at a time: ${(shared.cellsPerMinute / alone.cellsPerMinute).toFixed(2)}x the cells per minute`);
rmSync(out, { recursive: true, force: true });
