import type { Page } from '@playwright/test';
import { seededRandom } from '../scripts/lib/pendigits';
import { MAX_DIGITS } from '../src/pipeline/options';
import { APP_READY_TIMEOUT_MS, READ_TIMEOUT_MS, inkPixelCount, padOf, resultOf } from './support/app';
import { Digitpad } from './support/fixtures';
import { crashWorker, enableTestHooks, expect, statusOf, test, workerStats } from './support/hooks';
import { cdpFor, interpolate, pointerFor, type PadPoint, type PadStroke } from './support/replay';
import { DIGIT_SAMPLE_IDS, placedDigit } from './support/samples';

// "Bad input gets a clear message and loses nothing": each test ends by showing that the ink is
// still there and that the app still reads a plain digit afterwards.

/** Writes a plain 7 and checks that it reads: the app still works after whatever came before. */
async function expectStillReads(app: Digitpad): Promise<void> {
  await app.press(app.clearButton);
  await expect(app.result).toHaveText('', { useInnerText: false });
  await app.draw(placedDigit(DIGIT_SAMPLE_IDS[7], await app.padSize()));
  expect(await app.read()).toBe('7');
}

/** Reads the ink and checks that reading neither removed nor changed it. */
async function readKeepingInk(app: Digitpad): Promise<string> {
  const before = await inkPixelCount(app.pad);
  expect(before, 'ink on the pad').toBeGreaterThan(0);
  const text = await app.read();
  expect(await inkPixelCount(app.pad), 'the ink is kept as drawn').toBe(before);
  return text;
}

/**
 * Strokes sent as synthetic pointer events inside the page: the pad's own listeners take them
 * as from a mouse, but without a round trip per event, so thousands of strokes take a second.
 */
async function dispatchStrokes(page: Page, strokes: readonly PadStroke[]): Promise<void> {
  await padOf(page).evaluate((canvas, all) => {
    const rect = canvas.getBoundingClientRect();
    const at = ([x, y]: readonly [number, number]) => ({
      clientX: rect.left + canvas.clientLeft + x,
      clientY: rect.top + canvas.clientTop + y,
    });
    const send = (type: string, point: readonly [number, number]) =>
      canvas.dispatchEvent(
        new PointerEvent(type, { pointerId: 1, pointerType: 'mouse', isPrimary: true, button: type === 'pointermove' ? -1 : 0, buttons: type === 'pointerup' ? 0 : 1, bubbles: true, cancelable: true, ...at(point) }),
      );
    for (const stroke of all) {
      send('pointerdown', stroke[0]);
      for (const point of stroke.slice(1)) send('pointermove', point);
      send('pointerup', stroke[stroke.length - 1]);
    }
  }, strokes as PadPoint[][]);
}

