#!/usr/bin/env node
// Writes a variant of a calibration grid with the same changes laid over every case, e.g. the h11 pass
// of the grid (uvicorn's pure-Python HTTP implementation for every case):
//   node scripts/grid-variant.mjs scenarios/calibration/grid.json /tmp/grid-h11.json http=h11
// Case names stay as they are (a variant is compared against runs of the same variant); scenario files
// named relative to the grid are made absolute, so the variant can live anywhere. A value is JSON when it
// parses as JSON (numbers, true), else a string.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const [gridFile, outFile, ...pairs] = process.argv.slice(2);
if (gridFile === undefined || outFile === undefined || pairs.length === 0 || pairs.some((pair) => !/^[A-Za-z]\w*=./.test(pair))) {
  process.stderr.write('usage: node scripts/grid-variant.mjs <grid.json> <out.json> field=value [field=value ...]\n');
  process.exit(2);
}
const changes = Object.fromEntries(
  pairs.map((pair) => {
    const [key, raw] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
    try {
      return [key, JSON.parse(raw)];
    } catch {
      return [key, raw];
    }
  }),
);
const grid = JSON.parse(readFileSync(gridFile, 'utf8'));
const base = dirname(resolve(gridFile));
const described = pairs.join(' ');
const variant = {
  ...grid,
  description: `${grid.description ?? grid.name}; every case with ${described} (scripts/grid-variant.mjs)`,
  cases: grid.cases.map((c) => ({
    ...c,
    name: c.name ?? (typeof c.scenario === 'string' && !/[/\\]|\.(json|mjs|js)$/.test(c.scenario) ? c.scenario : c.name),
    scenario: typeof c.scenario === 'string' && /[/\\]|\.(json|mjs|js)$/.test(c.scenario) ? resolve(base, c.scenario) : c.scenario,
    changes: { ...(c.changes ?? {}), ...changes },
  })),
};
writeFileSync(outFile, `${JSON.stringify(variant, null, 2)}\n`);
process.stdout.write(`${outFile}: ${variant.cases.length} cases with ${described}\n`);
