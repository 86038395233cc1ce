// report.json, and every --json: the value as stable, pretty JSON.

import type { Renderer } from './render-context.js';
import type { Report } from './report-schema.js';

/** Any result (a report, a series, an envelope, a diff, a calibration) as pretty JSON. */
export const renderAsJson: Renderer<unknown> = (value) => `${JSON.stringify(value, null, 2)}\n`;

export function renderJson(report: Report): string {
  return renderAsJson(report, { colorLevel: 0 });
}
