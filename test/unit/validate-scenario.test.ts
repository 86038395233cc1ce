import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listBuiltinScenarioFiles } from '../../src/io/load-scenario.js';
import { buildLabPlan } from '../../src/scenario/scale-time.js';
import { scenarioToFile } from '../../src/scenario/scenario-file.js';
import { validateScenario } from '../../src/scenario/validate-scenario.js';

const valid = {
  name: 'mine',
  timeoutMs: 30_000,
  strategies: ['tick-count', 'wall-clock'],
  durationMs: 60_000,
  load: { clients: 1, thinkMs: 0, routes: [{ kind: 'cpu', ms: { min: 1000, max: 2000 } }] },
};

describe('validateScenario', () => {
  it('accepts a minimal scenario and fills in gunicorn/uvicorn defaults', () => {
    const check = validateScenario(valid);
    expect(check.ok).toBe(true);
    if (check.ok) {
      expect(check.scenario).toMatchObject({ workers: 1, supervisor: { kind: 'gunicorn', master: 'gunicorn-20' }, loop: 'uvloop', seed: 1, expect: {} });
      expect(check.scenario.load.routes[0]).toEqual({ kind: 'cpu', weight: 1, ms: { min: 1000, max: 2000 } });
    }
  });

  it('takes uvicorn\'s HTTP implementation (httptools by default) and an open load, refusing what does not fit it', () => {
    const open = validateScenario({ ...valid, http: 'h11', load: { clients: 8, arrivalsPerS: 2.5, routes: valid.load.routes } });
    expect(open.ok).toBe(true);
    if (open.ok) {
      expect(open.scenario.http).toBe('h11');
      expect(open.scenario.load).toMatchObject({ clients: 8, thinkMs: 0, arrivalsPerS: 2.5 });
    }
    const closed = validateScenario(valid);
    expect(closed.ok && closed.scenario.http).toBe('httptools');
    expect(closed.ok && closed.scenario.load.arrivalsPerS).toBeUndefined();
    const wrong = validateScenario({ ...valid, http: 'auto', load: { clients: 0, thinkMs: 500, arrivalsPerS: 0, routes: valid.load.routes } });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) {
      const paths = wrong.problems.map((p) => p.path);
      expect(paths).toEqual(expect.arrayContaining(['$.http', '$.load.arrivalsPerS', '$.load.thinkMs', '$.load.clients']));
    }
  });

  it("takes the server's keep-alive in whole seconds, scales it with the run, and falls back to the server's default", () => {
    const given = validateScenario({ ...valid, keepAliveMs: 65_000 });
    expect(given.ok && given.scenario.keepAliveMs).toBe(65_000);
    if (given.ok) {
      expect(buildLabPlan(given.scenario, 0.1).timing.keepAliveMs).toBeCloseTo(6500);
      expect(validateScenario(scenarioToFile(given.scenario))).toMatchObject({ ok: true, scenario: { keepAliveMs: 65_000 } });
    }
    const unset = validateScenario(valid);
    expect(unset.ok && unset.scenario).not.toHaveProperty('keepAliveMs');
    if (unset.ok) expect(buildLabPlan(unset.scenario, 1).timing.keepAliveMs).toBe(2000);
    for (const keepAliveMs of [0, 1500, 3_600_000, '5s']) {
      const wrong = validateScenario({ ...valid, keepAliveMs });
      expect(wrong.ok).toBe(false);
      if (!wrong.ok) expect(wrong.problems[0]).toMatchObject({ path: '$.keepAliveMs' });
    }
  });

  it('refuses control characters in the name and the description (they reach terminals and Markdown), allowing line breaks in the description', () => {
    const paths = (raw: Record<string, unknown>): string[] => {
      const check = validateScenario(raw);
      return check.ok ? [] : check.problems.map((p) => p.path);
    };
    expect(paths({ ...valid, name: 'evil\u001b[31m' })).toEqual(['$.name']);
    expect(paths({ ...valid, description: 'one\ntwo \u001b]0;title\u0007' })).toEqual(['$.description']);
    expect(paths({ ...valid, description: 'one\n\ttwo' })).toEqual([]);
  });

  it('takes wrk as the closed-loop client (autocannon, the default, is left out) and refuses it with an open load', () => {
    const wrk = validateScenario({ ...valid, load: { ...valid.load, client: 'wrk' } });
    expect(wrk.ok && wrk.scenario.load.client).toBe('wrk');
    const autocannon = validateScenario({ ...valid, load: { ...valid.load, client: 'autocannon' } });
    expect(autocannon.ok && autocannon.scenario.load.client).toBeUndefined();
    const paths = (raw: Record<string, unknown>): string[] => {
      const check = validateScenario(raw);
      return check.ok ? [] : check.problems.map((p) => p.path);
    };
    expect(paths({ ...valid, load: { ...valid.load, client: 'curl' } })).toEqual(['$.load.client']);
    expect(paths({ ...valid, load: { ...valid.load, client: 'wrk', arrivalsPerS: 2 } })).toEqual(['$.load.client']);
  });

  it('refuses paths and headers that HTTP cannot carry (a CR or LF would split the request), quoting what it found', () => {
    const route = (extra: Record<string, unknown>): Record<string, unknown> => ({ ...valid, load: { clients: 1, routes: [{ kind: 'http', path: '/ok', ...extra }] } });
    const problems = (raw: Record<string, unknown>): Array<{ path: string; found: string }> => {
      const check = validateScenario(raw);
      return check.ok ? [] : check.problems.map((p) => ({ path: p.path, found: p.found }));
    };
    expect(problems(route({ path: '/a\r\nX-Injected: 1' }))).toEqual([{ path: '$.load.routes[0].path', found: '"/a\\r\\nX-Injected: 1"' }]);
    expect(problems(route({ path: '/with space' }))[0]?.path).toBe('$.load.routes[0].path');
    expect(problems(route({ headers: { 'x-ok': 'fine', 'x-bad': 'a\nb' } }))).toEqual([{ path: '$.load.routes[0].headers["x-bad"]', found: '"a\\nb"' }]);
    expect(problems(route({ headers: { 'bad\nname': 'v' } }))[0]?.path).toBe('$.load.routes[0].headers["bad\\nname"]');
    expect(problems(route({ path: '/report?n=5&q=%20x', headers: { authorization: 'Bearer abc.def', 'x-tab': 'a\tb' } }))).toEqual([]);
    const probe = { ...valid, master: 'kubelet', timeoutMs: undefined, strategies: ['health-on-loop'], probe: { path: '/healthz\r\n' } };
    expect(problems(probe).map((p) => p.path)).toContain('$.probe.path');
  });

  it('runs a single preset on its own, but not none', () => {
    expect(validateScenario({ ...valid, strategies: ['wall-clock'] }).ok).toBe(true);
    const none = validateScenario({ ...valid, strategies: [] });
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.problems[0]?.expected).toBe('a list of one or more notifier presets (two or more to compare them side by side)');
  });

  it('lists every problem at once with its JSON path', () => {
    const check = validateScenario({
      ...valid,
      timeoutMs: -5,
      strategies: ['tick-count', 'tick-kount'],
      load: { clients: 0, routes: [{ kind: 'cpu', ms: { min: 2000, max: 1000 } }] },
      expect: { 'wall-clock': 'dies' },
    });
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.problems.map((p) => p.path)).toEqual(['$.timeoutMs', '$.strategies[1]', '$.load.routes[0].ms.max', '$.load.clients', '$.expect.wall-clock']);
      expect(check.problems[0]).toEqual({ path: '$.timeoutMs', expected: 'a timeout in ms from 0 to 3600000 (1 hour; 0 disables the check)', found: '-5' });
      expect(check.problems[1]?.expected).toContain('tick-count, wall-clock');
    }
  });

  it('refuses absurd values with the bound in the message', () => {
    const check = validateScenario({
      ...valid,
      timeoutMs: 1e308,
      load: { clients: 100_000, thinkMs: 3_600_001, routes: [{ kind: 'cpu', ms: 1e9, weight: 1e9 }] },
      clockSteps: [{ atMs: 1000, stepMs: -1e12 }],
    });
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.problems.map((p) => p.path)).toEqual(['$.timeoutMs', '$.load.clients', '$.load.thinkMs', '$.load.routes[0].weight', '$.load.routes[0].ms', '$.clockSteps[0].stepMs']);
      expect(check.problems.find((p) => p.path === '$.load.clients')?.expected).toBe('a whole number of clients from 0 to 256');
      expect(check.problems.find((p) => p.path === '$.load.routes[0].ms')?.expected).toContain('from 0 to 3600000 (1 hour)');
    }
  });

  it('catches a misspelt field instead of silently using the default', () => {
    const check = validateScenario({ ...valid, timeout: 10 });
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.problems).toEqual([{ path: '$.timeout', expected: 'no such field; did you mean "timeoutMs"?', found: '10' }]);
  });

  it('checks clock steps and script handlers', () => {
    const scripted = {
      ...valid,
      clockSteps: [{ atMs: 1000, stepMs: 0 }],
      load: { clients: 1, routes: [{ kind: 'script', handler: 'parseBig' }, { kind: 'script', handler: 'nope' }] },
    };
    const check = validateScenario(scripted, ['parseBig']);
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.problems.map((p) => `${p.path}: ${p.expected}`)).toEqual([
        '$.load.routes[1].handler: one of the script\'s handlers: parseBig',
        '$.clockSteps[0].stepMs: a step in ms, negative for backward, not 0, at most 24 hours either way',
      ]);
    }
    const json = validateScenario({ ...valid, load: { clients: 1, routes: [{ kind: 'script', handler: 'parseBig' }] } });
    expect(json.ok).toBe(false);
    if (!json.ok) expect(json.problems[0]?.path).toBe('$.load.routes[0].kind');
  });

  it('accepts every built-in scenario file', () => {
    const files = listBuiltinScenarioFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(validateScenario(JSON.parse(readFileSync(file, 'utf8'))).ok, file).toBe(true);
  });

  it('reads http routes (your app\'s paths) and keeps them valid once normalised into params.json', () => {
    const route = { kind: 'http', method: 'POST', path: '/portfolio/score', body: '{"n":5}', headers: { 'content-type': 'application/json' } };
    const check = validateScenario({ ...valid, load: { clients: 1, routes: [route] } });
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    const saved = check.scenario.load.routes[0];
    expect(saved).toEqual({ kind: 'http', weight: 1, ms: 0, request: { method: 'POST', path: '/portfolio/score', body: '{"n":5}', headers: { 'content-type': 'application/json' } } });
    expect(validateScenario(JSON.parse(JSON.stringify(scenarioToFile(check.scenario)))).ok).toBe(true);
  });

  it('names what is wrong with an http route, and http fields on other routes', () => {
    const check = validateScenario({ ...valid, load: { clients: 1, routes: [{ kind: 'http', method: 'FETCH', path: 'report' }, { kind: 'cpu', ms: 5, path: '/x' }] } });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems.map((p) => p.path)).toEqual(['$.load.routes[0].method', '$.load.routes[0].path', '$.load.routes[1].path']);
  });
});

