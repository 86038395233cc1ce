// Writes schema/report.schema.json from the report's schema in the built package (run by `npm run build`).
import { writeFileSync } from 'node:fs';
import { reportJsonSchema } from '../dist/report/report-schema.js';

const file = new URL('../schema/report.schema.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
