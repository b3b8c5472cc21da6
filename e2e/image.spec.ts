import { encodeAnimatedGif } from '../scripts/lib/gif';
import { encodeBlackWhitePng, encodePng } from '../scripts/lib/png';
import { MAX_PHOTO_SIDE } from '../src/pipeline/photo-options';
import type { RgbaImage } from '../src/pipeline/types';
import { digitsOf, photo, PHOTOS } from '../test/support/photos';
import { readResult, recordBusyStates } from './support/app';
import { expect, test } from './support/fixtures';
import { crashWorker, test as withHooks, workerStats } from './support/hooks';
import { encodeJpegInPage } from './support/jpeg';
import { DIGIT_SAMPLE_IDS, placedDigit } from './support/samples';

// Pictures are generated here from real pen strokes (scripts/lib/render-photo.ts), not committed:
// ink on paper with uneven light, a shadow, ruled lines touching the digits and sensor noise.
const twoLines = photo(PHOTOS.twoLines);
const twoLinesPng = { name: 'two-lines.png', mimeType: 'image/png', buffer: encodePng(twoLines.photo) };

// Choosing a file is the same on a phone; one viewport keeps the suite's time down.
test.skip(({ hasTouch }) => hasTouch, 'desktop only: the file input works the same on the phone viewport');

test('reads the numbers in a chosen picture, one per line, with a box over each digit; Escape gives back an empty pad', async ({ app, page }) => {
  const busy = await recordBusyStates(page);
  const input = page.getByTestId('image-input');
  await input.setInputFiles(twoLinesPng);
  expect(await app.read()).toBe(twoLines.text);
  expect(twoLines.text).toBe('314\n2718');
  // Busy from the moment it was chosen until its reading was shown, never idle in between.
  const states = await busy();
  expect(states[0]).toBe('true');
  expect(states.indexOf('false')).toBe(states.length - 1);
  await expect(page.locator('.photo-view')).toBeVisible();
  await expect(page.locator('.boxes .box')).toHaveCount(7);
  // The boxes lie over the picture, which is fitted inside the pad.
  const pad = (await app.pad.boundingBox())!;
  for (const box of await page.locator('.boxes .box').all()) {
    const b = (await box.boundingBox())!;
    expect(b.x).toBeGreaterThanOrEqual(pad.x);
    expect(b.x + b.width).toBeLessThanOrEqual(pad.x + pad.width + 1);
    expect(b.y).toBeGreaterThanOrEqual(pad.y);
    expect(b.y + b.height).toBeLessThanOrEqual(pad.y + pad.height + 1);
  }

  await page.keyboard.press('Escape');
  expect(await app.read()).toBe('');
  await expect(page.locator('.photo-view')).toBeHidden();
  await expect(page.locator('.boxes .box')).toHaveCount(0);
});

test('a PNG of ink on a transparent background reads as ink on white paper', async ({ app, page }) => {
  // Ink only: dark pixels opaque black, everything else fully transparent (colour values 0, as
  // drawing programs save them), so only compositing on white shows the digits.
  const plain = photo({ ...PHOTOS.twoLines, ruled: false, shade: 0, noise: 0 });
  const { width, height, data } = plain.photo;
  const cutOut = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const grey = (data[4 * i] + data[4 * i + 1] + data[4 * i + 2]) / 3;
    if (grey < 90) cutOut[4 * i + 3] = 255;
  }
  await page.getByTestId('image-input').setInputFiles({ name: 'ink.png', mimeType: 'image/png', buffer: encodePng({ width, height, data: cutOut }, { keepAlpha: true }) });
  expect(await app.read()).toBe(plain.text);
});

