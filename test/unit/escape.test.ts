import { describe, expect, it } from 'vitest';
import { escapeMarkdown, escapeXml, printable, safeHref } from '../../src/report/escape.js';

describe('escaping per output', () => {
  it('links only relative paths and http(s) URLs in an HTML report', () => {
    expect(safeHref('doctor/12345.clinic-doctor.html')).toBe('doctor/12345.clinic-doctor.html');
    expect(safeHref('/tmp/run/doctor.html')).toBe('/tmp/run/doctor.html');
    expect(safeHref('https://example.invalid/report')).toBe('https://example.invalid/report');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref(' JavaScript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,<script>1</script>')).toBeNull();
    expect(safeHref('java\tscript:alert(1)')).toBeNull();
  });

  it('keeps JUnit XML valid: control characters dropped, markup escaped, tabs and newlines kept', () => {
    expect(escapeXml('a\u0000b\u001bc\u0007 <x> & "q"\n\td')).toBe('abc &lt;x&gt; &amp; &quot;q&quot;\n\td');
  });

  it('gives a terminal no escape sequence or control character from outside text, keeping tabs and line breaks', () => {
    expect(printable('\u001b[31mError:\u001b[0m cannot reach db\n\tat x')).toBe('Error: cannot reach db\n\tat x');
    expect(printable('a\u001b]0;pwned\u0007b\u0008c\u009bd')).toBe('abcd');
  });

  it('keeps a Markdown cell one cell: pipes and tags escaped, line breaks and control characters gone', () => {
    expect(escapeMarkdown('a|b <i>\nc\u001b[2Jd')).toBe('a\\|b &lt;i> cd');
  });
});