test.describe('bad input', () => {
  test('Recognize on an empty pad says what to do and reads nothing', async ({ app, page }) => {
    await app.press(page.getByTestId('recognize'));
    expect(await app.read()).toBe('');
    await expect(statusOf(page)).toHaveText('Write a digit or a whole number.');
    await expectStillReads(app);
  });

  test('a single dot gets an answer or a hint, and stays on the pad', async ({ app, page }) => {
    const { width, height } = await app.padSize();
    await app.draw([[[width / 2, height / 2]]]);
    const text = await readKeepingInk(app);
    test.info().annotations.push({ type: 'dot', description: `read "${text}", status "${await statusOf(page).textContent()}"` });
    await expect(statusOf(page)).not.toBeEmpty();
    await expectStillReads(app);
  });

  test('a scribble over the whole pad is read without error and kept', async ({ app, page }) => {
    const { width, height } = await app.padSize();
    const zigzag: PadPoint[] = [];
    for (let row = 0; row <= 12; row++) {
      const y = 4 + ((height - 8) * row) / 12;
      zigzag.push([row % 2 ? width - 4 : 4, y]);
    }
    await app.draw([zigzag], app.input, { pipeline: 20, pointDelayMs: 0 });
    const text = await readKeepingInk(app);
    test.info().annotations.push({ type: 'scribble', description: `read "${text}", status "${await statusOf(page).textContent()}"` });
    await expect(statusOf(page)).not.toBeEmpty();
    await expect(statusOf(page)).not.toHaveClass(/error/);
    await expectStillReads(app);
  });

  test('1,000 strokes are all kept, read in one go, and the pad still works', async ({ app, page }) => {
    const { width, height } = await app.padSize();
    const random = seededRandom(7);
    const strokes: PadStroke[] = Array.from({ length: 1_000 }, () => {
      const x = 10 + random() * (width - 40);
      const y = 10 + random() * (height - 40);
      return [[x, y], [x + 5 + random() * 20, y + random() * 20], [x + random() * 20, y + 5 + random() * 20]];
    });
    await dispatchStrokes(page, strokes);
    const started = Date.now();
    const text = await readKeepingInk(app);
    test.info().annotations.push({ type: '1,000 strokes', description: `read "${text}" in ${Date.now() - started} ms` });
    await expect(statusOf(page)).not.toHaveClass(/error/);
    // Undo takes them off one at a time: every stroke is there.
    await app.press(app.undoButton);
    await expect(app.result).toHaveAttribute('aria-busy', 'false', { timeout: READ_TIMEOUT_MS });
    await expectStillReads(app);
  });

  test(`50 digits in a row: the first ${MAX_DIGITS} are read and a message says so`, async ({ app, page, isMobile }) => {
    // Fifty digits side by side need the phone turned sideways.
    if (isMobile) await page.setViewportSize({ width: 844, height: 390 });
    const { width, height } = await app.padSize();
    const step = (width - 20) / 50;
    const ones: PadStroke[] = Array.from({ length: 50 }, (_, i) => {
      const x = 10 + step * (i + 0.5);
      return [[x, height / 2 - 30], [x, height / 2 + 30]];
    });
    await app.draw(ones, app.input, { pipeline: 20, pointDelayMs: 0, penUpDelayMs: 0 });
    const text = await readKeepingInk(app);
    expect(text).toHaveLength(MAX_DIGITS);
    await expect(statusOf(page)).toHaveText(`Only the first ${MAX_DIGITS} digits are read — clear the pad to write more.`);
    await expectStillReads(app);
  });
});

/** Pad CSS px → viewport px, with the pad where it is now. */
async function toViewport(app: Digitpad, [x, y]: PadPoint): Promise<PadPoint> {
  const box = (await app.pad.boundingBox())!;
  return [box.x + x, box.y + y];
}

