// The wrk client's pure parts: what the Lua script reads (the plan, its strings) and the lines it writes.

import { describe, expect, it } from 'vitest';
import { decodeWrkLine, luaString, planSlot, renderClientPlan, WRK_PLAN_PER_CLIENT, wrkScript } from '../../src/lab/load/wrk-script.js';
import type { PlannedRequest } from '../../src/lab/load/request-plan.js';

describe('the wrk client', () => {
  it('writes any text as a Lua string literal: quotes, backslashes and non-ASCII bytes escaped', () => {
    expect(luaString('/cpu?ms=1.5')).toBe('"/cpu?ms=1.5"');
    expect(luaString('a"b\\c')).toBe('"a\\"b\\\\c"');
    // é is two UTF-8 bytes; a tab is a control character.
    expect(luaString('é\t')).toBe('"\\195\\169\\009"');
    // A digit after an escape stays a digit: Lua reads up to three digits.
    expect(luaString('\t1')).toBe('"\\0091"');
  });

  it("renders a client's plan with each request's method, path, headers and body", () => {
    const entries: PlannedRequest[] = [
      { id: 1, route: 'cpu', ms: 1200, handler: null, request: null },
      { id: 3, route: 'http', ms: 0, handler: null, request: { method: 'POST', path: '/report', headers: { 'x-tenant': 'a"b' }, body: '{"n":1}' } },
    ];
    expect(renderClientPlan(entries)).toBe('return {\n{"GET","/cpu?ms=1200",{},nil},\n{"POST","/report",{["x-tenant"]="a\\"b"},"{\\"n\\":1}"}\n}\n');
  });

  it('finds every id in the plan dealt round-robin, going round a client\'s plan again after its last entry', () => {
    expect(planSlot(1, 3)).toEqual({ client: 0, entry: 0 });
    expect(planSlot(5, 3)).toEqual({ client: 1, entry: 1 });
    expect(planSlot(3 * WRK_PLAN_PER_CLIENT + 3, 3)).toEqual({ client: 2, entry: 0 });
  });

  it('decodes the lines the script writes and nothing else', () => {
    expect(decodeWrkLine('S 7 1234.500')).toEqual({ kind: 'sent', id: 7, t: 1234.5 });
    expect(decodeWrkLine('L 7 1300.000')).toEqual({ kind: 'lost', id: 7, t: 1300 });
    expect(decodeWrkLine('R 7 200 1301.250\n')).toEqual({ kind: 'response', id: 7, status: 200, t: 1301.25 });
    for (const junk of ['', 'S', 'S x 1', 'R 7 200', 'Q 7 1', 'S 0 1', 'S 7 nan', 'R 7 2.5 1']) expect(decodeWrkLine(junk)).toBeNull();
  });

  it('adds a think time only when there is one (wrk routes every request through a timer once delay() exists)', () => {
    expect(wrkScript(0)).not.toContain('function delay');
    expect(wrkScript(250)).toContain('return 250');
  });
});
