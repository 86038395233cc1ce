// `starve-lab init --from` as a user runs it: the example deployments (a Helm-rendered Deployment with
// Kubernetes' default 1 s probe, a gunicorn.conf.py read by the installed gunicorn's own loader, a
// `uvicorn --workers 4` container under a probe) become scenarios that run; bad input is refused with
// exit 2 before anything is written.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const EXAMPLE = (file: string): string => fileURLToPath(new URL(`../../examples/deployments/${file}`, import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'starve-lab-init-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => mkdtempSync(join(root, `out-${String((dirs += 1))}-`));

interface InitJson {
  readAs: string;
  files: Array<{ path: string; killer: string; scenario: string }>;
  notes: Array<{ setting: string; value: string; fate: string; effect: string }>;
}

describe('init --from the example deployments', () => {
  it('reproduces the Helm chart\'s default 1 s probe answered on the loop: four busy clients get the container killed', async () => {
    const out = freshDir();
    const init = await runCli(['init', '--from', EXAMPLE('helm-api.yaml'), '--clients', '4', '--think', '0', '--out', out, '--json']);
    expect(init.code, init.stderr).toBe(0);
    const summary = JSON.parse(init.stdout) as InitJson;
    expect(summary.readAs).toBe('a Kubernetes manifest');
    expect(summary.files.map((f) => f.killer)).toEqual(['kubelet']);
    expect(summary.notes.find((n) => n.setting === 'livenessProbe.timeoutSeconds')).toMatchObject({ value: '1 (default)', fate: 'defaulted' });
    const file = join(out, 'release-api.json');
    const scenario = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(scenario).toMatchObject({ master: 'kubelet', strategies: ['health-on-loop'], probe: { path: '/healthz', timeoutMs: 1000, periodMs: 10_000 } });
    expect(String(scenario['description'])).toMatch(/livenessProbe\.timeoutSeconds = 1 \(default\): defaulted/);
    const run = await runCli(['run', file, '--time-scale', '0.1', '--out', out, '--json']);
    expect([0, 1], run.stderr).toContain(run.code);
    const report = JSON.parse(run.stdout) as { strategies: Array<{ name: string; outcome: string }> };
    expect(report.strategies.map((s) => [s.name, s.outcome])).toEqual([['health-on-loop', 'killed']]);
  }, 120_000);

  it("reads gunicorn.conf.py with the installed gunicorn's own loader (its computed workers, its timeout = 120)", async () => {
    const out = freshDir();
    const init = await runCli(['init', '--from', EXAMPLE('gunicorn.conf.py'), '--out', out, '--json'], { WEB_CONCURRENCY: '3' });
    expect(init.code, init.stderr).toBe(0);
    const summary = JSON.parse(init.stdout) as InitJson;
    expect(summary.notes.find((n) => n.setting === 'gunicorn config file')?.effect).toMatch(/read with gunicorn \d+\.\d+\.\d+'s own loader/);
    // workers = int(os.environ.get("WEB_CONCURRENCY", ...)): only gunicorn's own loader runs that.
    expect(summary.notes.find((n) => n.setting.startsWith('gunicorn -w'))?.value).toMatch(/^3\b/);
    const scenario = JSON.parse(readFileSync(join(out, 'gunicorn.json'), 'utf8')) as Record<string, unknown>;
    expect(scenario).toMatchObject({ timeoutMs: 120_000, strategies: ['wall-clock'], workers: 1 });
    expect(String(scenario['master'])).toMatch(/^gunicorn-2[02]$/);
  });

  it('writes one scenario per killer for uvicorn --workers under a liveness probe, and the pod with both nested', async () => {
    const out = freshDir();
    const init = await runCli(['init', '--from', EXAMPLE('uvicorn-workers.yaml'), '--out', out]);
    expect(init.code, init.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['reports-pod.json', 'reports-probe.json', 'reports-uvicorn.json']);
    expect(init.stdout).toMatch(/two killers = kubelet \+ uvicorn --workers, 2 workers/);
    expect(JSON.parse(readFileSync(join(out, 'reports-pod.json'), 'utf8'))).toMatchObject({ master: 'kubelet', container: { master: 'uvicorn', timeoutMs: 10_000, code: 'pure-python' }, probe: { timeoutMs: 5000 } });
    expect(init.stdout).toMatch(/npx starve-lab run .*reports-uvicorn\.json/);
    expect(JSON.parse(readFileSync(join(out, 'reports-probe.json'), 'utf8'))).toMatchObject({ probe: { timeoutMs: 5000, terminationGracePeriodMs: 60_000 } });
  });

  it('takes a command line, and a file holding one (a Procfile)', async () => {
    const out = freshDir();
    const line = await runCli(['init', '--from', 'exec gunicorn main:app -k uvicorn.workers.UvicornWorker --timeout 45', '--out', out, '--route', 'POST /report 1.2s', '--json']);
    expect(line.code, line.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'gunicorn.json'), 'utf8'))).toMatchObject({ timeoutMs: 45_000, load: { routes: [{ kind: 'cpu', ms: 1200 }] } });
    const procfile = join(out, 'Procfile');
    writeFileSync(procfile, 'release: python manage.py migrate\nweb: uvicorn main:app --workers 3\n');
    const fromFile = await runCli(['init', '--from', procfile, '--out', out, '--json']);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'uvicorn.json'), 'utf8'))).toMatchObject({ master: 'uvicorn', workers: 2 });
  });
});

