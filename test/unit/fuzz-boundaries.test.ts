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

const RUNS = { numRuns: 400 };
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

  it('sweep.json, calibration grid and reference decoders answer anything with a value or a problem', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.record({ schemaVersion: fc.constant(1), sweepId: fc.string(), scenario: scenarioLike, axes: fc.jsonValue(), strategies: fc.jsonValue(), cellCount: fc.jsonValue() }, { requiredKeys: [] }), (value, planLike) => {
        answersWithoutThrowing(() => decodeSweepPlan(value));
        answersWithoutThrowing(() => decodeSweepPlan(planLike));
        answersWithoutThrowing(() => decodeGrid(value));
        answersWithoutThrowing(() => decodeReference(value));
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
