// Saved run files that were edited, truncated or written by something else: `report` and `diff` answer
// each with exit 2 and one message naming the file and the field, never a stack trace.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killedTrace, paramsFile, survivingTrace } from '../helpers/synthetic-run.js';
import { runCli } from '../helpers/run-cli.js';

let root: string;

const jsonl = (events: readonly object[]): string => events.map((event) => JSON.stringify(event)).join('\n') + '\n';

/** A run directory made by hand: params.json and a trace per strategy, as `run` leaves them. */
function makeRunDir(name: string, paramsValue: unknown = paramsFile(), traces: Record<string, string> = { 'tick-count': jsonl(killedTrace()), 'wall-clock': jsonl(survivingTrace()) }): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'params.json'), typeof paramsValue === 'string' ? paramsValue : JSON.stringify(paramsValue));
  for (const [strategy, text] of Object.entries(traces)) {
    mkdirSync(join(dir, strategy), { recursive: true });
    writeFileSync(join(dir, strategy, 'trace.jsonl'), text);
  }
  return dir;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'starve-lab-malformed-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function expectRefusal(result: { code: number | null; stderr: string }, ...parts: string[]): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  for (const part of parts) expect(result.stderr).toContain(part);
}

describe('malformed run files', () => {
  it('reads a well-formed hand-made run (the control)', async () => {
    const result = await runCli(['report', makeRunDir('good')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('KILLED 1×');
  });

  it('params.json that is an array', async () => {
    expectRefusal(await runCli(['report', makeRunDir('array', [])]), 'params.json is not a valid params.json', '(the whole value)');
  });

  it('params.json without scenario.strategies', async () => {
    const p = paramsFile();
    const { strategies: _dropped, ...scenario } = p.scenario;
    expectRefusal(await runCli(['report', makeRunDir('no-strategies', { ...p, scenario })]), 'params.json', 'field "scenario.strategies"');
  });

  it('params.json with a time scale that is not a number', async () => {
    expectRefusal(await runCli(['report', makeRunDir('bad-scale', { ...paramsFile(), timeScale: 'fast' })]), 'field "timeScale": expected number, found "fast"');
  });

  it('params.json that is not JSON', async () => {
    expectRefusal(await runCli(['report', makeRunDir('not-json', '{"traceVersion": 2,')]), 'params.json is not valid JSON');
  });

  it('doctor.json of the wrong shape', async () => {
    const dir = makeRunDir('bad-doctor');
    writeFileSync(join(dir, 'tick-count', 'doctor.json'), JSON.stringify([{ pid: 'one', html: null, issueCategory: null, error: null }]));
    expectRefusal(await runCli(['report', dir]), 'doctor.json is not a valid doctor.json', 'field "[0].pid"');
  });

  it('a series whose series-params.json is of the wrong shape', async () => {
    const series = join(root, 'series');
    mkdirSync(series);
    makeRunDir(join('series', 'run-001'));
    writeFileSync(join(series, 'series-params.json'), JSON.stringify({ scenario: 'synthetic', requested: -2, parallel: 1, startedAt: '' }));
    expectRefusal(await runCli(['report', series]), 'series-params.json', 'field "requested"');
  });

  it('a plain file given as the run directory', async () => {
    const file = join(root, 'plain.txt');
    writeFileSync(file, 'hello');
    expectRefusal(await runCli(['report', file]), 'is a file, not a run directory');
    expectRefusal(await runCli(['diff', file, makeRunDir('good-2')]), 'is a file, not a run directory');
  });

  it('a sweep directory given to diff: named as a sweep, with where its runs are', async () => {
    const sweepDir = join(root, 'a-sweep');
    mkdirSync(sweepDir, { recursive: true });
    writeFileSync(join(sweepDir, 'sweep.json'), '{}');
    expectRefusal(await runCli(['diff', sweepDir, makeRunDir('good-3')]), 'is a sweep directory, not a run directory', 'run-001');
  });

  it('trace lines with a wrong field, and an empty trace: named, and the readable part reported', async () => {
    const bad = jsonl(killedTrace()) + '{"type":"signal","t":5,"pid":10,"signal":"SIGHUP"}\n';
    const dir = makeRunDir('bad-trace', paramsFile(), { 'tick-count': bad, 'wall-clock': '' });
    const result = await runCli(['report', dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/tick-count\/trace\.jsonl:\d+: event "signal": field "signal": expected one of "SIGABRT", "SIGKILL", "SIGTERM", found "SIGHUP"/);
    expect(result.stderr).toMatch(/wall-clock\/trace\.jsonl: the trace is empty/);
    expect(result.stdout).toContain('KILLED 1×');
  });

  it('an event far outside the run (t = 1e15): named and left out, so the report draws its charts at once', async () => {
    const far = jsonl(killedTrace()) + '{"type":"tick","t":1e15,"pid":11,"counter":5,"handlers":0}\n';
    const dir = makeRunDir('far-event', paramsFile(), { 'tick-count': far, 'wall-clock': jsonl(survivingTrace()) });
    const result = await runCli(['report', dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/tick-count\/trace\.jsonl:\d+: event "tick" at t = 1000000000000000 ms is outside the run/);
    expect(result.stdout).toContain('KILLED 1×');
  }, 60_000);
});