test('bad pictures get a message and give the pad back with its ink; the app keeps working', async ({ app, page }) => {
  const size = await app.padSize();
  await app.draw(placedDigit(DIGIT_SAMPLE_IDS[3], size));
  expect(await app.read()).toBe('3');
  const input = page.getByTestId('image-input');
  const status = page.getByTestId('status');

  const bytes = encodePng(twoLines.photo);
  const corrupt = Buffer.concat([bytes.subarray(0, 60), Buffer.alloc(200, 7)]);
  await input.setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: corrupt });
  await expect(status).toHaveText(/^Could not read this image: /);
  expect(await app.read()).toBe('3');
  await expect(page.locator('.photo-view')).toBeHidden();

  const empty = encodePng({ width: 0, height: 0, data: new Uint8ClampedArray(0) });
  await input.setInputFiles({ name: 'empty.png', mimeType: 'image/png', buffer: empty });
  await expect(status).toHaveText(/^Could not read this image: /);
  expect(await app.read()).toBe('3');

  await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') });
  await expect(status).toHaveText(/^Could not read this image: it is not an image/);
  expect(await app.read()).toBe('3');

  const blank = photo({ ...PHOTOS.twoLines, lines: [], width: 320, height: 240 });
  await input.setInputFiles({ name: 'blank.png', mimeType: 'image/png', buffer: encodePng(blank.photo) });
  await expect(status).toHaveText('No digits found in this image.');
  expect(await app.read()).toBe('3');

  // Still reading: a good picture, then back to writing (a pen-down leaves the picture).
  await input.setInputFiles(twoLinesPng);
  expect(await app.read()).toBe(twoLines.text);
  await app.press(app.clearButton);
  expect(await app.read()).toBe('');
  await app.draw(placedDigit(DIGIT_SAMPLE_IDS[7], size));
  expect(await app.read()).toBe('7');
});

/** 1 where the picture is darker than `threshold` (its ink, and any dark ruled line), else 0. */
function blackWhite({ width, height, data }: RgbaImage, threshold = 110): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = (data[i * 4] + data[i * 4 + 1] + data[i * 4 + 2]) / 3 < threshold ? 1 : 0;
  return out;
}

/**
 * A 20000×20000 black-and-white PNG (about 100 kB; 1.6 GB as RGBA): `picture` made `factor` times
 * larger, on a page padded with white below and to the right.
 */
function hugePng(picture: RgbaImage, factor: number, side = 20_000): Buffer {
  const ink = blackWhite(picture);
  const stride = Math.ceil(side / 8);
  const white = new Uint8Array(stride).fill(0xff);
  const rows = new Map<number, Uint8Array>();
  return encodeBlackWhitePng(side, side, (y) => {
    const from = Math.floor(y / factor);
    if (from >= picture.height) return white;
    let row = rows.get(from);
    if (!row) {
      row = white.slice();
      for (let x = 0; x < picture.width * factor && x < side; x++) if (ink[from * picture.width + Math.floor(x / factor)]) row[x >> 3] &= ~(0x80 >> (x & 7));
      rows.set(from, row);
    }
    return row;
  });
}

