import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { APP_READY_TIMEOUT_MS, waitForAppReady } from './support/app';
import { Digitpad, expect, test } from './support/fixtures';
import { statusOf } from './support/hooks';
import { NUMBER_SAMPLES, placedNumber } from './support/samples';

/** WCAG 2.0–2.2 A and AA, plus axe's best practices. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** Runs axe on the page as it is and returns its serious and critical findings, readably. */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The element that has keyboard focus: its test id, else its label or tag. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return 'none';
    return element.dataset.testid ?? element.getAttribute('aria-label') ?? element.tagName.toLowerCase();
  });
}

/** True when the focused element draws a focus ring (a visually hidden file input: its label). */
function hasFocusRing(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const active = document.activeElement!;
    const ringed = active instanceof HTMLInputElement && active.type === 'file' ? (active.closest('label') ?? active) : active;
    const style = getComputedStyle(ringed);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  });
}

test('labelled controls, a live result and a status line', async ({ app, page }) => {
  await expect(app.pad).toHaveAccessibleName(/writing pad/i);
  await expect(app.result).toHaveAttribute('aria-live', 'polite');
  await expect(app.result).toHaveAttribute('aria-atomic', 'true');
  await expect(app.result).toHaveAccessibleName('Number read');
  await expect(statusOf(page)).toHaveRole('status');
  for (const name of ['Undo', 'Clear', 'Recognize']) await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Pad controls' })).toBeVisible();
  await expect(page.getByTestId('image-input')).toHaveAccessibleName('Image');
  await expect(page.getByRole('button', { name: 'Undo', exact: true })).toHaveAttribute('aria-keyshortcuts', /Control\+Z/);
  await expect(page.getByRole('button', { name: 'Clear', exact: true })).toHaveAttribute('aria-keyshortcuts', 'Escape');

  // A reading is spoken as a whole number, and each digit card says what it is.
  await app.draw(placedNumber(NUMBER_SAMPLES.ids, await app.padSize()).flat());
  expect(await app.read()).toBe(NUMBER_SAMPLES.text);
  await expect(page.getByRole('listitem')).toHaveCount(NUMBER_SAMPLES.text.length);
  await expect(page.getByRole('listitem').first()).toHaveAccessibleName(/^Digit 1: 3, \d+%/);
});

test('everything works from the keyboard, with a visible focus ring', async ({ app, page, isMobile }) => {
  test.skip(isMobile, 'a phone has no keyboard to tab with');
  const digits = placedNumber(NUMBER_SAMPLES.ids, await app.padSize());
  await app.draw(digits.flat());
  expect(await app.read()).toBe(NUMBER_SAMPLES.text);

  // Tab order follows the page from its top: the pad, Undo, Clear, Recognize, the image input
  // (its label shows the ring), then the digit cards (a region that scrolls sideways when there are many).
  await page.mouse.click(4, 4); // On the title bar: keyboard navigation starts from there.
  const order: string[] = [];
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    order.push(`${await focused(page)}${(await hasFocusRing(page)) ? '' : ' (no focus ring)'}`);
  }
  expect(order).toEqual(['pad', 'undo', 'clear', 'recognize', 'image-input', 'What the model sees']);
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');

  await page.keyboard.press('Enter'); // Recognize
  expect(await app.read()).toBe(NUMBER_SAMPLES.text);
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab'); // Undo
  expect(await focused(page)).toBe('undo');
  for (let i = 0; i < digits[4].length; i++) await page.keyboard.press('Space'); // Undo the last digit's strokes…
  expect(await app.read()).toBe(NUMBER_SAMPLES.text.slice(0, -1));
  for (let i = 0; i < digits[3].length; i++) await page.keyboard.press('Control+z'); // …and the one before, with the shortcut.
  expect(await app.read()).toBe(NUMBER_SAMPLES.text.slice(0, -2));
  await page.keyboard.press('Tab'); // Clear
  await page.keyboard.press('Enter');
  expect(await app.read()).toBe('');
  await expect(statusOf(page)).toHaveText('Write a digit or a whole number.');
});

test.describe('axe-core', () => {
  test('no serious or critical violations: loading, empty, with a reading', async ({ page, hasTouch }) => {
    await page.goto('/');
    expect(await seriousViolations(page), 'while loading').toEqual([]);
    await waitForAppReady(page);
    expect(await seriousViolations(page), 'empty pad').toEqual([]);
    const app = new Digitpad(page, hasTouch ? 'touch' : 'mouse');
    await app.draw(placedNumber(NUMBER_SAMPLES.ids, await app.padSize()).flat());
    expect(await app.read()).toBe(NUMBER_SAMPLES.text);
    expect(await seriousViolations(page), 'with a reading').toEqual([]);
  });

  test.describe('in the error state', () => {
    // No service worker: it would fetch the model itself, around the route.
    test.use({ serviceWorkers: 'block' });

    test('no serious or critical violations; Retry works from the keyboard', async ({ page, isMobile }) => {
      await page.route('**/model/model.json', (route) => route.fulfill({ status: 404, body: 'Not found' }));
      await page.goto('/');
      const retry = statusOf(page).getByRole('button', { name: 'Retry' });
      await expect(retry).toBeVisible({ timeout: APP_READY_TIMEOUT_MS });
      expect(await seriousViolations(page), 'error with Retry').toEqual([]);
      await page.unrouteAll({ behavior: 'wait' });
      if (isMobile) await retry.tap();
      else {
        await retry.focus();
        await page.keyboard.press('Enter');
        // The button goes away with the error; focus stays in the app rather than falling to the page.
        expect(await focused(page)).toBe('pad');
      }
      await waitForAppReady(page);
      await expect(statusOf(page)).not.toHaveClass(/error/);
    });
  });
});