test.describe('pointer trouble', () => {
  test('the window resized or the phone turned mid-stroke: nothing is lost, and the pad goes on', async ({ app, page, isMobile }) => {
    const before = await app.padSize();
    await app.draw(placedDigit(DIGIT_SAMPLE_IDS[7], before));
    expect(await app.read()).toBe('7');

    // A stroke down the right-hand side: half drawn, then the layout changes under the pen.
    const pointer = await pointerFor(page, app.input);
    const x = before.width * 0.9;
    let at = await toViewport(app, [x, before.height * 0.2]);
    await pointer.down(at);
    for (const next of interpolate(at, await toViewport(app, [x, before.height * 0.4]), 4)) await pointer.move((at = next));
    await page.setViewportSize(isMobile ? { width: 844, height: 390 } : { width: 700, height: 560 });
    await expect.poll(async () => app.padSize()).not.toEqual(before);
    const after = await app.padSize();
    for (const next of interpolate(at, await toViewport(app, [after.width * 0.9, after.height * 0.6]), 4)) await pointer.move((at = next));
    await pointer.up(at);

    await readKeepingInk(app);
    await expect(statusOf(page)).not.toHaveClass(/error/);
    // Undo takes the interrupted stroke off: the 7 from before the resize is still there, and reads.
    await app.press(app.undoButton);
    expect(await app.read()).toBe('7');
    expect(await inkPixelCount(app.pad)).toBeGreaterThan(0);
    await expectStillReads(app);
  });

  test.describe('on a touch screen', () => {
    test.use({ hasTouch: true });

    test('pointercancel drops only the stroke in progress; the rest stays and is read', async ({ app, page }) => {
      const size = await app.padSize();
      await app.draw(placedDigit(DIGIT_SAMPLE_IDS[7], size));
      expect(await app.read()).toBe('7');
      const ink = await inkPixelCount(app.pad);

      const cdp = await cdpFor(page);
      const touch = (type: 'touchStart' | 'touchMove', [x, y]: PadPoint) =>
        cdp.send('Input.dispatchTouchEvent', { type, touchPoints: [{ x, y, id: 1, radiusX: 4, radiusY: 4, force: 0.5 }] });
      const x = size.width * 0.9;
      const from = await toViewport(app, [x, size.height * 0.2]);
      await touch('touchStart', from);
      for (const point of interpolate(from, await toViewport(app, [x, size.height * 0.8]), 4)) await touch('touchMove', point);
      await expect(app.result).toHaveAttribute('aria-busy', 'true'); // The stroke is under way.
      // The system takes the touch back (a gesture, a palm, a dialog): Chromium sends pointercancel.
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchCancel', touchPoints: [] });

      expect(await app.read()).toBe('7');
      await expect(statusOf(page)).not.toHaveClass(/error/);
      // The cancelled stroke is gone from the screen too (repainting may move an edge pixel or two).
      expect(Math.abs((await inkPixelCount(app.pad)) - ink)).toBeLessThanOrEqual(ink * 0.02);
      await expectStillReads(app);
    });

    test('a second finger on the pad is ignored while the first one writes', async ({ app, page }) => {
      const size = await app.padSize();
      const [stroke, ...rest] = placedDigit(DIGIT_SAMPLE_IDS[1], size);
      expect(rest, 'a one-stroke 1').toEqual([]);
      const cdp = await cdpFor(page);
      const finger = (id: number, [x, y]: PadPoint) => ({ x, y, id, radiusX: 4, radiusY: 4, force: 0.5 });
      const send = (type: 'touchStart' | 'touchMove' | 'touchEnd', points: ReturnType<typeof finger>[]) =>
        cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points });

      // Finger 1 writes the 1 while finger 2 touches down on the right and sweeps down the pad.
      const path = await Promise.all(stroke.map((point) => toViewport(app, point)));
      const dense = [path[0], ...path.slice(1).flatMap((point, i) => interpolate(path[i], point, 4))];
      const second = (i: number) => toViewport(app, [size.width * 0.92, size.height * (0.1 + (0.8 * i) / dense.length)]);
      await send('touchStart', [finger(1, dense[0])]);
      await send('touchStart', [finger(1, dense[0]), finger(2, await second(0))]);
      for (const [i, point] of dense.entries()) await send('touchMove', [finger(1, point), finger(2, await second(i))]);
      await send('touchEnd', [finger(2, await second(dense.length))]); // Finger 1 lifts first…
      await send('touchEnd', []); // …then finger 2.

      expect(await app.read()).toBe('1');
      await expect(statusOf(page)).not.toHaveClass(/error/);
      await expectStillReads(app);
    });
  });
});