test('a huge picture, an animated GIF and a truncated JPEG: read or refused clearly, the pad keeps its ink', async ({ app, page }) => {
  test.setTimeout(240_000); // a 20000×20000 picture takes seconds to decode on a small machine
  const size = await app.padSize();
  await app.draw(placedDigit(DIGIT_SAMPLE_IDS[3], size));
  expect(await app.read()).toBe('3');
  const input = page.getByTestId('image-input');
  const status = page.getByTestId('status');

  // 20000×20000: read at the working size, and never decoded whole (1.6 GB as RGBA) on the way.
  await page.evaluate(() => {
    const sizes: number[][] = [];
    (window as unknown as { bitmapSizes: number[][] }).bitmapSizes = sizes;
    const decode = window.createImageBitmap.bind(window) as (...args: unknown[]) => Promise<ImageBitmap>;
    window.createImageBitmap = (async (...args: unknown[]) => {
      const bitmap = await decode(...args);
      sizes.push([bitmap.width, bitmap.height]);
      return bitmap;
    }) as typeof createImageBitmap;
  });
  const scan = photo({ ...PHOTOS.twoLines, noise: 0, shade: 0 });
  const huge = hugePng(scan.photo, 25);
  expect(huge.length).toBeLessThan(200_000);
  await input.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: huge });
  expect(await readResult(page, 120_000)).toBe(scan.text);
  await expect(page.locator('.photo-view')).toBeVisible();
  const sizes = await page.evaluate(() => (window as unknown as { bitmapSizes: number[][] }).bitmapSizes);
  expect(sizes.length).toBeGreaterThan(0);
  for (const [width, height] of sizes) expect(Math.max(width, height)).toBeLessThanOrEqual(MAX_PHOTO_SIDE);
  await app.press(app.undoButton); // the picture goes, the pad comes back as it was
  expect(await app.read()).toBe('3');

  // An animated GIF: its first frame is read (what createImageBitmap decodes), not the second.
  const first = photo({ width: 320, height: 160, lines: [digitsOf(0, [4, 7])], seed: 3, ruled: false, noise: 0, shade: 0 });
  const second = photo({ width: 320, height: 160, lines: [digitsOf(1, [2, 0, 5])], seed: 4, ruled: false, noise: 0, shade: 0 });
  const gif = encodeAnimatedGif(320, 160, [blackWhite(first.photo), blackWhite(second.photo)]);
  await input.setInputFiles({ name: 'animated.gif', mimeType: 'image/gif', buffer: gif });
  expect(await app.read()).toBe(first.text);
  await app.press(app.undoButton);
  expect(await app.read()).toBe('3');

  // A JPEG cut in half (made by the browser's own encoder): the whole one decodes, the half does not.
  const jpeg = await encodeJpegInPage(page, encodePng(twoLines.photo), 0.9);
  expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  await input.setInputFiles({ name: 'cut.jpg', mimeType: 'image/jpeg', buffer: jpeg.subarray(0, jpeg.length >> 1) });
  await expect(status).toHaveText(/^Could not read this image: /);
  expect(await app.read()).toBe('3');
  await expect(page.locator('.photo-view')).toBeHidden();

  // Still writing and reading.
  await app.press(app.clearButton);
  expect(await app.read()).toBe('');
  await app.draw(placedDigit(DIGIT_SAMPLE_IDS[7], size));
  expect(await app.read()).toBe('7');
});

test('reads a pasted image and a dropped one', async ({ app, page }) => {
  const grainy = photo(PHOTOS.grainyShade);
  const base64 = encodePng(grainy.photo).toString('base64');
  /** Sends the PNG as a paste on the document, or a drop on the pad, as the browser would. */
  const send = (how: 'paste' | 'drop') =>
    page.evaluate(
      ([data, how]) => {
        const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], 'photo.png', { type: 'image/png' }));
        if (how === 'paste') document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
        else document.querySelector('.pad-frame')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      },
      [base64, how] as const,
    );
  const busy = await recordBusyStates(page);
  await send('paste');
  expect(await app.read()).toBe(grainy.text);
  expect((await busy())[0]).toBe('true');
  await app.press(app.clearButton);
  expect(await app.read()).toBe('');
  await busy();
  await send('drop');
  expect(await app.read()).toBe(grainy.text);
  expect((await busy())[0]).toBe('true');
});

withHooks('reading pictures leaves no OpenCV Mat in the worker, and a crash while reading one reads it again', async ({ app, page }) => {
  const input = page.getByTestId('image-input');
  await input.setInputFiles(twoLinesPng);
  expect(await app.read()).toBe(twoLines.text);
  await crashWorker(page, 'during-next-reading');
  await input.setInputFiles(twoLinesPng);
  expect(await app.read()).toBe(twoLines.text);
  await expect(page.locator('.photo-view')).toBeVisible();
  const stats = await workerStats(page);
  expect(stats.matsCreated).toBeGreaterThan(0);
  expect(stats.liveMats).toBe(0);
});
