// nginx in front of the server (`"proxy": "nginx"`): its configuration, the scenario field and flag,
// the summary's wording, and the finding for requests it sent a second time after a kill (pure parts).

import { describe, expect, it } from 'vitest';
import { analyseStrategy } from '../../src/analysis/analyse-run.js';
import { countRetriedRequests } from '../../src/analysis/requests.js';
import { nginxConfig, tempDirectivesOf } from '../../src/lab/load/nginx-proxy.js';
import { describeFinding, describeLoadShape } from '../../src/report/wording.js';
import { applyOverrides } from '../../src/scenario/apply-overrides.js';
import { validateScenario } from '../../src/scenario/validate-scenario.js';
import type { TraceEvent } from '../../src/trace/events.js';
import { killedTrace, params } from '../helpers/synthetic-run.js';

const DEBIAN_V = 'nginx version: nginx/1.22.1\nconfigure arguments: --prefix=/usr/share/nginx --http-client-body-temp-path=/var/lib/nginx/body --http-fastcgi-temp-path=/var/lib/nginx/fastcgi --http-proxy-temp-path=/var/lib/nginx/proxy --http-scgi-temp-path=/var/lib/nginx/scgi --http-uwsgi-temp-path=/var/lib/nginx/uwsgi';

describe('nginx in front of the server', () => {
  it('moves every temporary directory nginx was built with into the run, and only those', () => {
    expect(tempDirectivesOf(DEBIAN_V)).toEqual(['client_body_temp_path', 'proxy_temp_path', 'fastcgi_temp_path', 'uwsgi_temp_path', 'scgi_temp_path']);
    expect(tempDirectivesOf('configure arguments: --http-proxy-temp-path=/tmp/p --without-http_fastcgi_module')).toEqual(['proxy_temp_path']);
  });

  it('listens and proxies on 127.0.0.1 only, over kept-alive HTTP/1.1 upstream connections, writing only inside the run', () => {
    const conf = nginxConfig({ listenPort: 40001, upstreamPort: 40002, dir: '/runs/x/wall-clock', tempDirectives: ['proxy_temp_path'] });
    expect(conf).toContain('listen 127.0.0.1:40001;');
    expect(conf).toContain('server 127.0.0.1:40002; keepalive');
    expect(conf).toContain('proxy_http_version 1.1;');
    expect(conf).toContain('proxy_set_header Connection "";');
    expect(conf).toContain('proxy_temp_path /runs/x/wall-clock/nginx-temp/proxy_temp_path;');
    expect(conf).toContain('daemon off;');
    // Every path it names is inside the strategy's directory.
    const paths = [...conf.matchAll(/ (\/\S+);/g)].map((m) => m[1] ?? '');
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.every((path) => path.startsWith('/runs/x/wall-clock/'))).toBe(true);
  });

  it('is a scenario field and a flag (none removes it); an unknown proxy is refused by name', () => {
    const base = { name: 'p', timeoutMs: 30_000, strategies: ['wall-clock'], durationMs: 10_000, load: { clients: 2, routes: [{ kind: 'cpu', ms: 500 }] } };
    const ok = validateScenario({ ...base, load: { ...base.load, proxy: 'nginx' } });
    expect(ok.ok && ok.scenario.load.proxy).toBe('nginx');
    const bad = validateScenario({ ...base, load: { ...base.load, proxy: 'haproxy' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => `${p.path} ${p.expected}`).join('\n')).toMatch(/\$\.load\.proxy .*nginx/);
    const raw: Record<string, unknown> = structuredClone(base);
    applyOverrides(raw, { proxy: 'nginx' });
    expect((raw['load'] as { proxy?: string }).proxy).toBe('nginx');
    applyOverrides(raw, { proxy: 'none' });
    expect('proxy' in (raw['load'] as object)).toBe(false);
    expect(describeLoadShape({ clients: 2, proxy: 'nginx' })).toBe('2 clients through nginx');
  });

  it('says when the proxy sent requests again after a kill: counted from the server starting the same request twice', () => {
    const retried: TraceEvent[] = [
      ...killedTrace(),
      // Request 1 was cut by the kill at 30.65 s; nginx sent it again to the new worker.
      { type: 'request-start', t: 30_700, pid: 11, id: 1, route: 'cpu', ms: 1500 },
    ];
    expect(countRetriedRequests(retried)).toBe(1);
    expect(countRetriedRequests(killedTrace())).toBe(0);
    const behind = analyseStrategy('tick-count', retried, params({}, { load: { clients: 1, thinkMs: 1000, proxy: 'nginx', routes: [{ kind: 'cpu', weight: 1, ms: { min: 1000, max: 2000 } }] } }));
    const finding = behind.findings.find((f) => f.kind === 'proxy-retried');
    expect(finding).toEqual({ kind: 'proxy-retried', proxy: 'nginx', requests: 1, kills: 1 });
    expect(describeFinding(finding!)).toMatch(/^nginx sent 1 request again.*ran twice/);
    // Without a proxy the same trace says nothing of one.
    expect(analyseStrategy('tick-count', retried, params()).findings.some((f) => f.kind === 'proxy-retried')).toBe(false);
  });
});
