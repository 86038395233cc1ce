// calibrate --real-from / --model-from: saved runs stand in for a case only when they finished and were
// made with the case's parameters; anything else is refused, naming the case, before anything starts.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CalibrationCase } from '../../src/io/load-grid.js';
import { findReferenceRuns, findSavedRuns } from '../../src/pipeline/saved-runs.js';
import { loadCalibrationInput } from '../../src/io/load-grid.js';
import { runCli } from '../helpers/run-cli.js';
import { fileURLToPath } from 'node:url';
import { encodeRunParams } from '../../src/trace/run-params.js';
import type { Scenario } from '../../src/scenario/types.js';
import { gunicorn, killedTrace, params, scenario, survivingTrace } from '../helpers/synthetic-run.js';
import { readSavedResult } from '../../src/pipeline/report-run.js';

const root = mkdtempSync(join(tmpdir(), 'starve-lab-saved-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function save(dir: string, caseName: string, side: 'model' | 'real', overrides: Parameters<typeof params>[0] = {}, scenarioOverrides: Parameters<typeof params>[1] = {}): string {
  const runDir = join(dir, caseName, side, caseName, '2026-11-25T05-00-00-000Z');
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, 'params.json'), encodeRunParams(params({ stack: side, ...overrides }, scenarioOverrides)));
  return runDir;
}

/** The details of the refusal `find` must throw ("cannot stand in"), one per case. */
function refusalDetails(find: () => unknown): string[] {
  try {
    find();
  } catch (error) {
    expect((error as Error).message).toMatch(/cannot stand in/);
    return (error as { details: string[] }).details;
  }
  throw new Error('expected the saved runs to be refused');
}

const wanted: CalibrationCase = { name: 'case-a', loaded: { scenario: scenario(), file: '/synthetic.json', module: null } };

