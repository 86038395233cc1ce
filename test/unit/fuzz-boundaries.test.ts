// Property tests (fast-check) of every decoder and parser at a boundary where a person, a crash or
// another program hands starve-lab text: whatever comes in, each answers with a value or a problem it
// names (a StarveError for the CLI's parsers), never an exception of its own; and what the escapers
// return can never carry a control character or break out of its context.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStarveError } from '../../src/errors.js';
import { decodeGrid } from '../../src/calibration/grid.js';
import { decodeReference } from '../../src/calibration/reference.js';
import { parseDurationFlag, parseRateFlag, parseWholeFlag } from '../../src/cli/override-flags.js';
import { decodeWrkLine, luaString } from '../../src/lab/load/wrk-script.js';
import { escapeMarkdown, escapeXml, printable } from '../../src/report/escape.js';
import { validateScenario } from '../../src/scenario/validate-scenario.js';
import { parseAxis } from '../../src/sweep/axes.js';
import { decodeSweepPlan } from '../../src/sweep/plan.js';
import { parseShard } from '../../src/sweep/shards.js';
import { decodeTrace } from '../../src/trace/decode-trace.js';
import { decodeRunParams, encodeRunParams } from '../../src/trace/run-params.js';
import { encodeSweepPlan, sweepIdOf, type SweepPlan } from '../../src/sweep/plan.js';
import { repeatPolicy } from '../../src/sweep/adaptive.js';
import { params, scenario } from '../helpers/synthetic-run.js';

/** A valid file's JSON with one field somewhere replaced by anything, removed, or given a stranger's key. */
function mutated(valid: unknown): fc.Arbitrary<unknown> {
  const paths: string[][] = [];
  const walk = (value: unknown, path: string[]): void => {
    if (path.length > 0) paths.push(path);
    if (typeof value === 'object' && value !== null) for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
  };
  walk(valid, []);
  return fc.tuple(fc.constantFrom(...paths), fc.oneof(fc.jsonValue(), fc.constant(undefined)), fc.boolean()).map(([path, replacement, addStranger]) => {
    const copy = structuredClone(valid) as Record<string, unknown>;
    let node: Record<string, unknown> = copy;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
    const last = path[path.length - 1] as string;
    if (replacement === undefined) delete node[last];
    else node[last] = replacement;
    if (addStranger) node['strangerKey'] = replacement ?? null;
    return copy;
  });
}

const validScenarioFile = JSON.parse(JSON.stringify({ name: 'mine', timeoutMs: 30_000, strategies: ['tick-count', 'wall-clock'], durationMs: 60_000, load: { clients: 2, thinkMs: 100, client: 'wrk', routes: [{ kind: 'cpu', ms: { min: 1000, max: 2000 } }] }, expect: { 'tick-count': 'killed' } }));
const validParamsFile = JSON.parse(encodeRunParams(params())) as unknown;
const validPlanFile = ((): unknown => {
  const identity = { scenario: scenario(), axes: [{ param: 'clients' as const, unit: 'count' as const, values: [1, 2] }], strategies: ['tick-count', 'wall-clock'], timeScale: 0.1, stack: 'model' as const, app: null, appDir: null, repeat: repeatPolicy(1) };
  const plan: SweepPlan = { schemaVersion: 1, sweepId: sweepIdOf(identity), ...identity, scenarioFile: 'x', module: null, cellCount: 2, shard: null, mergedFrom: [], parallel: 1, createdAt: '2026-12-02T00:00:00.000Z' };
  return JSON.parse(encodeSweepPlan(plan));
})();

