import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../scripts/lib/pendigits';
import type { Stroke } from '../../src/pipeline/rasterize-strokes';
import type { CV } from '../../src/pipeline/opencv-types';
import { MAX_DIGITS, MNIST_SIZE } from '../../src/pipeline/options';
import { segmentDigits } from '../../src/pipeline/segment';
import type { InkImage, Segmentation } from '../../src/pipeline/types';
import { pad, place, SHAPES } from '../support/fixtures';
import { loadOpenCv } from '../support/opencv';

let cv: CV;
beforeAll(async () => {
  cv = await loadOpenCv();
});

const filled = (width: number, height: number, value: (i: number) => number): InkImage => {
  const data = new Uint8ClampedArray(width * height);
  for (let i = 0; i < data.length; i++) data[i] = value(i);
  return { width, height, data };
};

/** Digits written in a row, left to right. */
const row = (shapes: Stroke[][], size: number, step: number, x = 20, y = 20): Stroke[] =>
  shapes.flatMap((shape, i) => place(shape, x + i * step, y, size));

/** Named images, ordinary and hostile: every one must give a valid segmentation. */
const FIXTURES: Record<string, () => InkImage> = {
  'empty 0x0': () => ({ width: 0, height: 0, data: new Uint8Array(0) }),
  'blank 1x1': () => filled(1, 1, () => 0),
  'inked 1x1': () => filled(1, 1, () => 255),
  'one row of ink': () => filled(300, 1, () => 255),
  'one column of ink': () => filled(1, 300, () => 255),
  'blank pad': () => filled(400, 600, () => 0),
  'all ink': () => filled(400, 300, () => 255),
  'faint everywhere (at the threshold)': () => filled(200, 200, () => 64),
  'salt noise 30%': () => {
    const random = seededRandom(1);
    return filled(300, 300, () => (random() < 0.3 ? 255 : 0));
  },
  'isolated specks grid': () => filled(400, 400, (i) => ((i % 400) % 3 === 0 && Math.floor(i / 400) % 3 === 0 ? 255 : 0)),
  'digit with sparse specks': () => {
    const random = seededRandom(2);
    const image = pad(place(SHAPES.two, 150, 60, 250), 600, 400, 10);
    for (let i = 0; i < image.data.length; i++) if (random() < 0.01) image.data[i] = 255;
    return image;
  },
  'one digit': () => pad(place(SHAPES.three, 150, 60, 250)),
  'digit touching every edge': () => pad([[[0, 0], [99, 99]], [[0, 99], [99, 0]]], 100, 100, 12),
  'huge pad, small digit': () => pad(place(SHAPES.seven, 2000, 1000, 400), 5000, 3000, 20),
  'tiny pad': () => pad(place(SHAPES.zero, 1, 1, 8), 10, 10, 1),
  'fifty ones': () => pad(row(Array(50).fill(SHAPES.one), 60, 24, 10, 20), 1250, 100, 4),
  'malformed: short data': () => ({ width: 100, height: 100, data: new Uint8Array(10) }),
  'malformed: negative size': () => ({ width: -5, height: 10, data: new Uint8Array(50) }),
  'malformed: fractional size': () => ({ width: 10.5, height: 10, data: new Uint8Array(200) }),
  'malformed: NaN size': () => ({ width: NaN, height: 10, data: new Uint8Array(200) }),
  'malformed: no data': () => ({ width: 10, height: 10, data: undefined as unknown as Uint8Array }),
};

function expectValid(result: Segmentation, image: InkImage): void {
  expect(typeof result.truncated).toBe('boolean');
  expect(result.digits.length).toBeLessThanOrEqual(MAX_DIGITS);
  for (const { box, pixels } of result.digits) {
    for (const v of [box.x, box.y, box.width, box.height]) expect(Number.isInteger(v)).toBe(true);
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.width).toBeGreaterThan(0);
    expect(box.height).toBeGreaterThan(0);
    expect(box.x + box.width).toBeLessThanOrEqual(image.width);
    expect(box.y + box.height).toBeLessThanOrEqual(image.height);
    expect(pixels).toBeInstanceOf(Float32Array);
    expect(pixels.length).toBe(MNIST_SIZE * MNIST_SIZE);
    expect(pixels.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true);
  }
}

