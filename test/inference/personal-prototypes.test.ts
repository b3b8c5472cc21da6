import { describe, expect, it } from 'vitest';
import {
  blendRows,
  blendWithPrototypes,
  classOfLabel,
  cosineDistance,
  keepLatestPerLabel,
  normalize,
  PROTOTYPE_RADIUS,
  PROTOTYPE_WEIGHT,
  type Prototype,
} from '../../src/inference/personal-prototypes';
import { A_MARK, MODEL_CLASSES, NOT_A_DIGIT } from '../../src/inference/model';

/** A unit vector at `angle` radians in the plane of the first two axes of a 4-d space. */
function direction(angle: number): Float32Array {
  return new Float32Array([Math.cos(angle), Math.sin(angle), 0, 0]);
}

/** Probabilities over the 11 classes, all of them on `digit`'s side as given. */
function confident(digit: number, p = 0.95, classes = MODEL_CLASSES): Float32Array {
  const out = new Float32Array(classes).fill((1 - p) / (classes - 1));
  out[digit] = p;
  return out;
}

const argmax = (v: Float32Array) => v.indexOf(Math.max(...v));

describe('normalize and cosineDistance', () => {
  it('gives unit vectors, 0 for the same direction, 1 at right angles, 2 opposite', () => {
    const v = normalize(new Float32Array([3, 4, 0, 0]));
    expect(Math.hypot(...v)).toBeCloseTo(1, 6);
    expect(cosineDistance(v, v)).toBeCloseTo(0, 6);
    expect(cosineDistance(direction(0), direction(Math.PI / 2))).toBeCloseTo(1, 6);
    expect(cosineDistance(direction(0), direction(Math.PI))).toBeCloseTo(2, 6);
    expect(normalize(new Float32Array(4))).toEqual(new Float32Array(4));
  });
});

describe('classOfLabel', () => {
  it('maps digits to themselves and "none" to not-a-digit; rejects anything else', () => {
    expect(classOfLabel(7)).toBe(7);
    expect(classOfLabel('none')).toBe(A_MARK);
    for (const bad of [10, -1, 2.5, Number.NaN]) expect(() => classOfLabel(bad)).toThrow();
  });
});

describe('blendWithPrototypes', () => {
  const sevenCorrectedToOne: Prototype[] = [{ embedding: direction(0), classIndex: 1 }];

  it('leaves a crop far from every prototype exactly as the model read it (the safety net)', () => {
    const probabilities = confident(7);
    // cos distance 1 − cos(θ) = radius exactly, and beyond.
    for (const angle of [Math.acos(1 - PROTOTYPE_RADIUS), 0.9, Math.PI / 2, Math.PI]) {
      expect(blendWithPrototypes(probabilities, direction(angle), sevenCorrectedToOne)).toBe(probabilities);
    }
    expect(blendWithPrototypes(probabilities, direction(0), [])).toBe(probabilities);
  });

  it('reads the very crop a person corrected as they said, however sure the model was', () => {
    const blended = blendWithPrototypes(confident(7, 0.999), direction(0), sevenCorrectedToOne);
    expect(argmax(blended)).toBe(1);
    expect(blended[1]).toBeGreaterThan(PROTOTYPE_WEIGHT - 0.01);
    expect(blended.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('weighs a prototype less the farther the crop is, and never above the weight', () => {
    let previous = Infinity;
    for (let d = 0; d < PROTOTYPE_RADIUS; d += PROTOTYPE_RADIUS / 6) {
      const blended = blendWithPrototypes(confident(7), direction(Math.acos(1 - d)), sevenCorrectedToOne);
      expect(blended[1]).toBeLessThanOrEqual(previous);
      expect(blended[1]).toBeLessThanOrEqual(PROTOTYPE_WEIGHT + 0.01);
      previous = blended[1];
    }
  });

  it('splits the evidence between near prototypes of different labels by their nearness', () => {
    const prototypes: Prototype[] = [
      { embedding: direction(0.05), classIndex: 4 },
      { embedding: direction(-0.2), classIndex: 9 },
    ];
    const blended = blendWithPrototypes(confident(7), direction(0), prototypes);
    expect(blended[4]).toBeGreaterThan(blended[9]);
    expect(blended[9]).toBeGreaterThan(confident(7)[9]);
    expect(blended.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('turns a crop into a mark when the person said "not a digit"; an older model takes it as its one "not a digit", a digits-only model ignores it', () => {
    const none: Prototype[] = [{ embedding: direction(0), classIndex: classOfLabel('none') }];
    expect(argmax(blendWithPrototypes(confident(1), direction(0), none))).toBe(A_MARK);
    expect(argmax(blendWithPrototypes(confident(1, 0.95, 11), direction(0), none))).toBe(NOT_A_DIGIT);
    const digitsOnly = confident(1).slice(0, 10);
    expect(blendWithPrototypes(digitsOnly, direction(0), none)).toBe(digitsOnly);
  });
});

describe('blendRows', () => {
  it('blends each row by its own embedding, and copies the matrix when there are no prototypes', () => {
    const probabilities = new Float32Array([...confident(7), ...confident(7)]);
    const embeddings = new Float32Array([...direction(0), ...direction(Math.PI / 2)]);
    const blended = blendRows(probabilities, 11, embeddings, [{ embedding: direction(0), classIndex: 1 }]);
    expect(argmax(blended.subarray(0, 11))).toBe(1);
    expect(blended.subarray(11)).toEqual(probabilities.subarray(11));
    const copy = blendRows(probabilities, 11, embeddings, []);
    expect(copy).toEqual(probabilities);
    expect(copy).not.toBe(probabilities);
  });
});

describe('keepLatestPerLabel', () => {
  it('keeps the latest n of each label in their order, and everything when under the bound', () => {
    const items = ['a1', 'b1', 'a2', 'a3', 'b2', 'a4'];
    expect(keepLatestPerLabel(items, (s) => s[0], 2)).toEqual(['b1', 'a3', 'b2', 'a4']);
    expect(keepLatestPerLabel(items, (s) => s[0], 10)).toEqual(items);
    expect(keepLatestPerLabel([], (s: string) => s, 2)).toEqual([]);
  });

  it('never keeps more than n per label, whatever comes in', () => {
    for (let seed = 1; seed < 50; seed++) {
      const items = Array.from({ length: seed * 3 }, (_, i) => ({ label: (i * seed) % 7, i }));
      const kept = keepLatestPerLabel(items, (x) => x.label, 3);
      const counts = new Map<number, number>();
      for (const k of kept) counts.set(k.label, (counts.get(k.label) ?? 0) + 1);
      for (const n of counts.values()) expect(n).toBeLessThanOrEqual(3);
      expect(kept.map((k) => k.i)).toEqual([...kept.map((k) => k.i)].sort((a, b) => a - b));
    }
  });
});
