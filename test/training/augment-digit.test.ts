import { beforeAll, describe, expect, it } from 'vitest';
import { centreOfMass } from '../../src/pipeline/normalize';
import { augmentDigit, prepareDigit } from '../../src/training/augment-digit';
import { createRandom } from '../../src/training/create-random';
import { loadMnist, type MnistSet } from '../../src/training/load-mnist';

const COUNT = 200;
let mnist: MnistSet;
const digit = (i: number) => mnist.images.subarray(i * 784, (i + 1) * 784);

beforeAll(async () => {
  mnist = await loadMnist('train', COUNT);
});

describe('augmentDigit', () => {
  it('always returns 784 finite intensities in [0, 1] with ink', () => {
    const random = createRandom(7);
    for (let i = 0; i < COUNT; i++) {
      const crop = augmentDigit(digit(i), random);
      expect(crop).toHaveLength(784);
      const ink = crop.reduce((a, b) => a + b, 0);
      expect(Math.min(...crop), `image ${i}`).toBeGreaterThanOrEqual(0);
      expect(Math.max(...crop), `image ${i}`).toBeLessThanOrEqual(1);
      expect(Number.isFinite(ink), `image ${i}`).toBe(true);
      expect(ink, `image ${i} lost its ink`).toBeGreaterThan(10);
    }
  });

  it('is reproducible from the seed', () => {
    const a = augmentDigit(digit(3), createRandom(11));
    const b = augmentDigit(digit(3), createRandom(11));
    const c = augmentDigit(digit(3), createRandom(12));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('keeps augmented crops centred like MNIST (centre of mass on pixel 14)', () => {
    const random = createRandom(5);
    for (let i = 0; i < 50; i++) {
      const { cx, cy } = centreOfMass({ width: 28, height: 28, data: augmentDigit(digit(i), random) });
      expect(Math.abs(cx - 14.5)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(cy - 14.5)).toBeLessThanOrEqual(0.5);
    }
  });
});

describe('prepareDigit (no augmentation)', () => {
  it('reproduces MNIST digits closely through the 2× render and the app normalisation', () => {
    let diff = 0;
    let ink = 0;
    for (let i = 0; i < COUNT; i++) {
      const crop = prepareDigit(digit(i));
      const raw = digit(i);
      for (let j = 0; j < 784; j++) {
        diff += Math.abs(crop[j] - raw[j] / 255);
        ink += raw[j] / 255;
      }
    }
    // Measured 0.16; a half-pixel centring error or blurrier strokes push it to ~0.3–0.5.
    expect(diff / ink).toBeLessThan(0.22);
  });
});
