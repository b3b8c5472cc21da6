import { beforeAll, describe, expect, it } from 'vitest';
import { binarize } from '../../src/pipeline/binarize';
import { cropDigit } from '../../src/pipeline/crop-digit';
import { findInkBlobs } from '../../src/pipeline/find-ink-blobs';
import type { CV } from '../../src/pipeline/opencv-types';
import { INK_THRESHOLD } from '../../src/pipeline/options';
import type { InkBlob, LabelImage } from '../../src/pipeline/types';
import { pad } from '../support/fixtures';
import { loadOpenCv } from '../support/opencv';

let cv: CV;
beforeAll(async () => {
  cv = await loadOpenCv();
});

describe('cropDigit', () => {
  // A vertical stroke (the digit) and a long bar of another digit reaching into its box.
  const image = pad(
    [
      [[50.2, 20], [50.2, 120]],
      [[10, 60], [38, 60]],
    ],
    120,
    140,
    6,
  );
  let blobs: InkBlob[];
  let labels: LabelImage;
  beforeAll(() => {
    ({ blobs, labels } = findInkBlobs(cv, binarize(cv, image, INK_THRESHOLD)));
  });

  it('keeps the group ink and its anti-aliased rim, and leaves other ink in the box out', () => {
    expect(blobs).toHaveLength(2);
    const stroke = blobs.find((b) => b.box.height > 50)!;
    // Widen the box over the bar so that it reaches inside.
    const box = { x: 20, y: stroke.box.y, width: stroke.box.x + stroke.box.width - 20, height: stroke.box.height };
    const out = cropDigit(image, labels, { labels: [stroke.label], box, area: stroke.area });
    expect(out.width).toBe(box.width + 2);
    expect(out.height).toBe(box.height + 2);
    const at = (x: number, y: number): number => out.data[(y - box.y + 1) * out.width + (x - box.x + 1)];
    expect(at(50, 70)).toBe(1);
    // The bar of the other digit, inside the box, is not copied.
    expect(at(30, 60)).toBe(0);
    // Faint rim pixels (below the ink threshold, so unlabelled) next to the stroke are kept.
    const rim = image.data[70 * image.width + 53];
    expect(rim).toBeGreaterThan(0);
    expect(rim).toBeLessThanOrEqual(INK_THRESHOLD);
    expect(at(53, 70)).toBeCloseTo(rim / 255, 5);
    expect(out.data.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('clips a box at the image edge', () => {
    const stroke = blobs[0];
    const out = cropDigit(image, labels, { labels: [stroke.label], box: { x: 0, y: 0, width: 120, height: 140 }, area: 0 });
    expect(out.width).toBe(120);
    expect(out.height).toBe(140);
  });
});
