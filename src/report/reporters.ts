// Every output format, found by name (pure): one map per kind of result (calibration keeps its own in
// calibration/render-calibration.ts), every renderer
// `render(value, context) → string`. A new format is one renderer file and one entry here; the files
// a run, a series or a sweep writes are the formats named in its `*_FILES`.

import type { Envelope } from '../sweep/envelope.js';
import type { SeriesSummary } from './aggregate-series.js';
import type { ReportDiff } from './diff-reports.js';
import { renderEnvelopeCsv } from './envelope-csv.js';
import { renderEnvelopeHtml } from './envelope-html.js';
import { renderEnvelopeMarkdown } from './envelope-markdown.js';
import { renderEnvelopeTerminal } from './envelope-terminal.js';
import { renderDiffJson, renderDiffMarkdown, renderDiffTerminal } from './render-diff.js';
import { renderHtml } from './render-html.js';
import { renderAsJson as json, renderJson } from './render-json.js';
import { renderJunit, renderSeriesJunit } from './render-junit.js';
import { renderMarkdown } from './render-markdown.js';
import type { Renderer } from './render-context.js';


import { renderSeriesMarkdown, renderSeriesTerminal } from './render-series.js';
import { renderTerminal } from './render-terminal.js';
import type { Report } from './report-schema.js';
import { REPORT_HTML_FILE, REPORT_JSON_FILE, REPORT_MARKDOWN_FILE, SERIES_FILE, SERIES_MARKDOWN_FILE } from '../trace/run-params.js';

/** A map of formats whose every renderer has the one signature (the keys stay known to the compiler). */
function formatsOf<T>() {
  return <F extends string>(renderers: Readonly<Record<F, Renderer<T>>>): Readonly<Record<F, Renderer<T>>> => renderers;
}

export const RUN_RENDERERS = formatsOf<Report>()({ terminal: renderTerminal, json: renderJson, markdown: renderMarkdown, html: renderHtml, junit: renderJunit });
export const SERIES_RENDERERS = formatsOf<SeriesSummary>()({ terminal: renderSeriesTerminal, json, markdown: renderSeriesMarkdown, junit: renderSeriesJunit });
export const ENVELOPE_RENDERERS = formatsOf<Envelope>()({ terminal: renderEnvelopeTerminal, json, markdown: renderEnvelopeMarkdown, html: renderEnvelopeHtml, csv: renderEnvelopeCsv });
export const DIFF_RENDERERS = formatsOf<ReportDiff>()({ terminal: renderDiffTerminal, json: renderDiffJson, markdown: renderDiffMarkdown });

export type RunFormat = keyof typeof RUN_RENDERERS;
export type EnvelopeFormat = keyof typeof ENVELOPE_RENDERERS;
export type SeriesFormat = keyof typeof SERIES_RENDERERS;

/** The files a run directory gets once its run ends (or `report` rebuilds them), by format. */
export const RUN_FILES = { json: REPORT_JSON_FILE, markdown: REPORT_MARKDOWN_FILE, html: REPORT_HTML_FILE } as const satisfies Partial<Record<RunFormat, string>>;
/** The files a series directory gets beside its runs, by format. */
export const SERIES_FILES = { json: SERIES_FILE, markdown: SERIES_MARKDOWN_FILE } as const satisfies Partial<Record<SeriesFormat, string>>;
/** The files a sweep directory's envelope is written to, by format. */
export const ENVELOPE_FILES = { json: 'envelope.json', csv: 'envelope.csv', markdown: 'envelope.md', html: 'envelope.html' } as const satisfies Partial<Record<EnvelopeFormat, string>>;
