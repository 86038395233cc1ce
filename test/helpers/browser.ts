// Opens a page in headless Chromium (Debian's, installed by .ci/run) and reports what happened.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env['STARVE_LAB_CHROMIUM'] ?? '/usr/bin/chromium';

/** In CI a missing browser is a failure; on a developer machine without Chromium the test is skipped. */
export const browserAvailable = existsSync(CHROMIUM) || process.env['CI'] === 'true';

export interface PageVisit<T> {
  result: T;
  errors: string[];
  /** Every request that was not for the file itself. */
  requests: string[];
  dialogs: string[];
}

export async function visitFile<T>(fileUrl: string, inspect: (page: Page) => Promise<T>): Promise<PageVisit<T>> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => {
      if (request.url() !== fileUrl) requests.push(request.url());
    });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(fileUrl, { waitUntil: 'load' });
    const result = await inspect(page);
    return { result, errors, requests, dialogs };
  } finally {
    await browser.close();
  }
}

/** Where tests leave what a person may want to look at (screenshots): kept by CI as artefacts. */
export const ARTIFACTS = process.env['STARVE_LAB_ARTIFACTS'] ?? fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

export interface ChartLayout {
  /** The kill and clock-step labels of each age chart, as [left, right, top, bottom] boxes. */
  labelBoxes: Array<Array<[number, number, number, number]>>;
  killLines: number[];
  axisTitles: number[];
  legendItems: number[];
}

/** Measures the charts of a report page as Chromium laid them out. */
export async function chartLayout(page: Page): Promise<ChartLayout> {
  return page.evaluate(() => {
    const sections = [...document.querySelectorAll('section.strategy')];
    const box = (el: Element): [number, number, number, number] => {
      const r = el.getBoundingClientRect();
      return [r.left, r.right, r.top, r.bottom];
    };
    return {
      labelBoxes: sections.map((s) => [...s.querySelectorAll('.age-chart .marker-label')].map(box)),
      killLines: sections.map((s) => s.querySelectorAll('.age-chart g.marker[data-kind="worker-timeout"]').length),
      axisTitles: sections.map((s) => s.querySelectorAll('.axis-title').length),
      legendItems: sections.map((s) => s.querySelectorAll('.age-chart .legend-item').length),
    };
  });
}

/** Pairs of label boxes that overlap (none on a readable chart). */
export function overlappingLabels(boxes: ReadonlyArray<[number, number, number, number]>): number {
  let overlaps = 0;
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i]!, boxes[j]!];
      if (a[0] < b[1] && b[0] < a[1] && a[2] < b[3] && b[2] < a[3]) overlaps += 1;
    }
  }
  return overlaps;
}
