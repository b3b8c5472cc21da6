import { encodePng } from '../scripts/lib/png';
import { photo, PHOTOS } from '../test/support/photos';
import { recordBusyStates } from './support/app';
import { expect, test } from './support/fixtures';
import { crashWorker, test as withHooks, workerStats } from './support/hooks';
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
