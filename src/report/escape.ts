// Escaping for every format the reports are written in, in one place: HTML text and attributes, JSON
// inside a <script> element, XML (JUnit), and Markdown table cells.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

/** JSON that cannot close its <script> element or open a comment, whatever strings it holds. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const XML_ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };

/** XML 1.0 has no way to write most control characters, even escaped: they are dropped (tab, LF and CR stay). */
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function escapeXml(text: string): string {
  return text.replace(XML_INVALID, '').replace(/[<>&"']/g, (char) => XML_ENTITIES[char] ?? char);
}

/**
 * A link target an HTML report may follow: a relative path, or an http(s) URL. Anything with another
 * scheme (`javascript:`, `data:`) is not a link (null), whatever file it was read from.
 */
export function safeHref(url: string): string | null {
  const scheme = /^\s*([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url);
  if (scheme !== null && !/^https?$/i.test(scheme[1] ?? '')) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(url)) return null;
  return url;
}

/** Text inside a Markdown table cell (or a line of one): no pipe, tag, newline or control character can break the table. */
export function escapeMarkdown(text: string): string {
  return printable(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\n/g, ' ');
}

// eslint-disable-next-line no-control-regex
const ANSI_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;
// eslint-disable-next-line no-control-regex
const OTHER_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text from outside (an app's error output, a file's content) made safe for a terminal: escape
 * sequences (colours, cursor moves, window titles) and other control characters removed; tabs and
 * line breaks kept.
 */
export function printable(text: string): string {
  return text.replace(ANSI_SEQUENCE, '').replace(OTHER_CONTROL, '');
}
