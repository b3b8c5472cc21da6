import { expect, test } from './support/fixtures';
import { inkPixelCount } from './support/app';
import { pointerFor } from './support/replay';
import { DIGIT_SAMPLE_IDS, placedDigit } from './support/samples';

// The tail (the stroke's unsettled end and the browser's predicted pen positions) is painted on a
// layer of its own over the pad: the pen must still land on the pad, and the layer must be blank
// whenever no stroke is in progress.

test('the tail layer lies over the pad, lets the pen through, shows the stroke in progress and is blank after pen-up', async ({ app, page }) => {
  const tail = page.locator('.pad-tail');
  await expect(tail).toHaveCount(1);
  await expect(tail).toHaveAttribute('aria-hidden', 'true');
  expect(await tail.boundingBox()).toEqual(await app.pad.boundingBox());
  const layers = await page.evaluate(() => {
    const pad = document.querySelector<HTMLCanvasElement>('[data-testid="pad"]')!;
    const over = document.querySelector<HTMLCanvasElement>('.pad-tail')!;
    const box = pad.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return {
      pad: [pad.width, pad.height],
      tail: [over.width, over.height],
      contentBoxes: [pad.clientWidth, pad.clientHeight, over.clientWidth, over.clientHeight],
      pointerEvents: getComputedStyle(over).pointerEvents,
      hitsPad: hit === pad,
    };
  });
  expect(layers.tail, 'the same backing store as the pad').toEqual(layers.pad);
  expect(layers.contentBoxes.slice(2), 'the same content box as the pad').toEqual(layers.contentBoxes.slice(0, 2));
  expect(layers.pointerEvents).toBe('none');
  expect(layers.hitsPad, 'the pad is what the pen lands on').toBe(true);

  // Mid-stroke the layer holds the end of the stroke that the pad has not painted yet.
  const box = (await app.pad.boundingBox())!;
  const pointer = await pointerFor(page, app.input);
  await pointer.down([box.x + 60, box.y + 60]);
  for (let x = 64; x <= 120; x += 4) await pointer.move([box.x + x, box.y + 60 + (x - 60) / 2]);
  await expect.poll(() => inkPixelCount(tail), { message: 'the tail shows while the pen is down' }).toBeGreaterThan(0);
  await pointer.up([box.x + 120, box.y + 90]);
  await expect.poll(() => inkPixelCount(tail), { message: 'the tail is gone at pen-up' }).toBe(0);
  expect(await inkPixelCount(app.pad), 'the whole stroke is on the pad').toBeGreaterThan(0);
  await app.press(app.clearButton);
  await expect(app.result).toHaveText('', { useInnerText: false });

  // Writing through the layer reads as before.
  await app.draw(placedDigit(DIGIT_SAMPLE_IDS[7], await app.padSize()));
  expect(await app.read()).toBe('7');
  expect(await inkPixelCount(tail)).toBe(0);
  await app.press(app.clearButton);
  await expect(app.result).toHaveText('', { useInnerText: false });
  await expect(app.result).toHaveAttribute('aria-busy', 'false');
  expect(await inkPixelCount(tail)).toBe(0);
});
