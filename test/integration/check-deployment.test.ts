// `starve-lab check` as a user runs it, after `init --from`: the Helm chart's default 1 s probe under
// four busy clients is killed; check runs each change in the lab and recommends one that survived;
// that change, applied to the scenario and run again, survives. A deployment that is safe gets no
// changes. Compressed time (×0.1), the model.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/advice/check-result.js';
import { runCli } from '../helpers/run-cli.js';

const EXAMPLE = (file: string): string => fileURLToPath(new URL(`../../examples/deployments/${file}`, import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'starve-lab-check-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('check after init --from', () => {
  it('finds the chart killed at four clients, runs the changes, and its recommendation survives when applied and run again', async () => {
    const out = mkdtempSync(join(root, 'helm-'));
    const init = await runCli(['init', '--from', EXAMPLE('helm-api.yaml'), '--clients', '4', '--think', '0', '--out', out]);
    expect(init.code, init.stderr).toBe(0);
    const scenario = join(out, 'release-api.json');
    const check = await runCli(['check', scenario, '--time-scale', '0.1', '--out', out, '--json', '--quiet']);
    expect(check.code, check.stderr).toBe(1);
    const result = JSON.parse(check.stdout) as CheckResult;
    expect(result.verdict).toBe('killed');
    expect(result.tolerance).toMatchObject({ killer: 'kubelet', safeUpToMs: 1000, killsFromMs: 21_000 });
    expect(result.measured.longestStallMs).toBeGreaterThan(1000);
    expect(result.candidates.map((c) => c.kind)).toEqual(expect.arrayContaining(['probe-timeout', 'failure-threshold', 'health-off-loop', 'offload', 'fewer-clients']));
    // The thread that answers while the loop is busy survives what the loop's own route does not.
    expect(result.candidates.find((c) => c.kind === 'health-off-loop')?.survived).toBe(true);
    expect(result.recommendation).not.toBeNull();
    // check.json and check.md are in the check's directory.
    expect(JSON.parse(readFileSync(join(result.runDir, 'check.json'), 'utf8'))).toMatchObject({ verdict: 'killed' });
    expect(readFileSync(join(result.runDir, 'check.md'), 'utf8')).toMatch(/Recommended: /);
    // Applied and run again: survives.
    const chosen = result.candidates.find((c) => c.kind === result.recommendation);
    const fixed = join(out, 'release-api-fixed.json');
    writeFileSync(fixed, JSON.stringify({ ...chosen?.scenarioFile, name: 'release-api-fixed' }));
    const rerun = await runCli(['run', fixed, '--time-scale', '0.1', '--out', out, '--json']);
    expect([0, 1], rerun.stderr).toContain(rerun.code);
    const report = JSON.parse(rerun.stdout) as { strategies: Array<{ outcome: string; kills: number }> };
    expect(report.strategies.map((s) => s.kills)).toEqual([0]);
  }, 300_000);

  it('says safe, tries nothing and exits 0 when the stalls stay under what the killer tolerates', async () => {
    const out = mkdtempSync(join(root, 'safe-'));
    const init = await runCli(['init', '--from', 'gunicorn main:app -k uvicorn.workers.UvicornWorker --timeout 60', '--route', '200ms', '--think', '1s', '--out', out]);
    expect(init.code, init.stderr).toBe(0);
    const check = await runCli(['check', join(out, 'gunicorn.json'), '--time-scale', '0.1', '--out', out, '--markdown', '--quiet']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/\*\*SAFE/);
    expect(check.stdout).toMatch(/Nothing to change at this load/);
    expect(check.stdout).not.toMatch(/Changes tried/);
  }, 300_000);

  it('with --headroom, runs a safe deployment at twice and four times its load up to the first kill, and says where it died', async () => {
    // One back-to-back client of 0.5 s handlers leaves a probe on the loop waiting 0.5 s at most, under
    // its 1 s timeout; four keep the loop 1.5-2 s between polls, and one failure kills (failureThreshold 1).
    const out = mkdtempSync(join(root, 'headroom-'));
    const file = join(out, 'headroom.json');
    writeFileSync(file, JSON.stringify({ name: 'headroom', master: 'kubelet', strategies: ['health-on-loop'], durationMs: 40_000, probe: { periodMs: 2000, timeoutMs: 1000, failureThreshold: 1 }, load: { clients: 1, thinkMs: 0, routes: [{ kind: 'cpu', ms: 500 }] } }));
    const check = await runCli(['check', file, '--headroom', '--time-scale', '0.1', '--out', out, '--json', '--quiet']);
    expect(check.code, check.stderr).toBe(0);
    const result = JSON.parse(check.stdout) as { verdict: string; runDir: string; headroom: Array<{ factor: number; clients: number; survived: boolean; outcome: string }> };
    expect(result.verdict).toBe('safe');
    expect(result.headroom.length).toBeGreaterThan(0);
    const last = result.headroom[result.headroom.length - 1];
    expect(last?.survived).toBe(false);
    expect(last?.outcome).toBe('killed');
    expect(result.headroom.slice(0, -1).every((step) => step.survived)).toBe(true);
    expect(result.headroom.map((step) => step.clients)).toEqual([2, 4].slice(0, result.headroom.length));
    expect(readFileSync(join(result.runDir, 'check.md'), 'utf8')).toMatch(new RegExp(`Headroom: killed at ${String(last?.clients)} clients, ${String(last?.factor)}× the stated load`));
  }, 300_000);

  it('refuses a strategy the scenario does not have, and --json with --markdown, before anything runs', async () => {
    const out = mkdtempSync(join(root, 'bad-'));
    const wrong = await runCli(['check', 'cpu-burst', '--strategy', 'health-on-loop', '--out', out]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/cpu-burst has no strategy "health-on-loop"/);
    const both = await runCli(['check', 'cpu-burst', '--json', '--markdown', '--out', out]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give one/);
  });
});
