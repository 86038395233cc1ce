import { describe, expect, it } from 'vitest';
import { decodeTrace } from '../../src/trace/decode-trace.js';

describe('decodeTrace', () => {
  it('reads events, sorts them by time and keeps the readable part of a cut-off trace', () => {
    const text = [
      '{"type":"tick","t":200,"pid":1,"counter":1,"handlers":0}',
      '{"type":"tick","t":100,"pid":1,"counter":0,"handlers":0}',
      '{"type":"notify","t":10',
    ].join('\n');
    const parsed = decodeTrace(text);
    expect(parsed.events.map((e) => e.t)).toEqual([100, 200]);
    expect(parsed.problems).toEqual([{ line: 3, message: 'truncated JSON (the run was cut off while writing)' }]);
  });

  it('checks every field of every event kind, not only the numbers', () => {
    const text = [
      '{"type":"signal","t":1,"pid":1,"signal":"SIGHUP"}',
      '{"type":"request-outcome","t":1,"id":1,"outcome":"lost","status":null,"latencyMs":1,"error":null}',
      '{"type":"stack","t":1,"pid":1,"frames":[{"functionName":"f","url":"","line":"x","column":1}]}',
      '{"type":"worker-spawn","t":1,"pid":1,"worker":1,"bootCountsAsBeat":true}',
    ].join('\n');
    const decoded = decodeTrace(text);
    expect(decoded.problems.map((p) => p.line)).toEqual([1, 2, 3]);
    expect(decoded.problems[0]?.message).toContain('field "signal"');
    expect(decoded.problems[1]?.message).toContain('field "outcome"');
    expect(decoded.problems[2]?.message).toContain('field "frames[0].line": expected number, found "x"');
    // A version-1 spawn (no `respawn` field) is still read.
    expect(decoded.events).toHaveLength(1);
  });

  it('names the line and the field that is wrong', () => {
    const text = ['{"type":"teleport","t":1}', '{"type":"tick","t":"soon","pid":1,"counter":0,"handlers":0}', 'garbage', '{}'].join('\n');
    expect(decodeTrace(text).problems).toEqual([
      { line: 1, message: 'unknown event type "teleport"' },
      { line: 2, message: 'event "tick": field "t": expected number, found "soon"' },
      { line: 3, message: 'not valid JSON' },
      { line: 4, message: 'unknown event type undefined' },
    ]);
  });
});
