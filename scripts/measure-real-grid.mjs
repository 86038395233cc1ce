#!/usr/bin/env node
// Runs only the real stack's side of every case of a calibration grid, one case and one strategy at a
// time, into the layout `starve-lab calibrate` uses, so that the model can then be calibrated against
// these runs at any time scale with `starve-lab calibrate <grid> --real-from <dir>`.
// Usage: node scripts/measure-real-grid.mjs scenarios/calibration/grid.json [out-dir]
import { join } from 'node:path';
import { runScenario } from '../dist/index.js';
import { loadCalibrationInput } from '../dist/io/load-grid.js';
import { sideDir } from '../dist/pipeline/saved-runs.js';

const [gridFile, outDir = join('reports', `real-grid-${new Date().toISOString().replace(/[:.]/g, '-')}`)] = process.argv.slice(2);
if (gridFile === undefined) {
  process.stderr.write('usage: node scripts/measure-real-grid.mjs <grid.json> [out-dir]\n');
  process.exit(2);
}
const abort = new AbortController();
process.on('SIGINT', () => abort.abort());
process.on('SIGTERM', () => abort.abort());
const grid = await loadCalibrationInput(gridFile);
for (const [index, c] of grid.cases.entries()) {
  if (abort.signal.aborted) break;
  const started = Date.now();
  const result = await runScenario(c.loaded, { stack: 'real', sequential: true, outDir: sideDir(outDir, c.name, 'real'), signal: abort.signal });
  const outcomes = result.kind === 'run' ? result.report.strategies.map((s) => `${s.name} ${s.outcome}`).join(', ') : 'series';
  process.stdout.write(`[${index + 1}/${grid.cases.length}] ${c.name}: ${outcomes} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
}
process.stdout.write(`${abort.signal.aborted ? 'Interrupted; ' : ''}real runs in ${outDir}\n`);
