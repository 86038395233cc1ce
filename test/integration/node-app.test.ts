// The user's own Node app (--app ./server.mjs) under the preload agent, through the real CLI: the
// example is killed when its probe is answered on its loop and survives off the loop; a hung app is
// killed under both; an app that is missing, throws at start-up or never listens is refused with one
// line and exit 2 before anything starts; nothing is left running.


import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, isAlive, runCli, waitUntil } from '../helpers/run-cli.js';
// From dist: the trial start preloads the built agent (dist/agent/agent.js), as the CLI does.
import { preflightNodeApp } from '../../dist/lab/targets/node-app-target.js';
import { labProcesses, latestRunDir, readReport } from '../helpers/lab-processes.js';

const out = mkdtempSync(join(tmpdir(), 'starve-lab-node-app-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('your own Node app under the agent', () => {
  it('the example: killed with its health route on the loop (its own function on the stack at the kill), alive with the agent\'s thread off it', async () => {
    const result = await runCli(['run', 'examples/node-app/scenario.json', '--app', 'examples/node-app/server.mjs', '--duration', '20', '--stacks', '--out', out, '--ci']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = readReport(latestRunDir(out, 'node-app'));
    const outcome = Object.fromEntries(report.strategies.map((s) => [s.name, s.outcome]));
    expect(outcome['health-on-loop']).toBe('killed');
    const onLoop = report.strategies.find((s) => s.name === 'health-on-loop')!;
    expect(onLoop.stacksAtKill.map((stack) => stack.blocking?.functionName)).toContain('buildReport');
    expect(['survived', 'at-risk']).toContain(outcome['health-off-loop']);
    // The app's own requests were traced from diagnostics_channel: its paths, completed.
    const offLoop = report.strategies.find((s) => s.name === 'health-off-loop')!;
    expect(offLoop.requests.completed).toBeGreaterThan(3);
    expect(offLoop.ticks.count).toBeGreaterThan(3);
    expect(labProcesses()).toEqual([]);
    // Two strategies of 20 s one at a time on 2 cores: about 41 s alone (measured); room for a slow start.
  }, 120_000);

  it('kills a hung app under both health strategies', async () => {
    const app = join(out, 'hangs.mjs');
    writeFileSync(app, "import http from 'node:http';\nhttp.createServer((req, res) => { if (req.url === '/hang') { for (;;) {} } res.end('ok'); }).listen(8080);\n");
    const scenario = join(out, 'hang.json');
    writeFileSync(scenario, JSON.stringify({
      name: 'node-hang', master: 'kubelet', strategies: ['health-on-loop', 'health-off-loop'], durationMs: 9000,
      probe: { periodMs: 1000, timeoutMs: 1000, failureThreshold: 2, loopStaleMs: 2000, terminationGracePeriodMs: 1000 },
      load: { clients: 1, routes: [{ kind: 'http', path: '/hang' }] },
      expect: { 'health-on-loop': 'killed', 'health-off-loop': 'killed' },
    }));
    const result = await runCli(['run', scenario, '--app', app, '--out', out, '--ci']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = readReport(latestRunDir(out, 'node-hang'));
    for (const strategy of report.strategies) {
      expect(strategy.findings.find((f) => f.kind === 'liveness-kill')).toMatchObject({ loopTickedMeanwhile: false });
    }
    expect(labProcesses()).toEqual([]);
  }, 60_000);

  it('tries the app in a process group of its own (a helper it spawned goes too) and binds its other servers on loopback', async () => {
    const marks = join(out, 'marks');
    const app = join(out, 'helper.mjs');
    // A helper process, and an admin server that asks for every interface; then the app's own server.
    writeFileSync(app, [
      "import http from 'node:http'; import net from 'node:net'; import { spawn } from 'node:child_process'; import { appendFileSync } from 'node:fs';",
      `const marks = ${JSON.stringify(marks)};`,
      "const helper = spawn('sleep', ['60'], { stdio: 'ignore' }); appendFileSync(marks, `helper ${helper.pid}\\n`);",
      "const admin = net.createServer(() => {}).listen(0, '0.0.0.0', () => appendFileSync(marks, `admin ${admin.address().address}\\n`));",
      "setTimeout(() => http.createServer((req, res) => res.end('ok')).listen(8080), 200);",
    ].join('\n'));
    await preflightNodeApp(app);
    const lines = readFileSync(marks, 'utf8').trim().split('\n');
    const helper = Number(lines.find((line) => line.startsWith('helper '))?.split(' ')[1]);
    expect(lines).toContain('admin 127.0.0.1');
    expect(await waitUntil(() => !isAlive(helper), 5000)).toBe(true);
  }, 30_000);

  it('exits 130 on Ctrl-C while it tries the app, leaving nothing running', async () => {
    const app = join(out, 'slow-start.mjs');
    writeFileSync(app, 'setInterval(() => {}, 1000);');
    const child = spawn(process.execPath, [CLI, 'run', 'examples/node-app/scenario.json', '--app', app, '--out', join(out, 'interrupted')], { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(await waitUntil(() => labProcesses().length === 0, 5000)).toBe(true);
  }, 30_000);

  it.each([
    ['a missing file', 'missing.mjs', null, 'no such file'],
    ['an app that throws at start-up', 'throws.mjs', 'throw new Error("cannot reach the database");', 'cannot reach the database'],
    ['an app whose error is coloured (no escape sequence reaches the terminal)', 'coloured.mjs', 'throw new Error("\\u001b[31mcannot reach the cache\\u001b[0m");', 'cannot reach the cache'],
    ['an app that never listens', 'silent.mjs', 'setInterval(() => {}, 1000);', 'did not listen within'],
    ['an app under compressed time, whose code the lab cannot compress', null, null, "--time-scale 0.1: your app's handlers run at their own speed"],
    ['an app that listens elsewhere, with no http.Server', 'raw.mjs', "import net from 'node:net'; net.createServer(() => {}).listen(7070);", 'listens on port 7070 with a server that is not an http.Server'],
  ])('refuses %s with one line and exit 2', async (_what, name, code, says) => {
    const app = name === null ? 'examples/node-app/server.mjs' : join(out, name);
    if (name !== null && code !== null) writeFileSync(app, code);
    const result = await runCli(['run', 'examples/node-app/scenario.json', '--app', app, '--out', join(out, 'refused'), ...(name === null ? ['--time-scale', '0.1'] : [])]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(says);
    expect(result.stderr).toContain('Nothing was started');
    expect(result.stderr).not.toContain('\u001b');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(labProcesses()).toEqual([]);
  }, 30_000);
});
