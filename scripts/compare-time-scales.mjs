#!/usr/bin/env node
// Runs every built-in scenario at real timing and at a compressed scale, one after the other, and
// prints both verdicts side by side. Not part of `npm test`: at real timing it takes about 15 minutes.
//   node scripts/compare-time-scales.mjs [--scale 0.1] [scenario ...]

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const cli = fileURLToPath(new URL('../bin/starve-lab.js', import.meta.url));
const { values, positionals } = parseArgs({ options: { scale: { type: 'string', default: '0.1' } }, allowPositionals: true });
const { builtinScenarioNames } = await import('../dist/io/load-scenario.js');
const names = positionals.length > 0 ? positionals : builtinScenarioNames();
const out = mkdtempSync(join(tmpdir(), 'starve-lab-scales-'));

function run(name, scale) {
  const dest = join(out, scale);
  const result = spawnSync(process.execPath, [cli, 'run', name, '--time-scale', scale, '--out', dest, '--quiet'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (result.status !== 0) return { verdict: `exit ${result.status}`, cells: [] };
  const dir = join(dest, name);
  const report = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0], 'report.json'), 'utf8'));
  const cells = report.strategies.map((s) => `${s.name}: ${s.outcome}${s.kills > 0 ? ` ×${s.kills}` : ''}, max gap ${(s.maxHeartbeatGapMs / 1000).toFixed(1)} s`);
  return { verdict: report.verdict, cells };
}

console.log(`| scenario | real timing (scale 1) | compressed (scale ${values.scale}) |`);
console.log('| --- | --- | --- |');
for (const name of names) {
  const real = run(name, '1');
  const fast = run(name, values.scale);
  const same = real.verdict === fast.verdict ? '' : ' **(differs)**';
  console.log(`| ${name} | **${real.verdict}**: ${real.cells.join('; ')} | **${fast.verdict}**${same}: ${fast.cells.join('; ')} |`);
}
