// A scenario name or trace string full of markup renders as text in a real browser.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { analyseRun } from '../../src/analysis/analyse-run.js';
import { buildReport } from '../../src/report/build-report.js';
import { renderHtml } from '../../src/report/render-html.js';
import { killedTrace, params, survivingTrace } from '../helpers/synthetic-run.js';
import { browserAvailable, visitFile } from '../helpers/browser.js';

const dir = mkdtempSync(join(tmpdir(), 'starve-lab-html-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!browserAvailable)('HTML escaping in a real browser', () => {
  it('shows a <script> scenario name as text and runs nothing', async () => {
    const evil = '<script>alert(1)</script>';
    const runParams = params({}, { name: evil, description: `</script><img src=x onerror=alert(2)>`, realStack: '"><svg onload=alert(3)>' });
    const report = buildReport(runParams, analyseRun(runParams, new Map([['tick-count', killedTrace()], ['wall-clock', survivingTrace()]])), ['trace.jsonl:3: <b>bold</b>']);
    const file = join(dir, 'report.html');
    writeFileSync(file, renderHtml(report));
    const visit = await visitFile(pathToFileURL(file).href, (page) =>
      page.evaluate(() => ({
        title: document.title,
        heading: document.querySelector('h1')?.textContent ?? '',
        scripts: document.querySelectorAll('script').length,
        images: document.querySelectorAll('img').length,
        embedded: JSON.parse(document.getElementById('starve-lab-report')?.textContent ?? '{}').scenario as string,
      })),
    );
    expect(visit.dialogs).toEqual([]);
    expect(visit.errors).toEqual([]);
    expect(visit.requests).toEqual([]);
    expect(visit.result).toEqual({ title: `starve-lab: ${evil}`, heading: `starve-lab: ${evil}`, scripts: 1, images: 0, embedded: evil });
  }, 60_000);
});
