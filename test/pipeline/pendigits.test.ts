import { describe, expect, it } from 'vitest';
import {
  indexByWriter,
  loadPendigits,
  placeDigit,
  placeNumber,
  randomLayout,
  seededRandom,
  strokeBounds,
} from '../../scripts/lib/pendigits';
import { jitterStrokes } from '../../scripts/lib/pendigits-crops';
import { createRandom } from '../../src/training/create-random';

describe('pendigits data', () => {
  const digits = loadPendigits();

  it('loads every digit of the training split, 30 writers, all ten classes', () => {
    expect(digits.length).toBe(7494);
    expect(new Set(digits.map((d) => d.writer)).size).toBe(30);
    expect(new Set(digits.map((d) => d.label))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
  });

  it('places a digit centred, its height the asked share of the pad', () => {
    const strokes = placeDigit(digits[0], 400, 600, 0.6);
    const b = strokeBounds(strokes);
    expect(b.maxY - b.minY).toBeCloseTo(360, 0);
    expect((b.minX + b.maxX) / 2).toBeCloseTo(200, 0);
    expect((b.minY + b.maxY) / 2).toBeCloseTo(300, 0);
  });

  it('writes a number left to right inside the pad', () => {
    const random = seededRandom(3);
    const perLabel = [...indexByWriter(digits).values()][0];
    const chosen = [1, 4, 7, 2, 9].map((label) => perLabel[label][0]);
    const placed = placeNumber(chosen, randomLayout(random, chosen.length), 600, 400, 8);
    expect(placed.labels).toEqual([1, 4, 7, 2, 9]);
    const all = strokeBounds(placed.strokes);
    expect(all.minX).toBeGreaterThanOrEqual(0);
    expect(all.maxX).toBeLessThanOrEqual(600);
    let at = 0;
    const centres = chosen.map((d) => {
      const b = strokeBounds(placed.strokes.slice(at, (at += d.strokes.length)));
      return (b.minX + b.maxX) / 2;
    });
    expect([...centres].sort((a, b) => a - b)).toEqual(centres);
  });

  it('has a reproducible random source', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(first.every((v) => v >= 0 && v < 1)).toBe(true);
  });
});

describe('jitterStrokes (training renderings of real digits)', () => {
  const digits = loadPendigits();
  const twoStrokes = digits.find((d) => d.label === 5 && d.strokes.length === 2)!;
  const oneStroke = digits.find((d) => d.strokes.length === 1)!;

  it('moves each stroke of a digit in several strokes rigidly, by at most the asked share of its height', () => {
    const height = strokeBounds(twoStrokes.strokes).maxY - strokeBounds(twoStrokes.strokes).minY;
    const moved = jitterStrokes(twoStrokes, 0.06, createRandom(3));
    const offsets = moved.strokes.map((stroke, s) => {
      const [dx, dy] = [stroke[0][0] - twoStrokes.strokes[s][0][0], stroke[0][1] - twoStrokes.strokes[s][0][1]];
      stroke.forEach(([x, y], i) => {
        expect(x - twoStrokes.strokes[s][i][0]).toBeCloseTo(dx, 9);
        expect(y - twoStrokes.strokes[s][i][1]).toBeCloseTo(dy, 9);
      });
      expect(Math.abs(dx)).toBeLessThanOrEqual(0.06 * height);
      expect(Math.abs(dy)).toBeLessThanOrEqual(0.06 * height);
      return [dx, dy];
    });
    // Each stroke gets its own offset, so the strokes move relative to each other.
    expect(offsets[0]).not.toEqual(offsets[1]);
    expect(moved.label).toBe(5);
  });

  it('leaves one-stroke digits, and every digit at amount 0, as written, drawing no random numbers', () => {
    const random = createRandom(3);
    expect(jitterStrokes(oneStroke, 0.06, random)).toBe(oneStroke);
    expect(jitterStrokes(twoStrokes, 0, random)).toBe(twoStrokes);
    expect(random.next()).toBe(createRandom(3).next());
  });
});