const RUNS = { numRuns: 1000 };
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** Anything JSON can hold, with the fields a scenario has mixed in so the validator goes deep. */
const scenarioLike = fc.record(
  {
    name: fc.oneof(fc.string(), fc.constant('ok')),
    timeoutMs: fc.oneof(fc.integer(), fc.double(), fc.string()),
    strategies: fc.oneof(fc.array(fc.constantFrom('tick-count', 'wall-clock', 'thread', 'health-on-loop', '../x', '')), fc.jsonValue()),
    durationMs: fc.oneof(fc.integer({ min: -10, max: 4_000_000 }), fc.jsonValue()),
    master: fc.oneof(fc.constantFrom('gunicorn-20', 'gunicorn-22', 'kubelet'), fc.string()),
    load: fc.oneof(
      fc.record({ clients: fc.jsonValue(), thinkMs: fc.jsonValue(), client: fc.oneof(fc.constantFrom('wrk', 'autocannon'), fc.string()), routes: fc.array(fc.record({ kind: fc.constantFrom('cpu', 'http', 'wait', 'x'), ms: fc.jsonValue(), path: fc.string(), headers: fc.dictionary(fc.string(), fc.string()) })) }, { requiredKeys: [] }),
      fc.jsonValue(),
    ),
    probe: fc.jsonValue(),
    expect: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

function answersWithoutThrowing(decode: () => unknown): void {
  expect(decode).not.toThrow();
}

/** A parser either returns or throws a StarveError (which the CLI prints as one line, exit 2). */
function refusesCleanly(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    expect(isStarveError(error), String(error)).toBe(true);
  }
}

describe('decoders at the boundaries, fuzzed', () => {
  it('the scenario validator answers any JSON with a scenario or named problems, and a scenario it accepts has a clean name', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), scenarioLike), (value) => {
        const check = validateScenario(value);
        if (check.ok) expect(check.scenario.name).not.toMatch(CONTROL);
        else expect(check.problems.length).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });

  it('the trace decoder keeps only well-typed events inside the run, and names every other line', () => {
    const line = fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v)), fc.record({ type: fc.constantFrom('tick', 'heartbeat', 'request-sent', 'sched'), t: fc.double(), pid: fc.integer(), counter: fc.integer(), handlers: fc.integer() }).map((v) => JSON.stringify(v)));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const decoded = decodeTrace(lines.join('\n'), 60_000);
        for (const event of decoded.events) expect(Math.abs(event.t)).toBeLessThanOrEqual(60_000 + 600_000);
        expect(decoded.events.length + decoded.problems.length).toBe(decoded.lines);
      }),
      RUNS,
    );
  });

  it('scenario files, params.json and sweep.json, mutated one field at a time: each accepted or refused with a problem, never a crash', () => {
    expect(validateScenario(validScenarioFile).ok).toBe(true);
    expect(decodeRunParams(validParamsFile).ok).toBe(true);
    expect(decodeSweepPlan(validPlanFile).ok).toBe(true);
    fc.assert(
      fc.property(mutated(validScenarioFile), mutated(validParamsFile), mutated(validPlanFile), (scenarioFile, paramsFile, planFile) => {
        const check = validateScenario(scenarioFile);
        if (!check.ok) expect(check.problems.length).toBeGreaterThan(0);
        const decodedParams = decodeRunParams(paramsFile);
        if (!decodedParams.ok) expect(decodedParams.problem).not.toBe('');
        const plan = decodeSweepPlan(planFile);
        // Whatever was changed, an accepted plan still names only the scenario's strategies (they become directory names).
        if (plan.ok) for (const strategy of plan.value.strategies) expect(plan.value.scenario.strategies).toContain(strategy);
        else expect(plan.problem).not.toBe('');
      }),
      RUNS,
    );
  });

  it('sweep.json, calibration grid and reference decoders answer anything with a value or a problem', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.record({ schemaVersion: fc.constant(1), sweepId: fc.string(), scenario: scenarioLike, axes: fc.jsonValue(), strategies: fc.jsonValue(), cellCount: fc.jsonValue() }, { requiredKeys: [] }), (value, planLike) => {
        answersWithoutThrowing(() => decodeSweepPlan(value));
        answersWithoutThrowing(() => decodeSweepPlan(planLike));
        answersWithoutThrowing(() => decodeGrid(value));
        answersWithoutThrowing(() => decodeReference(value));
        answersWithoutThrowing(() => decodeRunParams(value));
      }),
      RUNS,
    );
  });

  it("the CLI's value parsers return or refuse with a StarveError, whatever the text", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        refusesCleanly(() => parseDurationFlag('timeout', text, 3_600_000));
        refusesCleanly(() => parseWholeFlag('clients', text, 0, 256));
        refusesCleanly(() => parseRateFlag('arrivals', text, 1000));
        refusesCleanly(() => parseShard(text));
        refusesCleanly(() => parseAxis(text));
        refusesCleanly(() => parseAxis(`clients=${text}`));
        refusesCleanly(() => parseAxis(`cpu=${text}..2s`));
        answersWithoutThrowing(() => decodeWrkLine(text));
      }),
      RUNS,
    );
  });
});

describe('escapers, fuzzed', () => {
  it('printable() leaves no control character but tabs and line breaks', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => {
      expect(printable(text)).not.toMatch(CONTROL);
    }), RUNS);
  });

  it('a Markdown cell stays one cell: no line break, no control character, no unescaped pipe or tag', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const cell = escapeMarkdown(text);
        expect(cell).not.toMatch(/[\n\r]/);
        expect(cell).not.toMatch(CONTROL);
        expect(cell).not.toMatch(/<|(^|[^\\])(\\\\)*\|/);
      }),
      RUNS,
    );
  });

  it('XML keeps no character XML 1.0 cannot hold, and no raw markup', () => {
    // eslint-disable-next-line no-control-regex
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => {
      expect(escapeXml(text)).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f<>"]/);
    }), RUNS);
  });

  it('a Lua string literal is printable ASCII and reads back as the same bytes', () => {
    const readLua = (literal: string): Buffer => {
      const bytes: number[] = [];
      for (let i = 1; i < literal.length - 1; i++) {
        const char = literal[i] as string;
        if (char !== '\\') {
          bytes.push(char.charCodeAt(0));
          continue;
        }
        const digits = /^\d{1,3}/.exec(literal.slice(i + 1))?.[0];
        if (digits !== undefined) {
          bytes.push(Number(digits));
          i += digits.length;
        } else {
          bytes.push(literal.charCodeAt(i + 1));
          i++;
        }
      }
      return Buffer.from(bytes);
    };
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const literal = luaString(text);
        expect(literal).toMatch(/^"[\x20-\x7e]*"$/);
        expect(readLua(literal).equals(Buffer.from(text, 'utf8'))).toBe(true);
      }),
      RUNS,
    );
  });
});
