// Opens a page in headless Chromium (Debian's, installed by .ci/run) and reports what happened.

import { existsSync } from 'node:fs';
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
