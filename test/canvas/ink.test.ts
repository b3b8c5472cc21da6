import { describe, expect, it } from 'vitest';
import { Ink } from '../../src/canvas/ink';
import { MAX_POINTS_PER_STROKE, MAX_STROKES } from '../../src/canvas/options';
import type { InkPoint } from '../../src/canvas/types';

const AREA = { width: 300, height: 200 };
const p = (x: number, y: number, t = 0): InkPoint => ({ x, y, t });

/** Named pen-down-to-pen-up inputs, some hostile; every one must leave the ink in a sane state. */
const FIXTURES: Record<string, InkPoint[][]> = {
  'one dot': [[p(10, 10)]],
  'a line': [[p(0, 0), p(50, 50, 16), p(100, 100, 32)]],
  'a four in two strokes': [
    [p(60, 20), p(40, 90, 10), p(110, 90, 20)],
    [p(90, 30, 40), p(90, 160, 50)],
  ],
  'NaN and Infinity everywhere': [
    [p(NaN, 1), p(1, NaN), p(Infinity, 5), p(5, -Infinity), p(5, 5, NaN), p(20, 20), p(30, 30)],
    [p(NaN, NaN)],
  ],
  'wandering off the pad': [[p(-50, -50), p(150, 100), p(1e9, 1e9), p(-1, 199.5), p(300.0001, 200.0001)]],
  'a jittery pen repeating itself': [[p(5, 5), p(5, 5), p(5.1, 5.2), p(5.3, 5.1), p(5.5, 5), p(8, 8), p(8, 8)]],
  'only invalid points': [[p(NaN, 0), p(0, Infinity)]],
};

function draw(ink: Ink, strokes: InkPoint[][]): void {
  for (const [first, ...rest] of strokes) {
    ink.begin(first);
    for (const point of rest) ink.extend(point);
    ink.end();
  }
}

describe('Ink invariants over every fixture', () => {
  for (const [name, strokes] of Object.entries(FIXTURES)) {
    it(name, () => {
      const ink = new Ink(AREA);
      draw(ink, strokes);
      expect(ink.drawing).toBe(false);
      for (const stroke of ink.strokes) {
        expect(stroke.length).toBeGreaterThan(0);
        expect(stroke.length).toBeLessThanOrEqual(MAX_POINTS_PER_STROKE);
        for (const { x, y, t } of stroke) {
          expect(Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(t)).toBe(true);
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(AREA.width);
          expect(y).toBeGreaterThanOrEqual(0);
          expect(y).toBeLessThanOrEqual(AREA.height);
        }
        for (let i = 1; i < stroke.length; i++) {
          expect(Math.hypot(stroke[i].x - stroke[i - 1].x, stroke[i].y - stroke[i - 1].y)).toBeGreaterThanOrEqual(0.5);
        }
      }
      expect(ink.isEmpty()).toBe(ink.strokes.length === 0);
      // Undo all the way back to nothing, one stroke at a time.
      const count = ink.strokes.length;
      for (let i = 0; i < count; i++) expect(ink.undo()).toBe(true);
      expect(ink.undo()).toBe(false);
      expect(ink.isEmpty()).toBe(true);
    });
  }
});

