// nginx as the reverse proxy in front of the server (`"proxy": "nginx"`, --proxy nginx), as most
// production deployments have one: the load's clients talk to nginx on 127.0.0.1, and nginx to the
// supervisor's socket over keep-alive upstream connections (`keepalive`, HTTP/1.1, no Connection
// header), the setup nginx documents for upstream keep-alive. Run by the load process, one nginx per
// strategy, a single process (`master_process off`) in the load's process group, started before the
// load says it is armed and stopped with it. What it adds is measured in docs/benchmarks.md (its hop:
// 167 µs at the median after a slow response) and its effect near a boundary in docs/model.md.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeLoopbackPort } from '../free-port.js';
import { tcpSocketProbe } from '../supervisors/kubelet/probe-actions.js';

/** The configure flags of nginx's temporary directories, and the directive that moves each. */
const TEMP_PATHS: ReadonlyArray<readonly [flag: string, directive: string]> = [
  ['--http-client-body-temp-path', 'client_body_temp_path'],
  ['--http-proxy-temp-path', 'proxy_temp_path'],
  ['--http-fastcgi-temp-path', 'fastcgi_temp_path'],
  ['--http-uwsgi-temp-path', 'uwsgi_temp_path'],
  ['--http-scgi-temp-path', 'scgi_temp_path'],
];

export interface NginxSetup {
  listenPort: number;
  upstreamPort: number;
  /** Where its configuration, error log and temporary files go (the strategy's directory). */
  dir: string;
  /** The temporary-path directives this nginx was built with (from `nginx -V`): each is moved into `dir`. */
  tempDirectives: readonly string[];
}

/** The directives whose configure flags `nginx -V` printed (pure). */
export function tempDirectivesOf(versionOutput: string): string[] {
  return TEMP_PATHS.filter(([flag]) => versionOutput.includes(`${flag}=`)).map(([, directive]) => directive);
}

/** nginx.conf for one strategy (pure): everything on 127.0.0.1 and inside `dir`. */
export function nginxConfig(setup: NginxSetup): string {
  const temp = join(setup.dir, 'nginx-temp');
  return [
    'daemon off;',
    'master_process off;',
    'worker_processes 1;',
    `pid ${join(setup.dir, 'nginx.pid')};`,
    `error_log ${join(setup.dir, 'nginx-error.log')} warn;`,
    'events { worker_connections 1024; }',
    'http {',
    '  access_log off;',
    ...setup.tempDirectives.map((directive) => `  ${directive} ${join(temp, directive)};`),
    `  upstream starve_lab { server 127.0.0.1:${setup.upstreamPort}; keepalive 64; }`,
    '  server {',
    `    listen 127.0.0.1:${setup.listenPort};`,
    '    location / {',
    '      proxy_pass http://starve_lab;',
    '      proxy_http_version 1.1;',
    '      proxy_set_header Connection "";',
    // Longer than any run: the lab's clients time requests out themselves.
    '      proxy_read_timeout 3600s;',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Bounded: an nginx that does not accept by then is reported with its error log. */
const NGINX_START_LIMIT_MS = 5000;

export interface RunningNginx {
  port: number;
  stop(): void;
}

/** Starts nginx in front of `upstreamPort` and resolves once it accepts; rejects with its error log. */
export async function startNginx(command: string, dir: string, upstreamPort: number): Promise<RunningNginx> {
  // `nginx -V` prints its configure flags on stderr.
  const version = spawnSync(command, ['-V'], { encoding: 'utf8', timeout: NGINX_START_LIMIT_MS });
  const tempDirectives = tempDirectivesOf(`${version.stdout ?? ''}${version.stderr ?? ''}`);
  for (const directive of tempDirectives) mkdirSync(join(dir, 'nginx-temp', directive), { recursive: true });
  const listenPort = await freeLoopbackPort();
  const confPath = join(dir, 'nginx.conf');
  writeFileSync(confPath, nginxConfig({ listenPort, upstreamPort, dir, tempDirectives }));
  const errorLog = join(dir, 'nginx-error.log');
  // What nginx says before it reads -e (a bad option, an unreadable file) goes to the same log.
  const logFd = openSync(errorLog, 'a');
  const child: ChildProcess = spawn(command, ['-p', dir, '-c', confPath, '-e', errorLog], { stdio: ['ignore', 'ignore', logFd] });
  closeSync(logFd);
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  const stop = (): void => {
    if (running()) child.kill('SIGKILL');
  };
  process.once('exit', stop);
  const deadline = Date.now() + NGINX_START_LIMIT_MS;
  while (Date.now() < deadline) {
    if (!running()) break;
    // Still running once its port accepts: nginx itself bound it (one that could not exits at once).
    if ((await tcpSocketProbe(listenPort, NGINX_START_LIMIT_MS)).result === 'success' && running()) return { port: listenPort, stop };
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  stop();
  let log = '';
  try {
    log = readFileSync(errorLog, 'utf8').trim().split('\n').slice(-3).join(' | ');
  } catch {
    // no log written
  }
  throw new Error(`nginx did not start in front of 127.0.0.1:${upstreamPort}${log === '' ? '' : `: ${log}`}`);
}
