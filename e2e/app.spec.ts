import { expect, test } from './support/fixtures';
import { READ_TIMEOUT_MS, inkPixelCount, recordBusyStates, scrollState } from './support/app';
import { strokeBounds } from '../scripts/lib/pendigits';
import { DIGIT_SAMPLE_IDS, NUMBER_SAMPLES, UNDO_SAMPLES, placedDigit, placedNumber } from './support/samples';

test('an empty pad reads as empty text and is not busy', async ({ app, page }) => {
  await expect(app.result).toHaveAttribute('aria-busy', 'false');
  await expect(app.result).toHaveText('', { useInnerText: false });
  // Nothing is read later either (a reading would start at once; a second is long enough to see one).
  await page.waitForTimeout(1_000);
  expect(await app.read()).toBe('');
});

test('the pad is visible and on screen; on a phone it spans the width and the page does not scroll', async ({
  app,
  page,
  isMobile,
}) => {
  await expect(app.pad).toBeVisible();
  await expect(app.clearButton).toBeInViewport({ ratio: 1 });
  await expect(app.undoButton).toBeInViewport({ ratio: 1 });
  await expect(app.result).toBeInViewport();

  const viewport = page.viewportSize()!;
  const box = (await app.pad.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(viewport.width + 0.5);
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height + 0.5);
  // Room for a digit at a comfortable size.
  expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(250);

  const doc = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    scrollHeight: document.documentElement.scrollHeight,
    innerWidth: window.innerWidth,
    innerHeight: window.innerHeight,
  }));
  expect(doc.scrollWidth, 'no horizontal scroll').toBeLessThanOrEqual(doc.innerWidth);
  expect(doc.innerWidth, 'layout viewport matches the device (meta viewport)').toBe(viewport.width);
  if (isMobile) {
    expect(box.width, 'pad spans the phone width').toBeGreaterThanOrEqual(viewport.width * 0.9);
    expect(doc.scrollHeight, 'no vertical scroll on the phone').toBeLessThanOrEqual(doc.innerHeight);
  }
});

test('the page neither scrolls nor zooms while drawing', async ({ app, page }) => {
  // Give the document room to scroll, so that a swipe on the pad *could* scroll it if the pad let it.
  await page.evaluate(() => {
    const spacer = document.createElement('div');
    spacer.style.height = '2000px';
    spacer.style.width = '2000px';
    document.body.append(spacer);
  });
  const before = await scrollState(page);
  const { width, height } = await app.padSize();
  // Swipes up, left and down across the pad: the gestures that would pan or scroll a page.
  await app.draw([
    [
      [width * 0.5, height * 0.85],
      [width * 0.5, height * 0.15],
    ],
  ]);
  await app.draw([
    [
      [width * 0.85, height * 0.5],
      [width * 0.15, height * 0.5],
    ],
  ]);
  await app.draw([
    [
      [width * 0.3, height * 0.15],
      [width * 0.3, height * 0.85],
    ],
  ]);
  expect(await scrollState(page)).toEqual(before);
  // The strokes reached the pad (a cancelled touch would have left no ink and an empty result).
  const text = await app.read();
  expect(text).not.toBe('');
  expect(await scrollState(page)).toEqual(before);
});

test('reads one real handwritten digit of each class', async ({ app, page }) => {
  test.setTimeout(300_000); // ten digits replayed point by point on a small shared machine
  const busyStates = await recordBusyStates(page);
  for (const [digit, id] of DIGIT_SAMPLE_IDS.entries()) {
    await test.step(`digit ${digit} (${id})`, async () => {
      await busyStates();
      await app.draw(placedDigit(id, await app.padSize()));
      expect.soft(await app.read(), `reading of ${id}`).toBe(String(digit));
      // Busy from the first pen-down until the reading of this ink is shown (a one-stroke digit
      // is read so soon after its pen-up that only a recording sees the busy state).
      const states = await busyStates();
      expect(states[0], states.join(' ')).toBe('true');
      expect(states.at(-1), states.join(' ')).toBe('false');
      await app.press(app.clearButton);
      await expect(app.result).toHaveText('', { timeout: READ_TIMEOUT_MS });
    });
  }
});

test('reads a stylus-written digit', async ({ app }) => {
  const size = await app.padSize();
  await app.draw(placedDigit(DIGIT_SAMPLE_IDS[3], size), 'pen');
  expect(await app.read()).toBe('3');
});

