// A plain node:http service, no framework, as it would run in a pod: a CPU-heavy report route and the
// health route its liveness probe calls. Nothing in it knows about starve-lab:
//   node examples/node-app/server.mjs                      (listens on PORT or 3000)
//   npx starve-lab run examples/node-app/scenario.json --app examples/node-app/server.mjs
import { createHash } from 'node:crypto';
import http from 'node:http';

/** Builds a "report": hashes a chain of records for about `ms` milliseconds of CPU, on the event loop. */
function buildReport(ms) {
  const until = performance.now() + ms;
  let digest = 'seed';
  let rows = 0;
  while (performance.now() < until) {
    digest = createHash('sha256').update(digest).update(String(rows)).digest('hex');
    rows += 1;
  }
  return { rows, digest };
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok\n');
    return;
  }
  if (url.pathname === '/report') {
    const ms = Math.min(Number(url.searchParams.get('ms') ?? 1000), 10_000);
    const report = buildReport(ms);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(report));
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found\n');
});

server.listen(Number(process.env.PORT ?? 3000), () => console.log(`listening on ${JSON.stringify(server.address())}`));