describe('saved runs standing in for a calibration side', () => {
  it('finds the saved run of a case made with the same parameters', () => {
    const dir = join(root, 'same');
    const runDir = save(dir, 'case-a', 'real');
    expect(findSavedRuns(dir, [wanted], 1).get('case-a')).toBe(runDir);
    // A case with no saved run runs for real, but a directory with none at all is a mistake, said so.
    expect(findSavedRuns(dir, [wanted, { ...wanted, name: 'not-saved' }], 1).size).toBe(1);
    expect(() => findSavedRuns(dir, [{ ...wanted, name: 'not-saved' }], 1)).toThrow(/holds no saved real run of any case \(not-saved\)/);
  });

  it('refuses a saved model run made at another time scale', () => {
    const dir = join(root, 'other-scale');
    save(dir, 'case-a', 'model', { timeScale: 0.1 });
    expect(refusalDetails(() => findSavedRuns(dir, [wanted], 1, 'model', 0.05))).toEqual(['case-a: the saved model run ran at time scale 0.1, this calibration at 0.05']);
    expect(findSavedRuns(dir, [wanted], 1, 'model', 0.1).size).toBe(1);
  });

  it('refuses a saved run made with other parameters, one that never finished, or of the other stack', () => {
    const dir = join(root, 'different');
    save(dir, 'case-a', 'real', {}, { supervisor: gunicorn(10_000) });
    expect(refusalDetails(() => findSavedRuns(dir, [wanted], 1))).toEqual(['case-a: the saved real run was made with a different timeoutMs']);
    const unfinished = join(root, 'unfinished');
    save(unfinished, 'case-a', 'model', { finishedAt: null });
    expect(() => findSavedRuns(unfinished, [wanted], 1, 'model')).toThrow(/cannot stand in/);
    const otherStack = join(root, 'other-stack');
    const runDir = join(otherStack, 'case-a', 'real', 'case-a', 'x');
    mkdirSync(runDir, { recursive: true });
    writeFileSync(join(runDir, 'params.json'), encodeRunParams(params({ stack: 'model' })));
    expect(() => findSavedRuns(otherStack, [wanted], 1)).toThrow(/cannot stand in/);
  });

  it('refuses a saved kubelet run whose probe differs, naming the probe', () => {
    const probe = { path: '/healthz', initialDelayMs: 0, periodMs: 10_000, timeoutMs: 1_000, failureThreshold: 3, successThreshold: 1, terminationGracePeriodMs: 30_000, probeTerminationGracePeriodMs: null, kubeletStart: 'steady' as const, maxHeartbeatAgeMs: 10_000, loopStaleMs: 10_000 };
    const kubelet = (periodMs: number): Partial<Scenario> => ({ supervisor: { kind: 'kubelet', probe: { ...probe, periodMs } }, strategies: ['health-on-loop'], expect: {} });
    const want: CalibrationCase = { name: 'case-k', loaded: { scenario: scenario(kubelet(10_000)), file: '/synthetic.json', module: null } };
    const dir = join(root, 'other-probe');
    save(dir, 'case-k', 'real', {}, kubelet(5_000));
    expect(refusalDetails(() => findSavedRuns(dir, [want], 1))).toEqual(['case-k: the saved real run was made with a different probe']);
    const same = join(root, 'same-probe');
    const runDir = save(same, 'case-k', 'real', {}, kubelet(10_000));
    expect(findSavedRuns(same, [want], 1).get('case-k')).toBe(runDir);
  });

  it('reads a saved run as it is, writing nothing into it', () => {
    const runDir = save(join(root, 'read-only'), 'case-a', 'model');
    for (const [strategy, events] of [['tick-count', killedTrace()], ['wall-clock', survivingTrace()]] as const) {
      mkdirSync(join(runDir, strategy), { recursive: true });
      writeFileSync(join(runDir, strategy, 'trace.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    }
    const before = readdirSync(runDir).sort();
    const result = readSavedResult(runDir);
    expect(result.kind === 'run' && result.report.strategies.map((st) => st.outcome)).toEqual(['killed', 'survived']);
    expect(readdirSync(runDir).sort()).toEqual(before);
  });

  it('says so when the directory does not exist', () => {
    expect(() => findSavedRuns(join(root, 'missing'), [wanted], 1)).toThrow('--real-from');
  });
});

describe('a stored real-stack reference standing in for the real side', () => {
  const REFERENCE = fileURLToPath(new URL('../../scenarios/calibration/reference/fidelity.json', import.meta.url));

  it('stands in for every case of its grid, as stored', async () => {
    const grid = await loadCalibrationInput(fileURLToPath(new URL('../../scenarios/calibration/fidelity.json', import.meta.url)));
    const found = findReferenceRuns(REFERENCE, grid.cases, 1);
    expect([...found.keys()]).toEqual(grid.cases.map((c) => c.name));
    for (const report of found.values()) {
      expect(report.stack).toBe('real');
      expect(report.params.versions.gunicorn).toMatch(/^\d+\.\d+/);
    }
  });

  it('refuses a case changed since it was measured, naming the case and the field, and refuses --repeat', async () => {
    const grid = await loadCalibrationInput(fileURLToPath(new URL('../../scenarios/calibration/fidelity.json', import.meta.url)));
    const [first, ...rest] = grid.cases;
    if (first === undefined) throw new Error('the fidelity grid has no case');
    const changed = { ...first, loaded: { ...first.loaded, scenario: { ...first.loaded.scenario, http: 'h11' as const } } };
    expect(refusalDetails(() => findReferenceRuns(REFERENCE, [changed, ...rest], 1))).toEqual([`${first.name}: the stored run was made with a different http`]);
    expect(() => findReferenceRuns(REFERENCE, grid.cases, 3)).toThrow(/stored reference, with one real run per case; --repeat 3/);
  });

  it('refuses a file that is not a reference, before anything starts', async () => {
    const bogus = join(root, 'not-a-reference.json');
    writeFileSync(bogus, JSON.stringify({ schemaVersion: 1, grid: 'x' }));
    const result = await runCli(['calibrate', fileURLToPath(new URL('../../scenarios/calibration/fidelity.json', import.meta.url)), '--real-from', bogus, '--out', root]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not a valid real-stack reference');
  });
});
