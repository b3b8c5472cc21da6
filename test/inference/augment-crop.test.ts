import { describe, expect, it } from 'vitest';
import { augmentCrop, rotateCrop, thickenCrop } from '../../src/inference/augment-crop';

const SIZE = 28;

/** A crop with ink at the given (x, y) pixels. */
function cropWith(points: readonly (readonly [number, number])[]): Float32Array {
  const crop = new Float32Array(SIZE * SIZE);
  for (const [x, y] of points) crop[y * SIZE + x] = 1;
  return crop;
}

/** A vertical bar from (x, 4) to (x, 23): a "1". */
const bar = (x: number) => cropWith(Array.from({ length: 20 }, (_, i) => [x, 4 + i] as const));
const ink = (crop: Float32Array) => crop.reduce((a, b) => a + b, 0);

describe('augmentCrop', () => {
  it('gives the crop itself first (a copy), then 4 shifts per distance, 2 turns per angle, the thicker view', () => {
    const crop = bar(14);
    const views = augmentCrop(crop, { shifts: [1, 2], rotations: [8], thicker: true });
    expect(views).toHaveLength(1 + 8 + 2 + 1);
    expect(views[0]).toEqual(crop);
    expect(views[0]).not.toBe(crop);
    for (const v of views) {
      expect(v).toHaveLength(SIZE * SIZE);
      expect(v.every((p) => Number.isFinite(p) && p >= 0 && p <= 1)).toBe(true);
    }
    // The one-pixel shifts move the bar right, left, down, up.
    expect(views[1]).toEqual(bar(15));
    expect(views[2]).toEqual(bar(13));
    expect(ink(views[3])).toBe(20);
    expect(views[3][24 * SIZE + 14]).toBe(1);
    expect(views[4][3 * SIZE + 14]).toBe(1);
  });

  it('gives the crop alone with no views asked for, and refuses a crop of the wrong size', () => {
    expect(augmentCrop(bar(10), {})).toEqual([bar(10)]);
    expect(() => augmentCrop(new Float32Array(10))).toThrow(/784/);
  });
});

describe('rotateCrop and thickenCrop', () => {
  it('leaves the crop as it was at 0°, and turning keeps the ink within a pixel of its amount', () => {
    const crop = bar(14);
    expect(rotateCrop(crop, 0)).toEqual(crop);
    const turned = rotateCrop(crop, 8);
    expect(turned).not.toEqual(crop);
    expect(Math.abs(ink(turned) - ink(crop))).toBeLessThan(1.5);
  });

  it('turns clockwise: the top of a vertical bar moves right, its foot left', () => {
    const turned = rotateCrop(bar(14), 8);
    const meanX = (row: number) => {
      let sum = 0;
      let weight = 0;
      for (let x = 0; x < SIZE; x++) {
        sum += x * turned[row * SIZE + x];
        weight += turned[row * SIZE + x];
      }
      return sum / weight;
    };
    expect(meanX(5)).toBeGreaterThan(14.5);
    expect(meanX(22)).toBeLessThan(13.5);
  });

  it('thickens a one-pixel point into a cross of five, never brighter than the brightest ink', () => {
    const thick = thickenCrop(cropWith([[10, 10]]));
    expect(ink(thick)).toBe(5);
    for (const [x, y] of [[10, 10], [9, 10], [11, 10], [10, 9], [10, 11]]) expect(thick[y * SIZE + x]).toBe(1);
    expect(ink(thickenCrop(cropWith([[0, 0]])))).toBe(3); // The edge adds nothing from outside.
  });
});
