#!/usr/bin/env node
// The nested pod's key mechanism measured on the real stack: the kubelet's httpGet probe sent to the
// port a gunicorn master's workers share, while they serve CPU-bound handlers. Runs a gunicorn
// scenario on the real stack (or the model) with a fixed port and, beside it, the lab's own probe
// (probe-actions.ts httpGetProbe: a fresh connection, `Connection: close`, the timeout on the whole
// exchange) every period, and prints each probe's outcome and the share that failed. The model's pod
// (`"master": "kubelet"` with a `"container"`) records the same probes in its trace, so the two compare.
// Usage: node scripts/measure-pod-probes.mjs <scenario.json> [real|model] [periodMs] [timeoutMs] [port]
import { runScenario } from '../dist/index.js';
import { httpGetProbe } from '../dist/lab/supervisors/kubelet/probe-actions.js';

const [file, stack = 'real', periodArg = '2000', timeoutArg = '1000', portArg = '18000'] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write('usage: node scripts/measure-pod-probes.mjs <scenario.json> [real|model] [periodMs] [timeoutMs] [port]\n');
  process.exit(2);
}
const periodMs = Number(periodArg);
const timeoutMs = Number(timeoutArg);
const port = Number(portArg);
const abort = new AbortController();
process.on('SIGINT', () => abort.abort());
const started = Date.now();
let listening = false;
const probes = [];
const run = runScenario(file, { stack, basePort: port, sequential: true, outDir: '/tmp/pod-probes', signal: abort.signal, onEvent: (event) => {
  if (event.type === 'load-start') listening = true;
} });
let done = false;
void run.finally(() => (done = true));
// The probe worker's ticker: one probe every period from the load's start, the next at once after a longer one.
while (!done) {
  const tick = Date.now();
  if (listening) {
    const outcome = await httpGetProbe(port, '/', timeoutMs);
    if (!done) probes.push({ atS: (tick - started) / 1000, ...outcome });
  }
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, tick + periodMs - Date.now())));
}
const result = await run;
const failed = probes.filter((p) => p.result === 'failure');
for (const p of probes) process.stdout.write(`${p.atS.toFixed(1)} s  ${p.result.padEnd(7)}  ${p.detail.padEnd(18)} ${p.tookMs.toFixed(0)} ms\n`);
let streak = 0;
let longest = 0;
for (const p of probes) longest = Math.max(longest, (streak = p.result === 'failure' ? streak + 1 : 0));
const outcomes = result.kind === 'run' ? result.report.strategies.map((s) => `${s.name} ${s.outcome}`).join(', ') : '';
process.stdout.write(`${stack}: ${failed.length} of ${probes.length} probes failed (longest streak ${longest}); the run: ${outcomes}\n`);
