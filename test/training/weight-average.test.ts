import { describe, expect, it } from 'vitest';
import { WeightAverage } from '../../src/training/weight-average';

describe('WeightAverage', () => {
  it('follows the recent weights early on, then averages over about 1 / (1 − decay) steps', () => {
    const average = new WeightAverage(0.9, new Float32Array([100]));
    average.update(new Float32Array([0]));
    // First step: decay ramps from 1/10, so the random start counts for only a tenth.
    expect(average.values[0]).toBeCloseTo(10, 5);
    for (let step = 0; step < 200; step++) average.update(new Float32Array([step % 2 === 0 ? 1 : 3]));
    // Alternating 1 and 3: the long-run average is 2 (±the last step's pull).
    expect(average.values[0]).toBeGreaterThan(1.8);
    expect(average.values[0]).toBeLessThan(2.2);
    expect(average.count).toBe(201);
  });

  it('resumes from a saved average and step count exactly', () => {
    const weights = Array.from({ length: 30 }, (_, i) => new Float32Array([Math.sin(i), Math.cos(i)]));
    const whole = new WeightAverage(0.95, new Float32Array([0, 0]));
    weights.forEach((w) => whole.update(w));
    const first = new WeightAverage(0.95, new Float32Array([0, 0]));
    weights.slice(0, 12).forEach((w) => first.update(w));
    const resumed = new WeightAverage(0.95, first.values, first.count);
    weights.slice(12).forEach((w) => resumed.update(w));
    expect(Array.from(resumed.values)).toEqual(Array.from(whole.values));
  });

  it('refuses weights of another length', () => {
    expect(() => new WeightAverage(0.9, new Float32Array(3)).update(new Float32Array(4))).toThrow(/expected 3 weights/);
  });
});
