import { describe, expect, it } from 'vitest';
import { midpoint, settledSegmentCount, smoothSegment, smoothSegmentCount, smoothSegments } from '../../src/canvas/smooth';
import type { Point } from '../../src/canvas/smooth';

const pt = (x: number, y: number): Point => ({ x, y });

/** Named strokes; every one goes through the invariant loop below. */
const FIXTURES: Record<string, Point[]> = {
  'two points': [pt(0, 0), pt(10, 0)],
  'three points': [pt(0, 0), pt(10, 0), pt(10, 10)],
  'a zigzag': [pt(0, 0), pt(4, 8), pt(8, 0), pt(12, 8), pt(16, 0), pt(20, 8)],
  'a circle': Array.from({ length: 40 }, (_, i) => pt(50 + 40 * Math.cos(i / 6), 50 + 40 * Math.sin(i / 6))),
  'huge coordinates': [pt(1e6, 1e6), pt(1e6 + 3, 1e6 - 2), pt(1e6 + 9, 1e6 + 1)],
};

describe('smoothSegments invariants over every fixture', () => {
  for (const [name, points] of Object.entries(FIXTURES)) {
    it(name, () => {
      const segments = smoothSegments(points);
      expect(segments).toHaveLength(points.length - 1);
      expect(segments[0].from).toEqual(points[0]);
      expect(segments[segments.length - 1].to).toEqual(points[points.length - 1]);
      for (let i = 0; i < segments.length; i++) {
        const { from, control, to } = segments[i];
        for (const v of [from.x, from.y, control.x, control.y, to.x, to.y]) expect(Number.isFinite(v)).toBe(true);
        if (i > 0) expect(from).toEqual(segments[i - 1].to); // one continuous path
      }
      // Segments that count as settled do not change when the stroke grows: painting them early
      // gives the same picture as painting the finished stroke.
      const grown = [...points, pt(points[points.length - 1].x + 7, points[points.length - 1].y - 3)];
      const settled = settledSegmentCount(points.length);
      for (let i = 0; i < settled; i++) expect(smoothSegment(grown, i)).toEqual(segments[i]);
    });
  }
});

describe('smoothSegment geometry', () => {
  it('is one straight segment for two points', () => {
    expect(smoothSegments(FIXTURES['two points'])).toEqual([{ from: pt(0, 0), control: pt(5, 0), to: pt(10, 0) }]);
  });

  it('curves through the midpoints of neighbouring samples, samples as controls', () => {
    expect(smoothSegments(FIXTURES['three points'])).toEqual([
      { from: pt(0, 0), control: pt(10, 0), to: pt(10, 5) },
      { from: pt(10, 5), control: pt(10, 7.5), to: pt(10, 10) },
    ]);
    expect(smoothSegments([pt(0, 0), pt(2, 2), pt(4, 0), pt(6, 2)])).toEqual([
      { from: pt(0, 0), control: pt(2, 2), to: pt(3, 1) },
      { from: pt(3, 1), control: pt(4, 0), to: pt(5, 1) },
      { from: pt(5, 1), control: pt(5.5, 1.5), to: pt(6, 2) },
    ]);
  });

  it('has nothing to smooth below two points', () => {
    expect(smoothSegments([])).toEqual([]);
    expect(smoothSegments([pt(1, 1)])).toEqual([]);
  });

  it('counts segments and settled segments', () => {
    const table: [number, number, number][] = [
      [0, 0, 0],
      [1, 0, 0],
      [2, 1, 0],
      [3, 2, 1],
      [10, 9, 8],
    ];
    for (const [points, segments, settled] of table) {
      expect(smoothSegmentCount(points)).toBe(segments);
      expect(settledSegmentCount(points)).toBe(settled);
    }
  });

  it('refuses segments that do not exist', () => {
    expect(() => smoothSegment(FIXTURES['three points'], 2)).toThrow(RangeError);
    expect(() => smoothSegment(FIXTURES['three points'], -1)).toThrow(RangeError);
    expect(() => smoothSegment(FIXTURES['three points'], 0.5)).toThrow(RangeError);
  });

  it('midpoint is halfway', () => {
    expect(midpoint(pt(-2, 4), pt(6, 10))).toEqual(pt(2, 7));
  });
});
