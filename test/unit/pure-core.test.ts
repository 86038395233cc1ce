// The pure core (every folder and file named below) touches no file system,
// process, network, clock or randomness of its own; and no module imports another in a cycle.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const PURE = ['scenario', 'deployment', 'advice', 'notifiers', 'masters', 'probes', 'process-manager', 'trace', 'analysis', 'report', 'decode', 'calibration', 'sweep', 'stacks', 'stats.ts', 'suggest.ts'];
/** What is not pure: the processes, the CLI, the file edges, the library's pipeline, Clinic.js, the agent, errors and the index. */
const IMPURE = ['lab', 'cli', 'io', 'pipeline', 'clinic', 'agent', 'errors.ts', 'index.ts'];
const FORBIDDEN_IMPORTS = /from ['"]node:(fs|fs\/promises|child_process|net|os|worker_threads|http|inspector|perf_hooks)['"]/;
const FORBIDDEN_GLOBALS = /\b(Date\b|process\.|performance\.|Math\.random)/;

function filesUnder(dir: string): string[] {
  if (dir.endsWith('.ts')) return [dir];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The code of a module without its comments and string contents, so prose cannot trip the check. */
function codeOf(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/`(?:\\.|[^`\\])*`/g, '``')
    .replace(/'(?:\\.|[^'\\])*'/g, "''");
}

describe('the pure core', () => {
  const pureFiles = PURE.flatMap((dir) => filesUnder(join(SRC, dir)));

  it('names every folder and file of src/ as pure or not, and each it names exists', () => {
    expect(readdirSync(SRC).sort()).toEqual([...PURE, ...IMPURE].sort());
    for (const entry of PURE) expect(filesUnder(join(SRC, entry)).length, entry).toBeGreaterThan(0);
  });

  it('imports no file system, process, network or timing module', () => {
    const offenders = pureFiles.filter((file) => FORBIDDEN_IMPORTS.test(readFileSync(file, 'utf8'))).map((file) => relative(SRC, file));
    expect(offenders).toEqual([]);
  });

  it('reads no clock, process state or randomness', () => {
    const offenders = pureFiles.filter((file) => FORBIDDEN_GLOBALS.test(codeOf(file))).map((file) => relative(SRC, file));
    expect(offenders).toEqual([]);
  });

  it('imports nothing from the lab, the CLI, the pipeline or the file edges', () => {
    const offenders = pureFiles.filter((file) => /from '(\.\.\/)+((lab|cli|pipeline|io|agent)\/|clinic\/clinic-doctor)/.test(readFileSync(file, 'utf8'))).map((file) => relative(SRC, file));
    expect(offenders).toEqual([]);
  });
});

describe('the module graph', () => {
  it('has no import cycles', () => {
    const files = filesUnder(SRC);
    const edges = new Map<string, string[]>();
    for (const file of files) {
      const targets = [...readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)].map((m) => resolve(dirname(file), `${m[1] ?? ''}.ts`));
      edges.set(file, targets.filter((target) => files.includes(target)));
    }
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' → '));
        return;
      }
      state.set(file, 'visiting');
      for (const next of edges.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('has no two folders that import each other (src/ and the lab\'s own folders)', () => {
    const files = filesUnder(SRC);
    const folderOf = (file: string, base: string): string | null => {
      const parts = relative(base, file).split('/');
      return parts.length > 1 && !parts[0]?.startsWith('..') ? (parts[0] ?? null) : null;
    };
    const mutual: string[] = [];
    for (const base of [SRC, join(SRC, 'lab'), join(SRC, 'lab', 'supervisors')]) {
      const edges = new Set<string>();
      for (const file of files) {
        const from = folderOf(file, base);
        if (from === null) continue;
        for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
          const to = folderOf(resolve(dirname(file), m[1] ?? ''), base);
          if (to !== null && to !== from) edges.add(`${from} → ${to}`);
        }
      }
      for (const edge of edges) {
        const [a, b] = edge.split(' → ');
        if ((a ?? '') < (b ?? '') && edges.has(`${b} → ${a}`)) mutual.push(`${relative(SRC, base) || 'src'}: ${a} ⇄ ${b}`);
      }
    }
    expect(mutual).toEqual([]);
  });
});
