// The HTML report's charts read at a glance at 1 kill and at 80: one line per kill, labels that never
// overprint, axis titles and a legend, as laid out by a real Chromium (screenshots in test-artifacts/).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { analyseRun } from '../../src/analysis/analyse-run.js';
import { buildReport } from '../../src/report/build-report.js';
import { renderHtml } from '../../src/report/render-html.js';
import { gunicorn, killedTrace, manyKillsTrace, params, survivingTrace } from '../helpers/synthetic-run.js';
import { ARTIFACTS, browserAvailable, chartLayout, overlappingLabels, visitFile } from '../helpers/browser.js';

const dir = mkdtempSync(join(tmpdir(), 'starve-lab-charts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function openReport(name: string, html: string) {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, html);
  mkdirSync(join(ARTIFACTS, 'html-charts'), { recursive: true });
  return visitFile(pathToFileURL(file).href, async (page) => {
    await page.setViewportSize({ width: 1000, height: 900 });
    await page.screenshot({ path: join(ARTIFACTS, 'html-charts', `${name}.png`), fullPage: true });
    return chartLayout(page);
  });
}

describe.skipIf(!browserAvailable)('HTML charts in a real browser', () => {
  it('one kill: a labelled kill line, a legend, axis titles', async () => {
    const runParams = params();
    const report = buildReport(runParams, analyseRun(runParams, new Map([['tick-count', killedTrace()], ['wall-clock', survivingTrace()]])), []);
    const visit = await openReport('1-kill', renderHtml(report));
    expect(visit.errors).toEqual([]);
    expect(visit.result.killLines).toEqual([1, 0]);
    expect(visit.result.labelBoxes[0]).toHaveLength(1);
    expect(visit.result.labelBoxes[1]).toHaveLength(0);
    // heartbeat age + time on the age chart, a y and a time title on each bar chart, time on the requests
    expect(visit.result.axisTitles).toEqual([7, 7]);
    expect(visit.result.legendItems[0]).toBeGreaterThanOrEqual(4);
  }, 60_000);

  it('80 kills: 80 kill lines, and the labels that fit never overprint', async () => {
    const timing = { ...params().timing, timeoutMs: 2000, durationMs: 200_000 };
    const runParams = params({ timing }, { supervisor: gunicorn(2000), durationMs: 200_000, strategies: ['tick-count'], expect: { 'tick-count': 'killed' } });
    const report = buildReport(runParams, analyseRun(runParams, new Map([['tick-count', manyKillsTrace(80, 2450)]])), []);
    expect(report.strategies[0]?.kills).toBe(80);
    const visit = await openReport('80-kills', renderHtml(report));
    expect(visit.errors).toEqual([]);
    expect(visit.result.killLines).toEqual([80]);
    const labels = visit.result.labelBoxes[0] ?? [];
    expect(labels.length).toBeGreaterThan(5);
    expect(overlappingLabels(labels)).toBe(0);
  }, 60_000);
});
