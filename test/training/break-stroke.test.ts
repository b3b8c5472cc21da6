import { describe, expect, it } from 'vitest';
import type { FloatImage } from '../../src/pipeline/types';
import { breakStroke } from '../../src/training/break-stroke';
import { createRandom } from '../../src/training/create-random';

/** A 40×20 image with a horizontal stroke 4 px thick across columns 5–34. */
function line(): FloatImage {
  const width = 40;
  const height = 20;
  const data = new Float32Array(width * height);
  for (let y = 8; y < 12; y++) for (let x = 5; x < 35; x++) data[y * width + x] = 1;
  return { width, height, data };
}

const inkIn = (image: FloatImage, x: number): number => {
  let sum = 0;
  for (let y = 0; y < image.height; y++) sum += image.data[y * image.width + x];
  return sum;
};

describe('breakStroke', () => {
  it('cuts a stroke through where it breaks it, erasing only a disc', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const before = line();
      const after = breakStroke(before, createRandom(seed), 3);
      const emptyColumns = [];
      for (let x = 5; x < 35; x++) if (inkIn(after, x) === 0) emptyColumns.push(x);
      // A disc of radius 3 across a 4-px stroke empties at least one column, even centred on an edge row.
      expect(emptyColumns.length, `seed ${seed}`).toBeGreaterThanOrEqual(1);
      const removed = before.data.reduce((a, b) => a + b, 0) - after.data.reduce((a, b) => a + b, 0);
      expect(removed).toBeGreaterThan(12);
      expect(removed).toBeLessThan(60); // Only the disc and its soft rim, not the whole stroke.
      expect(before.data.reduce((a, b) => a + b, 0)).toBe(120); // The input is not changed.
    }
  });

  it('is deterministic for a seed and leaves an image without ink alone', () => {
    const a = breakStroke(line(), createRandom(7), 2.5);
    const b = breakStroke(line(), createRandom(7), 2.5);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const blank: FloatImage = { width: 10, height: 10, data: new Float32Array(100) };
    expect(breakStroke(blank, createRandom(1), 3)).toBe(blank);
  });
});
