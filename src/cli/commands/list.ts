// `starve-lab list`: every built-in scenario and preset, one line each.

import { MASTERS } from '../../masters/registry.js';
import { NOTIFIERS } from '../../notifiers/registry.js';
import { HEALTH_STRATEGIES } from '../../probes/health-strategies.js';
import { CODE_KINDS } from '../../process-manager/code-kinds.js';
import { KUBELET_MASTER as KUBELET, UVICORN_MASTER as UVICORN } from '../../scenario/supervisor.js';
import { listBuiltinScenarioFiles, loadScenario } from '../../io/load-scenario.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { LIST_HELP } from '../help.js';
import { parseCommandArgs } from '../parse-options.js';
import { StarveError } from '../../errors.js';
import { locateWrk } from '../../lab/load/find-wrk.js';
import { locateNginx } from '../../lab/load/find-nginx.js';

const HTTP_IMPLEMENTATION_SUMMARIES = [
  { name: 'httptools', summary: 'uvicorn[standard]: the C parser (the default); uvicorn writes each response in one call per message' },
  { name: 'h11', summary: 'plain `pip install uvicorn`: the pure-Python parser, about 40 µs of loop time more per request (measured here)' },
];
/** The closed-loop clients, with whether this machine has each (autocannon ships with starve-lab). */
function loadClientSummaries(): Array<{ name: string; summary: string; installed: boolean }> {
  return [
    { name: 'autocannon', summary: 'the default: Node, in the load process; its next request leaves 88 µs (median) after a response that woke it (bench/client-gap.mjs)', installed: true },
    { name: 'wrk', summary: 'a C client (apt-get install wrk), one connection per thread, starve-lab\'s Lua script accounting each request: 34 µs', installed: locateWrk() !== null },
  ];
}
/** The reverse proxies the load can go through, with whether this machine has each. */
function loadProxySummaries(): Array<{ name: string; summary: string; installed: boolean }> {
  return [{ name: 'nginx', summary: 'in front of the server over kept-alive upstream connections (apt-get install nginx-light): its hop adds 167 µs (median); a request cut by a kill is sent again to the next worker', installed: locateNginx() !== null }];
}
const KUBELET_REAL_VERSIONS = "the kubelet's prober as documented (docs/kubelet.md); starve-lab's re-creation runs the real stack's containers too";
const UVICORN_REAL_VERSIONS = 'uvicorn 0.32.0 (Debian trixie, a fixed 5 s healthcheck) and 0.53.0 (unstable, --timeout-worker-healthcheck), run for real with `--stack real` (docs/calibration.md)';
const UVICORN_SUMMARY = 'uvicorn\'s own process manager (uvicorn --workers N; "timeoutMs" is its --timeout-worker-healthcheck, 5 s): pings each child in turn every 0.5 s, SIGKILLs one that does not answer in time';
/** What the health strategies' answers were run against on the real stack. */
const HEALTH_REAL_VERSIONS = 'plain uvicorn 0.17.6 (Debian bookworm) as the container, with `--stack real`';
const KUBELET_SUMMARY = 'Kubernetes liveness probe (the scenario\'s "probe": periodMs, timeoutMs, failureThreshold, ...): SIGTERM, SIGKILL after the grace, restart with the crash-loop back-off';

