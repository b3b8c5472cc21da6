import type { Page } from '@playwright/test';
import { expect, type Digitpad } from './fixtures';
import { DIGIT_SAMPLE_IDS, NUMBER_SAMPLES, placedDigit, placedNumber } from './samples';

/**
 * What a person does in a session, with each reading checked: write a number, undo its last
 * digit, clear with Escape, write a digit and press Recognize, undo it with Ctrl+Z.
 */
export async function useNormally(app: Digitpad, page: Page): Promise<void> {
  const digits = placedNumber(NUMBER_SAMPLES.ids, await app.padSize());
  await app.draw(digits.flat());
  expect(await app.read()).toBe(NUMBER_SAMPLES.text);
  for (let i = 0; i < digits[digits.length - 1].length; i++) await app.press(app.undoButton);
  expect(await app.read()).toBe(NUMBER_SAMPLES.text.slice(0, -1));
  await page.keyboard.press('Escape');
  expect(await app.read()).toBe('');
  await app.draw(placedDigit(DIGIT_SAMPLE_IDS[8], await app.padSize()));
  expect(await app.read()).toBe('8');
  await app.press(page.getByTestId('recognize'));
  expect(await app.read()).toBe('8');
  await page.keyboard.press('Control+z');
  expect(await app.read()).toBe('');
}