test('reads a whole number written left to right', async ({ app }) => {
  const size = await app.padSize();
  const { text, ids } = NUMBER_SAMPLES;
  const digits = placedNumber(ids, size);
  await app.draw(digits.flat());
  expect(await app.read()).toBe(text);
});

test('a digit written small in a corner is read, and its box is drawn over its ink', async ({ app, page }) => {
  // Only the inked part of the pad goes to the worker; the boxes it returns must land back on the ink.
  const size = await app.padSize();
  const strokes = placedDigit(DIGIT_SAMPLE_IDS[2], size).map((stroke) =>
    stroke.map(([x, y]) => [size.width * 0.6 + x * 0.35, size.height * 0.6 + y * 0.35] as const),
  );
  await app.draw(strokes);
  expect(await app.read()).toBe('2');
  const pad = (await app.pad.boundingBox())!;
  const ink = strokeBounds(strokes);
  const box = (await page.locator('.boxes .box').first().boundingBox())!;
  // The box bounds the rendered ink: the trajectory's extent on the page, within a pen width or so.
  const edges = [
    ['left', box.x, pad.x + ink.minX],
    ['right', box.x + box.width, pad.x + ink.maxX],
    ['top', box.y, pad.y + ink.minY],
    ['bottom', box.y + box.height, pad.y + ink.maxY],
  ] as const;
  for (const [edge, drawn, inked] of edges) expect(Math.abs(drawn - inked), `box ${edge} vs ink ${edge}`).toBeLessThan(12);
});

test('showing a reading neither moves nor resizes the pad', async ({ app }) => {
  // The person's next digit goes next to the ink they see: if the pad reflowed when the reading
  // appeared, the ink (rescaled with the pad) would jump away from where the pen is heading.
  const before = await app.pad.boundingBox();
  await app.draw(placedDigit(DIGIT_SAMPLE_IDS[4], await app.padSize()));
  expect(await app.read()).toBe('4');
  expect(await app.pad.boundingBox()).toEqual(before);
});

test('undo removes the last strokes, with Ctrl/Cmd+Z and with the Undo button', async ({ app, page }) => {
  const size = await app.padSize();
  const { text, ids } = UNDO_SAMPLES;
  const digits = placedNumber(ids, size);
  await app.draw(digits.flat());
  expect(await app.read()).toBe(text);

  // The last digit's strokes, undone from the keyboard.
  for (let i = 0; i < digits[2].length; i++) await page.keyboard.press('ControlOrMeta+z');
  expect(await app.read()).toBe(text.slice(0, 2));

  // The middle digit's strokes, undone with the button.
  for (let i = 0; i < digits[1].length; i++) await app.press(app.undoButton);
  expect(await app.read()).toBe(text.slice(0, 1));

  // Writing again after an undo continues from what is left (placed for the pad's current size,
  // in case showing the readings reflowed it).
  await app.draw(placedNumber(ids, await app.padSize())[1]);
  expect(await app.read()).toBe(text.slice(0, 2));
});

test('Clear empties the pad and the result', async ({ app, page }) => {
  const blankInk = await inkPixelCount(app.pad);
  await app.draw(placedDigit(DIGIT_SAMPLE_IDS[8], await app.padSize()));
  expect(await app.read()).toBe('8');
  expect(await inkPixelCount(app.pad), 'ink is shown').toBeGreaterThan(blankInk + 100);

  await app.press(app.clearButton);
  expect(await app.read()).toBe('');
  await expect(app.result).toHaveText('');
  expect(await inkPixelCount(app.pad), 'the pad is blank again').toBe(blankInk);
  // No late reading of the cleared ink arrives afterwards.
  await page.waitForTimeout(1_000);
  expect(await app.read()).toBe('');

  // Writing after Clear starts afresh.
  await app.draw(placedDigit(DIGIT_SAMPLE_IDS[2], await app.padSize()));
  expect(await app.read()).toBe('2');
});

test('Escape clears the pad and the result', async ({ app, page }) => {
  const blankInk = await inkPixelCount(app.pad);
  const size = await app.padSize();
  await app.draw(placedDigit(DIGIT_SAMPLE_IDS[0], size));
  expect(await app.read()).toBe('0');
  await page.keyboard.press('Escape');
  expect(await app.read()).toBe('');
  await expect(app.result).toHaveText('');
  expect(await inkPixelCount(app.pad), 'the pad is blank again').toBe(blankInk);
  await page.waitForTimeout(1_000);
  expect(await app.read()).toBe('');
});
