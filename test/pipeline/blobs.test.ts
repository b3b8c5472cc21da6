import { beforeAll, describe, expect, it } from 'vitest';
import { binarize } from '../../src/pipeline/binarize';
import { findInkBlobs } from '../../src/pipeline/find-ink-blobs';
import { limitResolution } from '../../src/pipeline/limit-resolution';
import type { CV } from '../../src/pipeline/opencv-types';
import type { InkImage } from '../../src/pipeline/types';
import { pad } from '../support/fixtures';
import { loadOpenCv } from '../support/opencv';

let cv: CV;
beforeAll(async () => {
  cv = await loadOpenCv();
});

const image = (width: number, height: number, fill: (x: number, y: number) => number): InkImage => {
  const data = new Uint8ClampedArray(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = fill(x, y);
  return { width, height, data };
};

describe('binarize', () => {
  it('marks pixels above the threshold as 255 and the rest as 0', () => {
    const out = binarize(cv, { width: 4, height: 1, data: Uint8Array.from([0, 64, 65, 255]) }, 64);
    expect(Array.from(out.data)).toEqual([0, 0, 255, 255]);
    expect(out.width).toBe(4);
    expect(out.height).toBe(1);
  });
});

describe('findInkBlobs', () => {
  it('finds nothing on a blank or empty image', () => {
    expect(findInkBlobs(cv, image(30, 20, () => 0)).blobs).toEqual([]);
    expect(findInkBlobs(cv, { width: 0, height: 0, data: new Uint8Array(0) }).blobs).toEqual([]);
  });

  it('reports each 8-connected blob with its box, area and labelled pixels', () => {
    // Two squares and a diagonal pair (8-connected, so one blob).
    const squares = image(40, 30, (x, y) =>
      (x >= 2 && x < 7 && y >= 3 && y < 8) || (x >= 20 && x < 30 && y >= 10 && y < 25) || (x === 35 && y === 2) || (x === 36 && y === 3) ? 255 : 0,
    );
    const { blobs, labels } = findInkBlobs(cv, squares);
    const boxes = blobs.map((b) => ({ ...b.box, area: b.area })).sort((a, b) => a.x - b.x);
    expect(boxes).toEqual([
      { x: 2, y: 3, width: 5, height: 5, area: 25 },
      { x: 20, y: 10, width: 10, height: 15, area: 150 },
      { x: 35, y: 2, width: 2, height: 2, area: 2 },
    ]);
    expect(labels.width).toBe(40);
    for (const b of blobs) {
      let count = 0;
      labels.labels.forEach((l) => (count += l === b.label ? 1 : 0));
      expect(count).toBe(b.area);
    }
    expect(labels.labels[0]).toBe(0);
  });
});

describe('limitResolution', () => {
  it('passes small images through untouched', () => {
    const small = pad([[[10, 10], [50, 50]]], 100, 80);
    const out = limitResolution(cv, small, 1024);
    expect(out.image).toBe(small);
    expect(out.scale).toBe(1);
  });

  it('area-downscales large images so the long side fits, keeping the ink', () => {
    const big = pad([[[100, 500], [3900, 500]]], 4000, 1000, 12);
    const out = limitResolution(cv, big, 1000);
    expect(out.image.width).toBe(1000);
    expect(out.image.height).toBe(250);
    expect(out.scale).toBe(4);
    expect(Array.from(out.image.data).reduce((a, b) => Math.max(a, b), 0)).toBeGreaterThan(200);
  });
});