describe('validateScenario under the kubelet', () => {
  const kubelet = { name: 'probe', master: 'kubelet', strategies: ['health-on-loop', 'health-off-loop'], durationMs: 60_000, load: valid.load };

  it('refuses gunicorn\'s timeoutMs under the kubelet (its probe has its own), keeping the 0 of older params.json files', () => {
    const check = validateScenario({ ...kubelet, timeoutMs: 30_000 });
    expect(check.ok ? [] : check.problems.map((p) => p.path)).toEqual(['$.timeoutMs']);
    expect(validateScenario({ ...kubelet, timeoutMs: 0 }).ok).toBe(true);
  });

  it('takes health strategies and fills the probe with the kubelet\'s defaults; no gunicorn timeout is needed', () => {
    const check = validateScenario(kubelet);
    expect(check.ok).toBe(true);
    if (check.ok) {
      expect(check.scenario.supervisor.kind).toBe('kubelet');
      expect(check.scenario.supervisor).toMatchObject({ probe: { path: '/healthz', periodMs: 10_000, timeoutMs: 1000, failureThreshold: 3, successThreshold: 1, terminationGracePeriodMs: 30_000 } });
    }
    const custom = validateScenario({ ...kubelet, probe: { periodMs: 5000, failureThreshold: 5 } });
    expect(custom.ok && custom.scenario.supervisor).toMatchObject({ kind: 'kubelet', probe: { periodMs: 5000, failureThreshold: 5, timeoutMs: 1000, kubeletStart: 'steady', probeTerminationGracePeriodMs: null } });
  });

  it("takes the probe's own grace period and a kubelet that just restarted, and refuses what they cannot be", () => {
    const set = validateScenario({ ...kubelet, probe: { probeTerminationGracePeriodMs: 5000, kubeletStart: 'restarted' } });
    expect(set.ok && set.scenario.supervisor).toMatchObject({ probe: { probeTerminationGracePeriodMs: 5000, kubeletStart: 'restarted' } });
    const bad = validateScenario({ ...kubelet, probe: { probeTerminationGracePeriodMs: 0, kubeletStart: 'rebooted' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      const byPath = Object.fromEntries(bad.problems.map((p) => [p.path, p.expected]));
      expect(byPath['$.probe.probeTerminationGracePeriodMs']).toContain('ms from 1000');
      expect(byPath['$.probe.kubeletStart']).toContain('"steady", "restarted"');
    }
  });

  it('refuses what the kubelet would refuse, and mixing up the two kinds of strategy, saying which is which', () => {
    const check = validateScenario({ ...kubelet, strategies: ['health-on-loop', 'tick-count'], probe: { timeoutMs: 500, successThreshold: 2, period: 5 } });
    expect(check.ok).toBe(false);
    if (!check.ok) {
      const byPath = Object.fromEntries(check.problems.map((p) => [p.path, p.expected]));
      expect(byPath['$.strategies[1]']).toContain('tick-count is a gunicorn heartbeat rule');
      expect(byPath['$.probe.timeoutMs']).toContain('at least 1 s');
      expect(byPath['$.probe.successThreshold']).toContain('exactly 1');
      expect(byPath['$.probe.period']).toContain('did you mean "periodMs"');
    }
    const underGunicorn = validateScenario({ ...valid, strategies: ['health-on-loop'], probe: {} });
    expect(underGunicorn.ok).toBe(false);
    if (!underGunicorn.ok) {
      expect(underGunicorn.problems.map((p) => p.path).sort()).toEqual(['$.probe', '$.strategies[0]']);
      expect(underGunicorn.problems.find((p) => p.path === '$.strategies[0]')?.expected).toContain('needs "master": "kubelet"');
    }
  });
});

describe("validateScenario under uvicorn's process manager", () => {
  const uvicorn = { name: 'manager', master: 'uvicorn', workers: 2, strategies: ['pure-python', 'holds-gil'], durationMs: 60_000, load: valid.load };

  it('takes kinds of handler code, its timeoutMs as the healthcheck timeout (5 s when left out)', () => {
    const check = validateScenario(uvicorn);
    expect(check.ok && check.scenario.supervisor).toEqual({ kind: 'uvicorn', healthcheckTimeoutMs: 5000 });
    const longer = validateScenario({ ...uvicorn, timeoutMs: 8000 });
    expect(longer.ok && longer.scenario.supervisor).toEqual({ kind: 'uvicorn', healthcheckTimeoutMs: 8000 });
  });

  it('refuses another kind\'s strategies saying whose they are, a probe, a 0 timeout and clock steps', () => {
    const check = validateScenario({ ...uvicorn, timeoutMs: 0, strategies: ['pure-python', 'wall-clock', 'health-on-loop'], probe: {}, clockSteps: [{ atMs: 1000, stepMs: 5000 }] });
    expect(check.ok).toBe(false);
    if (!check.ok) {
      const byPath = Object.fromEntries(check.problems.map((p) => [p.path, p.expected]));
      expect(byPath['$.strategies[1]']).toContain('wall-clock is a gunicorn heartbeat rule');
      expect(byPath['$.strategies[2]']).toContain('health-on-loop is a health strategy');
      expect(byPath['$.timeoutMs']).toContain("uvicorn's healthcheck timeout");
      expect(byPath['$.probe']).toContain('only "master": "kubelet"');
      expect(byPath['$.clockSteps']).toContain("uvicorn's process manager");
    }
    const underGunicorn = validateScenario({ ...valid, strategies: ['holds-gil'] });
    expect(!underGunicorn.ok && underGunicorn.problems[0]?.expected).toContain('holds-gil is a kind of handler code under uvicorn\'s process manager: it needs "master": "uvicorn"');
  });
});
