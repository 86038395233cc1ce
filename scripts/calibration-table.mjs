#!/usr/bin/env node
// docs/calibration.md's table from one or more calibration directories made against the same real
// runs (e.g. the model at x1 and at x0.1 with --real-from): per case and strategy, the real stack's
// outcome and the model's at each time scale, with whether each agrees.
// Usage: node scripts/calibration-table.mjs <calibration-dir>...
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  process.stderr.write('usage: node scripts/calibration-table.mjs <calibration-dir>...\n');
  process.exit(2);
}
const summaries = dirs.map((dir) => JSON.parse(readFileSync(join(dir, 'calibration.json'), 'utf8')));
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const figure = (strategy, name) => strategy.figures.find((f) => f.figure === name);

function cell(strategy, side) {
  const outcome = figure(strategy, 'outcome')?.[side];
  const kill = figure(strategy, 'first kill')?.[side];
  const gap = figure(strategy, 'max heartbeat gap')?.[side];
  const done = figure(strategy, 'requests completed')?.[side];
  const drops = figure(strategy, 'dropped by keep-alive')?.[side];
  const head = kill !== null && kill !== undefined ? `${outcome} at ${seconds(kill)}` : gap !== null && gap !== undefined ? `${outcome}, gap ${seconds(gap)}` : `${outcome}`;
  return `${head}; ${done ?? '—'} done${drops ? `, ${drops} dropped` : ''}`;
}

const mark = (agrees) => (agrees === true ? '✓' : agrees === false ? '✗' : '·');
const header = ['case', 'strategy', 'real stack', ...summaries.map((s) => `model ×${s.modelTimeScale}`)];
const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
const first = summaries[0];
for (const c of first.cases) {
  for (const strategy of c.strategies) {
    const models = summaries.map((s) => {
      const other = s.cases.find((x) => x.name === c.name)?.strategies.find((x) => x.name === strategy.name);
      return other === undefined ? '—' : `${mark(other.agrees)} ${cell(other, 'model')}`;
    });
    lines.push(`| ${c.name} | ${strategy.name}${strategy.atRiskBand ? ' (at risk)' : ''} | ${cell(strategy, 'real')} | ${models.join(' | ')} |`);
  }
}
const verdicts = summaries.map((s) => `×${s.modelTimeScale}: ${s.verdict} (${s.cases.filter((c) => c.agrees === true).length}/${s.cases.length} cases agree)`);
process.stdout.write(`${lines.join('\n')}\n\n${verdicts.join('; ')}\n`);
