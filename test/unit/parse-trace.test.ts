import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../src/trace/parse-trace.js';

describe('parseTrace', () => {
  it('reads events, sorts them by time and keeps the readable part of a cut-off trace', () => {
    const text = [
      '{"type":"tick","t":200,"pid":1,"counter":1,"handlers":0}',
      '{"type":"tick","t":100,"pid":1,"counter":0,"handlers":0}',
      '{"type":"notify","t":10',
    ].join('\n');
    const parsed = parseTrace(text);
    expect(parsed.events.map((e) => e.t)).toEqual([100, 200]);
    expect(parsed.problems).toEqual([{ line: 3, message: 'truncated JSON (the run was cut off while writing)' }]);
  });

  it('names the line and the field that is wrong', () => {
    const text = ['{"type":"teleport","t":1}', '{"type":"tick","t":"soon","pid":1,"counter":0,"handlers":0}', 'garbage', '{}'].join('\n');
    expect(parseTrace(text).problems).toEqual([
      { line: 1, message: 'unknown event type "teleport"' },
      { line: 2, message: 'event "tick" needs a number in "t", got "soon"' },
      { line: 3, message: 'not valid JSON' },
      { line: 4, message: 'unknown event type undefined' },
    ]);
  });
});
