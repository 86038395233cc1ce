#!/usr/bin/env node
// Is the load generator part of a model/real difference? Serves the same route on each stack
// (starve-lab's model and the real gunicorn + uvicorn, each through `starve-lab run idle --port`, so
// no kill interferes: timeout 600 s) and drives it in turn with autocannon and with wrk, closed loop,
// the same connections and length; prints completed requests per second for each pair.
// Needs wrk (apt-get install wrk). Run it alone on a quiet machine: it burns a core per stack.
// Usage: node scripts/check-load-generators.mjs [seconds=20] [route=/cpu?ms=300] [connections=1,2]
import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const [seconds = '20', route = '/cpu?ms=300', connectionList = '1,2'] = process.argv.slice(2);
const cli = fileURLToPath(new URL('../bin/starve-lab.js', import.meta.url));
const autocannonBin = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));
const PORT = 47310;

async function withStack(stack, body) {
  const lab = spawn(process.execPath, [cli, 'run', 'idle', '--stack', stack, '--sequential', '--strategies', 'wall-clock,thread', '--timeout', '600', '--duration', '3600', '--port', String(PORT), '--quiet', '--out', '/tmp/starve-lab-load-check'], { stdio: ['ignore', 'ignore', 'inherit'] });
  // Wait until the first strategy's master answers.
  for (let i = 0; i < 100; i++) {
    try {
      execFileSync('curl', ['-s', '-o', '/dev/null', `http://127.0.0.1:${PORT}/`]);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await body(`http://127.0.0.1:${PORT}${route}`);
  } finally {
    lab.kill('SIGINT');
    await once(lab, 'exit');
  }
}

function wrk(url, connections) {
  const out = execFileSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '30s', url], { encoding: 'utf8' });
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
}

function autocannon(url, connections) {
  const out = execFileSync(process.execPath, [autocannonBin, '-c', String(connections), '-d', seconds, '-t', '30', '--json', url], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const result = JSON.parse(out);
  return result['2xx'] / Number(seconds);
}

const rows = [];
for (const stack of ['model', 'real']) {
  await withStack(stack, async (url) => {
    for (const connections of connectionList.split(',').map(Number)) {
      rows.push({ stack, connections, autocannon: autocannon(url, connections), wrk: wrk(url, connections) });
    }
  });
}
process.stdout.write(`route ${route}, ${seconds} s per measurement, closed loop\n\n| stack | connections | autocannon req/s | wrk req/s | ratio |\n| --- | --- | --- | --- | --- |\n`);
for (const r of rows) process.stdout.write(`| ${r.stack} | ${r.connections} | ${r.autocannon.toFixed(2)} | ${r.wrk.toFixed(2)} | ${(r.autocannon / r.wrk).toFixed(3)} |\n`);
