import { describe, expect, it } from 'vitest';
import { rasterizeStrokes } from '../../src/pipeline/rasterize-strokes';

const inkArea = (data: ArrayLike<number>): number => Array.from(data).reduce((sum, v) => sum + v / 255, 0);

describe('rasterizeStrokes', () => {
  it('returns a blank image of the requested size for no strokes', () => {
    const image = rasterizeStrokes([], 7, 5, 3);
    expect(image.width).toBe(7);
    expect(image.height).toBe(5);
    expect(image.data.length).toBe(35);
    expect(inkArea(image.data)).toBe(0);
  });

  it('covers a thick line like a round-capped canvas stroke: area ≈ length × pen + disc', () => {
    for (const pen of [2, 4, 10]) {
      const image = rasterizeStrokes([[[20, 50], [180, 50]]], 200, 100, pen);
      const expected = 160 * pen + Math.PI * (pen / 2) ** 2;
      expect(inkArea(image.data)).toBeCloseTo(expected, -1);
      expect(Math.abs(inkArea(image.data) - expected) / expected).toBeLessThan(0.03);
    }
  });

  it('is fully inked on the centre line and blank beyond the pen', () => {
    const image = rasterizeStrokes([[[10, 20.5], [90, 20.5]]], 100, 40, 6);
    expect(image.data[20 * 100 + 50]).toBe(255);
    expect(image.data[24 * 100 + 50]).toBe(0);
    expect(image.data[16 * 100 + 50]).toBe(0);
  });

  it('draws a one-point stroke as a dot of the pen width', () => {
    const image = rasterizeStrokes([[[50, 50]]], 100, 100, 10);
    expect(Math.abs(inkArea(image.data) - Math.PI * 25) / (Math.PI * 25)).toBeLessThan(0.05);
  });

  it('survives strokes off the pad, non-finite points and empty sizes', () => {
    const image = rasterizeStrokes([[[-50, -50], [500, 500]], [[NaN, 3], [Infinity, 2]], []], 20, 20, 4);
    expect(Array.from(image.data).every((v) => v >= 0 && v <= 255)).toBe(true);
    expect(inkArea(image.data)).toBeGreaterThan(0);
    expect(rasterizeStrokes([[[1, 1]]], 0, 0, 4).data.length).toBe(0);
  });
});
