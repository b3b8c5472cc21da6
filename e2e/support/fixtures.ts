import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { openApp, padOf, readResult, resultOf } from './app';
import { replayStrokes, type InputKind, type PadStroke, type ReplayOptions } from './replay';

/** The app as a person uses it, with the project's input (touch on the phone, mouse on desktop). */
export class Digitpad {
  readonly pad: Locator;
  readonly result: Locator;
  readonly clearButton: Locator;
  readonly undoButton: Locator;

  constructor(
    readonly page: Page,
    readonly input: InputKind,
  ) {
    this.pad = padOf(page);
    this.result = resultOf(page);
    this.clearButton = page.getByTestId('clear');
    this.undoButton = page.getByTestId('undo');
  }

  /** The pad's size in CSS px: the box the strokes are placed in. */
  async padSize(): Promise<{ width: number; height: number }> {
    const box = await this.pad.boundingBox();
    if (!box) throw new Error('the pad is not visible');
    return { width: box.width, height: box.height };
  }

  /** Writes strokes given in pad CSS coordinates (with `input` unless another is named). */
  async draw(strokes: readonly PadStroke[], input: InputKind = this.input, options?: ReplayOptions): Promise<void> {
    await replayStrokes(this.page, this.pad, strokes, input, options);
  }

  /** Waits for the reading of the current ink and returns the result text. */
  read(): Promise<string> {
    return readResult(this.page);
  }

  /** Presses a button the way this project's person would: a tap on the phone, a click on desktop. */
  async press(button: Locator): Promise<void> {
    if (this.input === 'touch') await button.tap();
    else await button.click();
  }
}

export const test = base.extend<{ input: InputKind; replaySet: boolean; app: Digitpad }>({
  input: async ({ hasTouch }, use) => {
    await use(hasTouch ? 'touch' : 'mouse');
  },
  // false: the model's replay set is not served (404), as for a model shipped without one, so a
  // test can make any correction (a deliberately wrong one included) and see it learned unchecked.
  replaySet: [true, { option: true }],
  app: async ({ page, input, replaySet }, use) => {
    if (!replaySet) await page.context().route('**/model/replay.bin', (route) => route.fulfill({ status: 404, body: 'not found' }));
    // An uncaught exception in the page is a bug even when the visible result happens to be right.
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.stack ?? String(error)));
    await openApp(page);
    await use(new Digitpad(page, input));
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  },
});

export { expect };
