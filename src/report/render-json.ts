// report.json: the report object as stable, versioned JSON.

import type { Report } from './report-schema.js';

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