describe('segmentDigits invariants', () => {
  it.each(Object.keys(FIXTURES))('%s: valid output, no throw', (name) => {
    const image = FIXTURES[name]();
    const result = segmentDigits(cv, image);
    expectValid(result, image);
  });
});

describe('segmentDigits', () => {
  it('reads nothing from nothing', () => {
    expect(segmentDigits(cv, FIXTURES['blank pad']())).toEqual({ digits: [], truncated: false });
    expect(segmentDigits(cv, FIXTURES['malformed: short data']())).toEqual({ digits: [], truncated: false });
  });

  it('finds one digit, its box around the ink, its crop MNIST-centred', () => {
    const { digits } = segmentDigits(cv, pad(place(SHAPES.three, 150, 60, 250)));
    expect(digits).toHaveLength(1);
    const { box, pixels } = digits[0];
    expect(box.x).toBeGreaterThanOrEqual(150 + 0.1 * 250 - 8);
    expect(box.y).toBeGreaterThanOrEqual(60 - 8);
    expect(box.y + box.height).toBeLessThanOrEqual(60 + 250 + 8);
    let mass = 0;
    let cy = 0;
    pixels.forEach((v, i) => {
      mass += v;
      cy += v * (Math.floor(i / MNIST_SIZE) + 0.5);
    });
    expect(cy / mass).toBeCloseTo(14, 0);
  });

  it('reads a number left to right', () => {
    const shapes = [SHAPES.one, SHAPES.seven, SHAPES.zero, SHAPES.fiveWithHat, SHAPES.two];
    const { digits } = segmentDigits(cv, pad(row(shapes, 160, 190), 1000, 220, 8));
    expect(digits).toHaveLength(5);
    const centres = digits.map((d) => d.box.x + d.box.width / 2);
    expect([...centres].sort((a, b) => a - b)).toEqual(centres);
  });

  it(`reads at most ${MAX_DIGITS} digits and says when it dropped some`, () => {
    const fifty = segmentDigits(cv, FIXTURES['fifty ones']());
    expect(fifty.digits).toHaveLength(MAX_DIGITS);
    expect(fifty.truncated).toBe(true);
    // The first thirty, in order.
    expect(fifty.digits[0].box.x).toBeLessThan(fifty.digits[1].box.x);
    expect(fifty.digits[MAX_DIGITS - 1].box.x).toBeLessThan(10 + 30 * 24 + 20);

    const thirty = segmentDigits(cv, pad(row(Array(30).fill(SHAPES.one), 60, 24, 10, 20), 800, 100, 4));
    expect(thirty.digits).toHaveLength(30);
    expect(thirty.truncated).toBe(false);
    expect(segmentDigits(cv, FIXTURES['fifty ones'](), { maxDigits: 3 }).digits).toHaveLength(3);
  });

  it('drops a stray dot away from the digits', () => {
    const strokes = [...row([SHAPES.two, SHAPES.seven], 200, 240, 40, 80), [[560, 120]], [[290, 20]]];
    expect(segmentDigits(cv, pad(strokes, 640, 400, 12)).digits).toHaveLength(2);
  });

  it('maps boxes back to the original pixels on a huge pad', () => {
    const { digits } = segmentDigits(cv, FIXTURES['huge pad, small digit']());
    expect(digits).toHaveLength(1);
    const { box } = digits[0];
    // The 7 spans x 2040–2360 and y 1020–1400 (plus the pen) on the 5000×3000 pad.
    expect(box.x).toBeGreaterThan(2000);
    expect(box.x + box.width).toBeLessThan(2400);
    expect(box.y).toBeGreaterThan(980);
    expect(box.y + box.height).toBeLessThan(1440);
  });

  it('can keep the pen width (strokeWidth: 0)', () => {
    const image = pad(place(SHAPES.seven, 100, 50, 300), 600, 400, 3);
    const thin = segmentDigits(cv, image, { strokeWidth: 0 }).digits[0].pixels;
    const normal = segmentDigits(cv, image).digits[0].pixels;
    const ink = (p: Float32Array): number => p.reduce((a, b) => a + b, 0);
    expect(ink(thin)).toBeLessThan(ink(normal) / 2);
  });
});
