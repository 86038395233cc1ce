// On a terminal, the run shows live bars; the terminal is a real pseudo-terminal made by script(1).

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/run-cli.js';

const out = mkdtempSync(join(tmpdir(), 'starve-lab-tty-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const hasScript = ((): boolean => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasScript)('live progress on a terminal', () => {
  it('redraws a heartbeat bar per strategy with kills and elapsed time', () => {
    const command = `${process.execPath} ${CLI} run idle --time-scale 0.05 --strategies tick-count,wall-clock-full-timeout --out ${out}`;
    const result = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '' }, timeout: 60_000 });
    expect(result.status).toBe(0);
    const text = result.stdout.replace(/\u001b\[\d+(;\d+)*m/g, '');
    expect(text).toMatch(/tick-count\s+[█░]{28}\s+[\d.]+ m?s \/ 30\.0 s\s+kills \d/);
    expect(text).toMatch(/elapsed [\d.]+ m?s of 75\.0 s/);
    // The block is redrawn in place: cursor up and clear.
    expect(result.stdout).toMatch(/\u001b\[\d+A\u001b\[0J/);
  }, 60_000);

  it('under the kubelet fills the bar with probes failed in a row, not a heartbeat age', () => {
    const command = `${process.execPath} ${CLI} run liveness-probe --time-scale 0.05 --strategies health-on-loop --out ${out}`;
    const result = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '' }, timeout: 90_000 });
    expect(result.status).toBe(0);
    const text = result.stdout.replace(/\u001b\[\d+(;\d+)*m/g, '');
    expect(text).toMatch(/health-on-loop\s+[█░]{28} probe failures \d \/ 3\s+kills \d/);
    // Some redraw showed failures counting toward the threshold before the kill.
    expect(text).toMatch(/probe failures [12] \/ 3/);
    expect(text).not.toMatch(/\/ 30\.0 s/);
  }, 90_000);
});