describe('init refuses bad input with one clear message, exit 2, nothing written', () => {
  const refused = async (args: string[], message: RegExp, env: Record<string, string> = {}): Promise<void> => {
    const out = freshDir();
    const result = await runCli(['init', ...args, '--out', out], env);
    expect(result.code, result.stdout).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(out)).toEqual([]);
  };

  it('no --from, a stray argument, a word that is neither a file nor a command', async () => {
    await refused([], /init needs --from/);
    await refused(['deployment.yaml'], /no positional argument/);
    await refused(['--from', 'deployment.yaml'], /deployment\.yaml is not a file, nor a gunicorn or uvicorn command line/);
    await refused(['--from', 'node server.js'], /No gunicorn or uvicorn command/);
  });

  it('invalid YAML, a manifest with no container or no probe, several containers without --container', async () => {
    const dir = freshDir();
    const write = (name: string, text: string): string => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    await refused(['--from', write('bad.yaml', 'apiVersion: v1\nkind: Pod\nspec: {containers: [\n')], /not valid YAML \(line \d+\)/);
    await refused(['--from', write('svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\n')], /has no container/);
    await refused(['--from', write('noprobe.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, command: [uvicorn, a:b]}]}\n')], /has no livenessProbe/);
    await refused(['--from', write('two.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a}, {name: b}]}\n')], /2 containers: say which one serves the app with --container/);
    await refused(['--from', 'uvicorn a:b --workers 2', '--container', 'web'], /--container picks a container of a Kubernetes manifest/);
  });

  it('a gunicorn config file gunicorn itself cannot read, or no gunicorn to read it', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'broken.conf.py'), 'workers = int("four")\n');
    await refused(['--from', join(dir, 'broken.conf.py')], /gunicorn cannot read .*broken\.conf\.py: ValueError: invalid literal for int/);
    await refused(['--from', EXAMPLE('gunicorn.conf.py')], /needs the real gunicorn: a config file is Python/, { STARVE_LAB_PYTHON: join(dir, 'no-python') });
  });

  it('a setting out of range, a bad --route', async () => {
    await refused(['--from', 'gunicorn a:b -k uvicorn.workers.UvicornWorker --timeout 1.5'], /--timeout 1\.5: gunicorn takes a whole number/);
    await refused(['--from', 'uvicorn a:b --workers 2', '--route', 'POST /x fast'], /Expected --route to be \[METHOD\] \[PATH\] TIME/);
    await refused(['--from', 'uvicorn a:b --workers 2', '--route', '2-1s'], /the range goes down/);
  });

  it('does not overwrite a scenario without --force, and keeps it as it was', async () => {
    const out = freshDir();
    writeFileSync(join(out, 'uvicorn.json'), 'mine\n');
    const result = await runCli(['init', '--from', 'uvicorn a:b --workers 2', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/uvicorn\.json exists; init does not overwrite it/);
    expect(readFileSync(join(out, 'uvicorn.json'), 'utf8')).toBe('mine\n');
    const forced = await runCli(['init', '--from', 'uvicorn a:b --workers 2', '--out', out, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(existsSync(join(out, 'uvicorn.json'))).toBe(true);
    expect(readFileSync(join(out, 'uvicorn.json'), 'utf8')).toMatch(/"master": "uvicorn"/);
  });
});