describe('Ink points', () => {
  it('keeps valid points exactly and clamps the rest to the pad', () => {
    const ink = new Ink(AREA);
    draw(ink, FIXTURES['wandering off the pad']);
    expect(ink.strokes).toEqual([[p(0, 0), p(150, 100), p(300, 200), p(0, 199.5), p(300, 200)]]);
  });

  it('drops points with NaN or Infinity in x, y or t', () => {
    const ink = new Ink(AREA);
    draw(ink, FIXTURES['NaN and Infinity everywhere']);
    expect(ink.strokes).toEqual([[p(20, 20), p(30, 30)]]);
  });

  it('drops points closer than half a pixel to the previous one', () => {
    const ink = new Ink(AREA);
    draw(ink, FIXTURES['a jittery pen repeating itself']);
    expect(ink.strokes).toEqual([[p(5, 5), p(5.5, 5) /* exactly 0.5 px away: kept */, p(8, 8)]]);
  });

  it('reports what became of each point', () => {
    const ink = new Ink(AREA);
    expect(ink.extend(p(1, 1))).toBe('skipped'); // no stroke open
    expect(ink.begin(p(1, 1))).toBe('added');
    expect(ink.extend(p(1, 1))).toBe('skipped');
    expect(ink.extend(p(NaN, 1))).toBe('skipped');
    expect(ink.extend(p(9, 9))).toBe('added');
  });

  it('opens a stroke on an invalid first point so the rest of the pen-down lands in it', () => {
    const ink = new Ink(AREA);
    expect(ink.begin(p(NaN, 3))).toBe('skipped');
    expect(ink.drawing).toBe(true);
    expect(ink.extend(p(3, 3))).toBe('added');
    expect(ink.end()).toBe(true);
    expect(ink.strokes).toEqual([[p(3, 3)]]);
  });

  it('discards a stroke that got no valid point', () => {
    const ink = new Ink(AREA);
    draw(ink, FIXTURES['only invalid points']);
    expect(ink.strokes).toEqual([]);
    expect(ink.isEmpty()).toBe(true);
  });

  it('takes no ink while the area has a zero side', () => {
    const ink = new Ink({ width: 0, height: 100 });
    expect(ink.begin(p(0, 0))).toBe('skipped');
    expect(ink.drawing).toBe(false);
  });
});

describe('Ink caps', () => {
  it(`holds a ${MAX_POINTS_PER_STROKE}-point stroke and refuses the points after it`, () => {
    const ink = new Ink({ width: 20_000, height: 100 });
    expect(ink.begin(p(0, 50))).toBe('added');
    const results: string[] = [];
    for (let i = 1; i < MAX_POINTS_PER_STROKE + 500; i++) results.push(ink.extend(p(i, 50, i)));
    expect(ink.end()).toBe(true);
    expect(ink.strokes[0]).toHaveLength(MAX_POINTS_PER_STROKE);
    expect(ink.strokes[0][MAX_POINTS_PER_STROKE - 1]).toEqual(p(MAX_POINTS_PER_STROKE - 1, 50, MAX_POINTS_PER_STROKE - 1));
    expect(results.filter((r) => r === 'added')).toHaveLength(MAX_POINTS_PER_STROKE - 1);
    expect(results.slice(MAX_POINTS_PER_STROKE - 1).every((r) => r === 'limit')).toBe(true);
    // A new stroke starts fresh.
    expect(ink.begin(p(1, 1))).toBe('added');
  });

  it(`holds ${MAX_STROKES} strokes and refuses the next until one is undone`, () => {
    const ink = new Ink(AREA);
    for (let i = 0; i < MAX_STROKES; i++) {
      expect(ink.begin(p(i % 300, 1))).toBe('added');
      expect(ink.end()).toBe(true);
    }
    expect(ink.begin(p(5, 5))).toBe('limit');
    expect(ink.drawing).toBe(false);
    expect(ink.strokes).toHaveLength(MAX_STROKES);
    expect(ink.undo()).toBe(true);
    expect(ink.begin(p(5, 5))).toBe('added');
  });

  it('takes smaller caps for tests and rejects nonsense', () => {
    const ink = new Ink(AREA, { maxPointsPerStroke: 2, maxStrokes: 1 });
    ink.begin(p(0, 0));
    ink.extend(p(1, 1));
    expect(ink.extend(p(2, 2))).toBe('limit');
    ink.end();
    expect(ink.begin(p(9, 9))).toBe('limit');
    expect(() => new Ink(AREA, { maxStrokes: 0 })).toThrow(RangeError);
    expect(() => new Ink({ width: NaN, height: 1 })).toThrow(RangeError);
    expect(() => new Ink({ width: -1, height: 1 })).toThrow(RangeError);
  });
});

