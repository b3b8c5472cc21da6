import { beforeAll, describe, expect, it } from 'vitest';
import { rasterizeStrokes, type Stroke } from '../../src/pipeline/rasterize-strokes';
import { measureStrokeWidth } from '../../src/pipeline/measure-stroke-width';
import { normalizeToMnist } from '../../src/pipeline/normalize';
import { normalizeStrokeWidth } from '../../src/pipeline/normalize-stroke-width';
import type { CV } from '../../src/pipeline/opencv-types';
import { MNIST_SIZE, MNIST_STROKE_WIDTH } from '../../src/pipeline/options';
import type { FloatImage, InkImage } from '../../src/pipeline/types';
import { loadOpenCv } from '../support/opencv';

let cv: CV;
beforeAll(async () => {
  cv = await loadOpenCv();
});

/** A binary image (255 = ink) with the given rectangles filled. */
function rectangles(width: number, height: number, rects: [number, number, number, number][]): InkImage {
  const data = new Uint8Array(width * height);
  for (const [x0, y0, w, h] of rects) for (let y = y0; y < y0 + h; y++) data.fill(255, y * width + x0, y * width + x0 + w);
  return { width, height, data };
}

/** Rendered strokes as a float crop, as cropDigit hands them over. */
function crop(strokes: Stroke[], width: number, height: number, pen: number): FloatImage {
  const image = rasterizeStrokes(strokes, width, height, pen);
  return { width, height, data: Float32Array.from(image.data, (v) => v / 255) };
}

/** Stroke width of a 28×28 crop in its own pixels, measured the way MNIST's was (4× up, half ink). */
function boxStrokeWidth(pixels: Float32Array): number {
  const up = 4;
  const size = MNIST_SIZE * up;
  const src = new cv.Mat(MNIST_SIZE, MNIST_SIZE, cv.CV_32FC1);
  const big = new cv.Mat();
  try {
    src.data32F.set(pixels);
    cv.resize(src, big, new cv.Size(size, size), 0, 0, cv.INTER_LINEAR);
    const binary = Uint8Array.from(big.data32F, (v) => (v >= 0.5 ? 255 : 0));
    return measureStrokeWidth(cv, { width: size, height: size, data: binary }) / up;
  } finally {
    src.delete();
    big.delete();
  }
}

describe('measureStrokeWidth', () => {
  it.each([
    // width of a 200-px bar, tolerance
    [1, 0.15],
    [3, 0.2],
    [8, 0.3],
    [20, 0.6],
  ])('a %d-px bar measures its width', (w, tolerance) => {
    expect(Math.abs(measureStrokeWidth(cv, rectangles(260, 60, [[30, 20, 200, w]])) - w)).toBeLessThanOrEqual(tolerance);
  });

  it('measures a ring, holes included, and several strokes together', () => {
    const ring = rasterizeStrokes([Array.from({ length: 65 }, (_, i) => [100 + 70 * Math.cos(i / 10.2), 100 + 70 * Math.sin(i / 10.2)])], 200, 200, 10);
    const binary = { ...ring, data: Uint8Array.from(ring.data, (v) => (v >= 128 ? 255 : 0)) };
    expect(measureStrokeWidth(cv, binary)).toBeGreaterThan(9);
    expect(measureStrokeWidth(cv, binary)).toBeLessThan(11.5);
    expect(measureStrokeWidth(cv, rectangles(100, 100, [[10, 10, 80, 4], [10, 50, 4, 40]]))).toBeCloseTo(4, 0);
  });

  it('is 0 without ink, 1 for one pixel', () => {
    expect(measureStrokeWidth(cv, rectangles(10, 10, []))).toBe(0);
    expect(measureStrokeWidth(cv, rectangles(10, 10, [[4, 4, 1, 1]]))).toBe(1);
    expect(measureStrokeWidth(cv, { width: 0, height: 0, data: new Uint8Array(0) })).toBe(0);
  });
});

describe('normalizeStrokeWidth', () => {
  const seven: Stroke[] = [[[0.1, 0.05], [0.9, 0.05], [0.4, 1.0]]];
  const two: Stroke[] = [[[0.15, 0.25], [0.4, 0.0], [0.75, 0.1], [0.7, 0.45], [0.1, 1.0], [0.9, 1.0]]];

  it('gives MNIST-like strokes whatever the writing size and pen', () => {
    for (const shape of [seven, two]) {
      for (const size of [30, 80, 240, 600]) {
        for (const pen of [2, 6, 14, 24]) {
          if (pen > size / 4) continue;
          const at = (s: Stroke[]): Stroke[] => s.map((p) => p.map(([u, v]) => [10 + u * size * 0.7, 10 + v * size]));
          const out = normalizeToMnist(normalizeStrokeWidth(cv, crop(at(shape), size + 20, size + 20, pen)));
          const width = boxStrokeWidth(out);
          // MNIST digits range 1.8–3.5 px (p10–p90); without this step a 2-px pen on a 600-px digit gives ~0.1.
          expect(width, `size ${size} pen ${pen}`).toBeGreaterThan(MNIST_STROKE_WIDTH - 0.5);
          expect(width, `size ${size} pen ${pen}`).toBeLessThan(MNIST_STROKE_WIDTH + 0.6);
        }
      }
    }
  });

  it('returns intensities in [0, 1] with room around the ink', () => {
    const out = normalizeStrokeWidth(cv, crop(seven.map((s) => s.map(([u, v]) => [5 + u * 100, 5 + v * 140])), 110, 150, 4));
    expect(out.data.every((v) => v >= 0 && v <= 1)).toBe(true);
    for (let x = 0; x < out.width; x++) expect(out.data[x]).toBe(0);
  });

  it('leaves an empty crop, or one with a nonsensical target, as it is', () => {
    const empty = { width: 5, height: 5, data: new Float32Array(25) };
    expect(normalizeStrokeWidth(cv, empty)).toBe(empty);
    const ink = crop(seven, 40, 40, 3);
    expect(normalizeStrokeWidth(cv, ink, 0)).toBe(ink);
    expect(normalizeStrokeWidth(cv, ink, NaN)).toBe(ink);
  });

  it('keeps the strokes of a small 8 whose top loop a thick pen has filled', () => {
    // A small loop over a larger one, 48 px tall: an 8 written small on a phone with its 8-px pen.
    const loop = (cx: number, cy: number, rx: number, ry: number, from: number): number[][] =>
      Array.from({ length: 25 }, (_, i) => [cx + rx * Math.sin(from + (Math.PI * i) / 12), cy - ry * Math.cos(from + (Math.PI * i) / 12)]);
    const eight: Stroke[] = [[...loop(20, 14, 6, 4, Math.PI), ...loop(20, 30, 8, 8, 0)]];
    const thin = normalizeToMnist(normalizeStrokeWidth(cv, crop(eight, 40, 48, 2)));
    const thick = normalizeToMnist(normalizeStrokeWidth(cv, crop(eight, 40, 48, 8.3)));
    // The filled loop made the mean width too large, and thinning by it erased most of the lower loop.
    let strokePixels = 0;
    let kept = 0;
    for (let i = 0; i < thin.length; i++) {
      if (thin[i] <= 0.5) continue;
      strokePixels++;
      if (thick[i] > 0.3) kept++;
    }
    expect(kept / strokePixels).toBeGreaterThan(0.75);
  });

  it('does not thin a solid blob away', () => {
    const blob = { width: 50, height: 50, data: new Float32Array(2500).fill(1) };
    const out = normalizeStrokeWidth(cv, blob);
    expect(out.data.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.5 * out.width * out.height * 0.5);
  });
});
