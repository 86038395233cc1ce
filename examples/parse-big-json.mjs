// A scenario script: the blocking comes from your own code, here JSON.parse of a ~8 MB document in an
// endpoint that looks async but runs synchronously on the loop. Run it at real timing:
//   npx starve-lab run examples/parse-big-json.mjs
// Handlers run inside the worker, on its event loop; they take what they take (--time-scale does not
// shrink your code), so keep --time-scale 1 for script scenarios.

const rows = Array.from({ length: 60_000 }, (_, i) => ({ id: i, name: `row ${i}`, tags: ['a', 'b', 'c'], score: i / 7, nested: { ok: true, at: '2026-11-24T00:00:00Z' } }));
const document = JSON.stringify({ rows });

export default {
  name: 'parse-big-json',
  description: 'four clients post a big JSON document that the handler parses on the loop (your code, not a busy loop)',
  timeoutMs: 10000,
  workers: 1,
  master: 'gunicorn-20',
  loop: 'uvloop',
  strategies: ['tick-count', 'wall-clock'],
  durationMs: 30000,
  seed: 1,
  load: {
    clients: 4,
    thinkMs: 0,
    routes: [{ kind: 'script', handler: 'parseBigJson', weight: 1 }],
  },
  expect: { 'tick-count': 'killed' },
  realStack: 'Any synchronous work in an async endpoint blocks uvicorn\'s loop the same way.',
  handlers: {
    /** Called once per request on the worker's loop; `ms` is the route's drawn duration (unused here). */
    parseBigJson() {
      const parsed = JSON.parse(document);
      return parsed.rows.length;
    },
  },
};
