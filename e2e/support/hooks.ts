import type { Locator, Page } from '@playwright/test';
import type { CrashMoment, RecognizerStats } from '../../src/worker/contract';
import { test as appTest } from './fixtures';

/**
 * The app's fixture with `window.digitpad` (src/ui/test-hooks.ts) switched on: the flag is set
 * before any page script runs, as the app reads it once at start-up.
 */
export const test = appTest.extend({
  page: async ({ page }, use) => {
    await enableTestHooks(page);
    await use(page);
  },
});

export { expect } from './fixtures';

/** Asks the app to expose `window.digitpad` on every load of this page from now on. */
export async function enableTestHooks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.digitpadTestHooks = true;
  });
}

/** The recognition worker's counters, through the app's test hook. */
export function workerStats(page: Page): Promise<RecognizerStats> {
  return page.evaluate(() => {
    if (!window.digitpad) throw new Error('window.digitpad is missing: enable the test hooks before loading the page');
    return window.digitpad.stats();
  });
}

/** Crashes the recognition worker the way an uncaught error in it would. */
export async function crashWorker(page: Page, when: CrashMoment = 'now'): Promise<void> {
  await page.evaluate((moment) => window.digitpad!.crashWorkerForTest(moment), when);
}

/** The status line under the result, where hints and errors appear. */
export function statusOf(page: Page): Locator {
  return page.getByTestId('status');
}
