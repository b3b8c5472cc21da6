import { expect, type Locator, type Page } from '@playwright/test';

/** First load compiles OpenCV.js (13 MB) and the model in a worker: slow on a small shared machine. */
export const APP_READY_TIMEOUT_MS = 90_000;
/** Segmentation + inference of the whole ink, with room for a busy machine. */
export const READ_TIMEOUT_MS = 30_000;

/** The elements of the automation contract. */
export function padOf(page: Page): Locator {
  return page.getByTestId('pad');
}
export function resultOf(page: Page): Locator {
  return page.getByTestId('result');
}

/** Opens the app and waits until the pad is shown and the worker is ready (result not busy). */
export async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await waitForAppReady(page);
}

/** Waits until the pad is visible and the result is not busy (the worker has loaded). */
export async function waitForAppReady(page: Page): Promise<void> {
  await expect(padOf(page)).toBeVisible({ timeout: APP_READY_TIMEOUT_MS });
  await expect(resultOf(page)).toHaveAttribute('aria-busy', 'false', { timeout: APP_READY_TIMEOUT_MS });
}

/**
 * Waits until the result for the current ink is shown (`aria-busy="false"`) and returns its text,
 * untrimmed: the contract says the text is exactly the digits read.
 * The app sets aria-busy on pointerdown, so calling this right after a pen-up cannot see a stale result.
 */
export async function readResult(page: Page, timeout = READ_TIMEOUT_MS): Promise<string> {
  const result = resultOf(page);
  await expect(result).toHaveAttribute('aria-busy', 'false', { timeout });
  return (await result.textContent()) ?? '';
}

/**
 * Like readResult, but checks every few ms instead of on expect's backing-off schedule (100, 250,
 * 500, 1000 ms), which adds up to half a second to each reading: for evaluations of many samples.
 */
export async function readResultPromptly(page: Page, timeout = READ_TIMEOUT_MS): Promise<string> {
  await page.waitForFunction(
    () => document.querySelector('[data-testid="result"]')?.getAttribute('aria-busy') === 'false',
    undefined,
    { polling: 10, timeout },
  );
  return (await resultOf(page).textContent()) ?? '';
}

/**
 * Starts recording every value the result's aria-busy takes, so that a state briefer than a poll
 * (a one-stroke digit is read within milliseconds of its pen-up) cannot be missed. The returned
 * function hands over the values recorded since its last call.
 */
export async function recordBusyStates(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const result = document.querySelector('[data-testid="result"]')!;
    const states: string[] = [];
    (window as unknown as { busyStates: string[] }).busyStates = states;
    new MutationObserver(() => states.push(result.getAttribute('aria-busy') ?? '')).observe(result, {
      attributes: true,
      attributeFilter: ['aria-busy'],
    });
  });
  return () => page.evaluate(() => (window as unknown as { busyStates: string[] }).busyStates.splice(0));
}

/** Page scroll offsets, including the visual viewport (a pinch-zoom or pan moves only that). */
export async function scrollState(page: Page): Promise<{ x: number; y: number; vx: number; vy: number; scale: number }> {
  return page.evaluate(() => ({
    x: window.scrollX,
    y: window.scrollY,
    vx: window.visualViewport?.pageLeft ?? window.scrollX,
    vy: window.visualViewport?.pageTop ?? window.scrollY,
    scale: window.visualViewport?.scale ?? 1,
  }));
}

/** Pixels of the pad canvas with any ink on them (the pad paints ink on a transparent canvas). */
export async function inkPixelCount(pad: Locator): Promise<number> {
  return pad.evaluate((canvas) => {
    if (!(canvas instanceof HTMLCanvasElement)) throw new Error('the pad is not a canvas');
    // Read a copy, leaving the app's own context state alone.
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const ctx = copy.getContext('2d');
    if (!ctx || copy.width === 0 || copy.height === 0) return 0;
    ctx.drawImage(canvas, 0, 0);
    const { data } = ctx.getImageData(0, 0, copy.width, copy.height);
    let inked = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked++;
    return inked;
  });
}
