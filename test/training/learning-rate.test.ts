import { describe, expect, it } from 'vitest';
import { cycleAt, learningRateAt } from '../../src/training/learning-rate';

describe('learningRateAt', () => {
  const peak = 2e-3;

  it('warms up from a tenth of the peak, reaches it after 3%, and decays to a hundredth', () => {
    expect(learningRateAt(0, { peak })).toBeCloseTo(0.1 * peak, 10);
    expect(learningRateAt(0.03, { peak })).toBeCloseTo(peak, 10);
    expect(learningRateAt(1, { peak })).toBeCloseTo(0.01 * peak, 10);
    expect(learningRateAt(0.5, { peak })).toBeLessThan(peak);
    expect(learningRateAt(0.5, { peak })).toBeGreaterThan(learningRateAt(0.9, { peak }));
  });

  it('with two cycles runs the whole schedule twice, restarting at half way', () => {
    for (const p of [0, 0.01, 0.2, 0.3, 0.49]) {
      expect(learningRateAt(p, { peak, cycles: 2 })).toBeCloseTo(learningRateAt(2 * p, { peak }), 12);
      expect(learningRateAt(p + 0.5, { peak, cycles: 2 })).toBeCloseTo(learningRateAt(2 * p, { peak }), 12);
    }
    expect(learningRateAt(0.4999, { peak, cycles: 2 })).toBeLessThan(0.02 * peak);
    expect(learningRateAt(0.5, { peak, cycles: 2 })).toBeCloseTo(0.1 * peak, 10);
    expect(learningRateAt(1, { peak, cycles: 2 })).toBeCloseTo(0.01 * peak, 10);
  });
});

describe('cycleAt', () => {
  it('numbers the cycles from 0 and keeps the end of training in the last one', () => {
    expect([-0.5, 0, 0.4999, 0.5, 0.99, 1, 1.5].map((p) => cycleAt(p, 2))).toEqual([0, 0, 0, 1, 1, 1, 1]);
    expect([0, 0.34, 0.67, 1].map((p) => cycleAt(p, 3))).toEqual([0, 1, 2, 2]);
    expect(cycleAt(0.7, 1)).toBe(0);
  });
});