test.describe('failures to load', () => {
  // The service worker would fetch (and precache) the real files behind the routes' back.
  test.use({ serviceWorkers: 'block' });

  /** Each failure, the files it breaks (404, or cut in half) and what the small print must name. */
  const FAILURES = [
    { name: 'the model file is missing (404)', url: '**/model/model.json', fulfill: () => ({ status: 404, body: 'Not found' }), cause: /model.*404/ },
    { name: 'the model weights are truncated', url: '**/model/*.bin', truncate: true, cause: /model could not be loaded/ },
    { name: 'OpenCV.js fails to start', url: '**/assets/opencv-*.js', truncate: true, cause: /OpenCV\.js could not start/ },
    { name: 'the OpenCV wasm binary is truncated', url: '**/assets/opencv-*.wasm', truncate: true, cause: /OpenCV\.js could not start/ },
    { name: 'the tfjs wasm binaries are missing', url: '**/assets/tfjs-backend-wasm*.wasm', fulfill: () => ({ status: 404, body: 'Not found' }), cause: /wasm backend could not start/ },
  ] as const;

  for (const failure of FAILURES) {
    test(`${failure.name}: a clear error and Retry; the ink drawn meanwhile is read after Retry`, async ({ page, hasTouch }) => {
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.route(failure.url, async (route) => {
        if ('fulfill' in failure) return route.fulfill(failure.fulfill());
        const response = await route.fetch();
        const body = await response.body();
        return route.fulfill({ response, body: body.subarray(0, Math.floor(body.length / 2)) });
      });
      await page.goto('/');
      const status = statusOf(page);
      const retry = status.getByRole('button', { name: 'Retry' });
      await expect(retry).toBeVisible({ timeout: APP_READY_TIMEOUT_MS });
      await expect(status).toHaveClass(/error/);
      await expect(status).toContainText('The number reader could not load.');
      await expect(status.locator('.detail')).toHaveText(failure.cause);
      // All of it on screen, nothing clipped by the row it sits in.
      await expect(retry).toBeInViewport({ ratio: 1 });
      await expect(status.getByText('The number reader could not load.')).toBeInViewport({ ratio: 1 });
      test.info().annotations.push({ type: 'message', description: (await status.textContent()) ?? '' });
      await expect(resultOf(page)).toHaveAttribute('aria-busy', 'false');

      // The pad keeps working without the recogniser: what is written now is kept for later.
      const app = new Digitpad(page, hasTouch ? 'touch' : 'mouse');
      await app.draw(placedDigit(DIGIT_SAMPLE_IDS[4], await app.padSize()));
      const ink = await inkPixelCount(app.pad);
      expect(ink).toBeGreaterThan(0);
      await expect(resultOf(page)).toHaveAttribute('aria-busy', 'false', { timeout: READ_TIMEOUT_MS });
      await expect(retry, 'the error and Retry stay until the person acts').toBeVisible();

      await page.unrouteAll({ behavior: 'wait' });
      await retry.click();
      await expect(status).not.toHaveClass(/error/, { timeout: APP_READY_TIMEOUT_MS });
      expect(await app.read()).toBe('4');
      expect(await inkPixelCount(app.pad)).toBe(ink);
      expect(pageErrors).toEqual([]);
    });
  }
});

/** Waits until a fresh worker has read the ink exactly once (asking the old one may fail while it dies). */
async function expectNewWorkerReadOnce(page: Page): Promise<void> {
  await expect(async () => expect((await workerStats(page)).recognitions).toBe(1)).toPass({ timeout: APP_READY_TIMEOUT_MS });
}

test.describe('a crashing worker', () => {
  test('is restarted and the ink on the pad is read again, with no input', async ({ app, page }) => {
    await app.draw(placedDigit(DIGIT_SAMPLE_IDS[3], await app.padSize()));
    expect(await app.read()).toBe('3');
    await app.press(page.getByTestId('recognize'));
    expect(await app.read()).toBe('3');
    expect((await workerStats(page)).recognitions).toBeGreaterThanOrEqual(2);

    await crashWorker(page);
    // A new worker (its count starts at 0) has read the ink once, by itself.
    await expectNewWorkerReadOnce(page);
    expect(await app.read()).toBe('3');
    await expect(statusOf(page)).not.toHaveClass(/error/);
  });

  test('its classifier thread (tfjs) crashing restarts the whole recogniser, which reads the ink again', async ({ app, page }) => {
    await app.draw(placedDigit(DIGIT_SAMPLE_IDS[7], await app.padSize()));
    expect(await app.read()).toBe('7');
    await crashWorker(page, 'classifier');
    await expectNewWorkerReadOnce(page);
    expect(await app.read()).toBe('7');
    await expect(statusOf(page)).not.toHaveClass(/error/);
    await expectStillReads(app);
  });

  test('in the middle of a reading: the reading is redone on the new worker', async ({ app, page }) => {
    await app.draw(placedDigit(DIGIT_SAMPLE_IDS[5], await app.padSize()));
    expect(await app.read()).toBe('5');
    await crashWorker(page, 'during-next-reading');
    await app.press(page.getByTestId('recognize'));
    await expectNewWorkerReadOnce(page);
    expect(await app.read()).toBe('5');
    await expect(statusOf(page)).not.toHaveClass(/error/);
    await expectStillReads(app);
  });
});