describe('Ink undo, clear, cancel', () => {
  it('undo removes the last stroke, then the one before', () => {
    const ink = new Ink(AREA);
    draw(ink, FIXTURES['a four in two strokes']);
    expect(ink.undo()).toBe(true);
    expect(ink.strokes).toEqual([FIXTURES['a four in two strokes'][0]]);
    expect(ink.undo()).toBe(true);
    expect(ink.undo()).toBe(false);
  });

  it('undo while drawing drops the stroke in progress', () => {
    const ink = new Ink(AREA);
    draw(ink, [[p(1, 1)]]);
    ink.begin(p(5, 5));
    ink.extend(p(9, 9));
    expect(ink.undo()).toBe(true);
    expect(ink.drawing).toBe(false);
    expect(ink.strokes).toEqual([[p(1, 1)]]);
    expect(ink.extend(p(20, 20))).toBe('skipped');
    expect(ink.end()).toBe(false);
  });

  it('undo of an empty stroke in progress also removes the previous stroke', () => {
    const ink = new Ink(AREA);
    draw(ink, [[p(1, 1)]]);
    ink.begin(p(NaN, 5));
    expect(ink.undo()).toBe(true);
    expect(ink.strokes).toEqual([]);
  });

  it('clear removes everything, the stroke in progress included, and says whether there was ink', () => {
    const ink = new Ink(AREA);
    expect(ink.clear()).toBe(false);
    draw(ink, FIXTURES['a line']);
    ink.begin(p(3, 3));
    expect(ink.clear()).toBe(true);
    expect(ink.drawing).toBe(false);
    expect(ink.strokes).toEqual([]);
    expect(ink.pointCount()).toBe(0);
  });

  it('cancel drops only the stroke in progress', () => {
    const ink = new Ink(AREA);
    draw(ink, FIXTURES['a line']);
    expect(ink.cancel()).toBe(false);
    ink.begin(p(3, 3));
    ink.extend(p(30, 3));
    expect(ink.cancel()).toBe(true);
    expect(ink.strokes).toEqual(FIXTURES['a line']);
  });

  it('a pen-down whose pen-up was lost keeps the old stroke', () => {
    const ink = new Ink(AREA);
    ink.begin(p(1, 1));
    ink.begin(p(9, 9));
    ink.end();
    expect(ink.strokes).toEqual([[p(1, 1)], [p(9, 9)]]);
  });
});

describe('Ink resize', () => {
  it('leaves ink alone when it still fits', () => {
    const ink = new Ink(AREA);
    draw(ink, [[p(10, 10), p(100, 150)]]);
    expect(ink.resize({ width: 100, height: 150 })).toBe(false);
    expect(ink.strokes).toEqual([[p(10, 10), p(100, 150)]]);
    expect(ink.resize({ width: 600, height: 400 })).toBe(false);
  });

  it('scales ink down uniformly about the top-left corner until it fits', () => {
    const ink = new Ink(AREA);
    draw(ink, [[p(20, 10, 1), p(300, 100, 2)], [p(150, 200, 3)]]);
    expect(ink.resize({ width: 150, height: 400 })).toBe(true);
    expect(ink.strokes).toEqual([[p(10, 5, 1), p(150, 50, 2)], [p(75, 100, 3)]]);
    expect(ink.size).toEqual({ width: 150, height: 400 });
  });

  it('never leaves a point outside the new area', () => {
    const ink = new Ink({ width: 1000, height: 1000 });
    draw(ink, [[p(999.7, 3), p(10, 999.3)]]);
    ink.resize({ width: 333.3, height: 777.7 });
    for (const { x, y } of ink.strokes[0]) {
      expect(x).toBeLessThanOrEqual(333.3);
      expect(y).toBeLessThanOrEqual(777.7);
    }
  });

  it('keeps ink untouched when the pad is hidden (a zero side)', () => {
    const ink = new Ink(AREA);
    draw(ink, FIXTURES['a line']);
    expect(ink.resize({ width: 0, height: 0 })).toBe(false);
    expect(ink.strokes).toEqual(FIXTURES['a line']);
  });
});