export async function listCommand(args: string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('list', { args, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  // `list cpu-burst` would otherwise print everything and let the user think it was filtered.
  if (positionals.length > 0) throw new StarveError('BAD_ARGUMENT', `list takes no arguments, got \`${positionals.join(' ')}\`.`, { hint: 'Run `starve-lab list` for everything, or `starve-lab run <scenario> --help` for one scenario.' });
  if (values.help === true) {
    process.stdout.write(LIST_HELP);
    return EXIT.ok;
  }
  const loaded = await Promise.all(listBuiltinScenarioFiles().map(async (file) => (await loadScenario(file)).scenario));
  const scenarios = loaded.sort((a, b) => a.name.localeCompare(b.name));
  if (values.json === true) {
    const json = {
      scenarios: scenarios.map((s) => ({ name: s.name, description: s.description, strategies: s.strategies, supervisor: s.supervisor, durationMs: s.durationMs, loop: s.loop, http: s.http, expect: s.expect })),
      httpImplementations: HTTP_IMPLEMENTATION_SUMMARIES,
      loadClients: loadClientSummaries(),
      loadProxies: loadProxySummaries(),
      notifiers: NOTIFIERS.map((n) => ({ name: n.name, summary: n.summary, realVersions: n.realVersions })),
      masters: [
        ...MASTERS.map((m) => ({ name: m.name, summary: m.summary, realVersions: m.realVersions })),
        { name: KUBELET, summary: KUBELET_SUMMARY, realVersions: KUBELET_REAL_VERSIONS },
        { name: UVICORN, summary: UVICORN_SUMMARY, realVersions: UVICORN_REAL_VERSIONS },
      ],
      healthStrategies: HEALTH_STRATEGIES.map((h) => ({ name: h.name, summary: h.summary, probe: h.probe, realVersions: HEALTH_REAL_VERSIONS })),
      codeKinds: CODE_KINDS.map((c) => ({ name: c.name, summary: c.summary, realVersions: UVICORN_REAL_VERSIONS })),
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return EXIT.ok;
  }
  const width = Math.max(12, ...scenarios.map((s) => s.name.length), ...NOTIFIERS.map((n) => n.name.length), ...MASTERS.map((m) => m.name.length), ...HEALTH_STRATEGIES.map((h) => h.name.length)) + 2;
  const lines = [
    'Scenarios (starve-lab run <name>)',
    ...scenarios.map((s) => `  ${s.name.padEnd(width)}${s.description}`),
    '',
    'Notifier presets (a scenario\'s "strategies")',
    ...NOTIFIERS.flatMap((n) => [`  ${n.name.padEnd(width)}${n.summary}`, `  ${''.padEnd(width)}faithful to ${n.realVersions}`]),
    '',
    'Master presets (a scenario\'s "master")',
    ...MASTERS.flatMap((m) => [`  ${m.name.padEnd(width)}${m.summary}`, `  ${''.padEnd(width)}faithful to ${m.realVersions}`]),
    `  ${KUBELET.padEnd(width)}${KUBELET_SUMMARY}`,
    `  ${''.padEnd(width)}faithful to ${KUBELET_REAL_VERSIONS}`,
    `  ${UVICORN.padEnd(width)}${UVICORN_SUMMARY}`,
    `  ${''.padEnd(width)}faithful to ${UVICORN_REAL_VERSIONS}`,
    '',
    `Health strategies (a scenario's "strategies" under "master": "${KUBELET}"; run against ${HEALTH_REAL_VERSIONS})`,
    ...HEALTH_STRATEGIES.map((h) => `  ${h.name.padEnd(width)}${h.summary}`),
    '',
    `Kinds of handler code (a scenario's "strategies" under "master": "${UVICORN}")`,
    ...CODE_KINDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'HTTP implementations (a scenario\'s "http", or --http)',
    ...HTTP_IMPLEMENTATION_SUMMARIES.map((h) => `  ${h.name.padEnd(width)}${h.summary}`),
    '',
    'Closed-loop clients (a scenario\'s "load.client", or --client)',
    ...loadClientSummaries().map((c) => `  ${c.name.padEnd(width)}${c.summary}${c.installed ? '' : ' (not installed here)'}`),
    '',
    'Reverse proxies (a scenario\'s "load.proxy", or --proxy)',
    ...loadProxySummaries().map((p) => `  ${p.name.padEnd(width)}${p.summary}${p.installed ? '' : ' (not installed here)'}`),
    '',
  ];
  process.stdout.write(lines.join('\n'));
  return EXIT.ok;
}
