import { describe, expect, it } from 'vitest';
import { rasterizeStrokes, traceOf, type Stroke } from '../../src/pipeline/rasterize-strokes';
import { estimateLean, MAX_LEAN, uprightInk } from '../../src/pipeline/upright-ink';
import type { InkImage } from '../../src/pipeline/types';
import { MAX_TRACE_VALUES } from '../../src/pipeline/lattice';
import { betterReading, UPRIGHT_LOOK_BELOW, UPRIGHT_MIN_LEAN, uprightLookFor } from '../../src/inference/upright-look';
import type { ScoredReading } from '../../src/inference/read-number';

/** The runs of columns that hold ink, left to right, as [first, last]. */
function inkRuns(image: InkImage): [number, number][] {
  const runs: [number, number][] = [];
  for (let x = 0; x < image.width; x++) {
    let inked = false;
    for (let y = 0; y < image.height && !inked; y++) inked = image.data[y * image.width + x] >= 128;
    if (!inked) continue;
    if (runs.length > 0 && runs[runs.length - 1][1] === x - 1) runs[runs.length - 1][1] = x;
    else runs.push([x, x]);
  }
  return runs;
}

/** A stroke from (x, bottom) up `height` pixels, leaning right by `lean` × height climbed. */
const leaningBar = (x: number, bottom: number, height: number, lean: number): Stroke =>
  Array.from({ length: 11 }, (_, i) => [x + (lean * height * i) / 10, bottom - (height * i) / 10]);

/** Which columns hold ink, from the first to the last. */
function inkColumns(image: InkImage, fromX = 0, toX = image.width): [number, number] {
  let first = -1;
  let last = -1;
  for (let x = fromX; x < toX; x++) {
    for (let y = 0; y < image.height; y++) {
      if (image.data[y * image.width + x] >= 128) {
        if (first < 0) first = x;
        last = x;
        break;
      }
    }
  }
  return [first, last];
}

describe('estimateLean', () => {
  for (const lean of [-0.2, 0, 0.25, 0.5]) {
    it(`finds strokes leaning ${lean} from their upright segments`, () => {
      const strokes = [leaningBar(100, 200, 100, lean), leaningBar(160, 210, 90, lean)];
      expect(estimateLean(traceOf(strokes, 4))).toBeCloseTo(lean, 5);
    });
  }

  it('lets flat strokes (a bar, a join) not vote', () => {
    const strokes = [leaningBar(100, 200, 100, 0.3), [[60, 150], [200, 140], [300, 150]]];
    expect(estimateLean(traceOf(strokes, 4))).toBeCloseTo(0.3, 5);
  });

  it('is 0 without upright strokes, and bounded for wild ones', () => {
    expect(estimateLean(traceOf([[[0, 0], [50, 5]]], 4))).toBe(0);
    expect(estimateLean(traceOf([], 4))).toBe(0);
    expect(estimateLean(traceOf([[[0, 0], [0.99e3, -1e3]]], 4))).toBeLessThanOrEqual(MAX_LEAN);
  });
});

describe('uprightInk', () => {
  // Two 1s leaning 0.6, so close that their columns overlap as written.
  const strokes = [leaningBar(100, 250, 150, 0.6), leaningBar(150, 250, 150, 0.6)];
  const written = rasterizeStrokes(strokes, 400, 300, 6);

  it('redraws leaning strokes upright, so digits that shared columns no longer do', () => {
    // As written, every column from the first 1's foot to the second's top holds ink.
    expect(inkRuns(written)).toHaveLength(1);
    const upright = uprightInk(written, 0.6)!;
    expect(upright.image.strokes?.starts.length).toBe(2);
    const runs = inkRuns(upright.image);
    expect(runs).toHaveLength(2);
    // Each 1 is now about a pen's width wide, 50 px apart as their feet were.
    for (const [from, to] of runs) expect(to - from).toBeLessThanOrEqual(8);
    expect(runs[1][0] - runs[0][0]).toBeCloseTo(50, -1);
  });

  it('maps a box in the upright ink back over the ink it came from', () => {
    const upright = uprightInk(written, 0.6)!;
    const [x0, x1] = inkColumns(upright.image, 0, upright.image.width);
    const back = upright.toOriginal({ x: x0, y: 95, width: 10, height: 160 });
    // The left 1 as written spans x 100–190 (plus the pen).
    expect(back.x).toBeLessThanOrEqual(98);
    expect(back.x + back.width).toBeGreaterThanOrEqual(192);
    expect(back.y).toBe(95);
    expect(back.height).toBe(160);
  });

  it('keeps the ink on a canvas wide enough, and needs strokes', () => {
    const edge = rasterizeStrokes([leaningBar(4, 290, 280, 1)], 300, 300, 6);
    const upright = uprightInk(edge, 1)!;
    const [first, last] = inkColumns(upright.image);
    expect(first).toBeGreaterThan(0);
    expect(last).toBeLessThan(upright.image.width - 1);
    expect(uprightInk({ width: 10, height: 10, data: new Uint8Array(100) }, 0.5)).toBeUndefined();
  });
});

describe('uprightLookFor and betterReading', () => {
  const leaning = rasterizeStrokes([leaningBar(100, 250, 150, 0.4)], 400, 300, 6);
  const upright = rasterizeStrokes([leaningBar(100, 250, 150, UPRIGHT_MIN_LEAN / 2)], 400, 300, 6);

  it('looks again only at leaning ink whose first reading left doubt, per piece read', () => {
    const read = (pieces: number, score: number): ScoredReading => ({ reading: { text: '', truncated: false, digits: Array.from({ length: pieces }, () => ({}) as never) }, score });
    expect(uprightLookFor(leaning, read(1, UPRIGHT_LOOK_BELOW - 0.1))?.lean).toBeCloseTo(0.4, 5);
    expect(uprightLookFor(leaning, read(1, UPRIGHT_LOOK_BELOW + 0.1))).toBeUndefined();
    // Six sure digits score lower in sum than one, but no lower per digit.
    expect(uprightLookFor(leaning, read(6, 6 * (UPRIGHT_LOOK_BELOW + 0.1)))).toBeUndefined();
    expect(uprightLookFor(leaning, read(6, 6 * (UPRIGHT_LOOK_BELOW - 0.1)))).toBeDefined();
    expect(uprightLookFor(upright, read(1, -100))).toBeUndefined();
    expect(uprightLookFor({ ...leaning, strokes: undefined }, read(1, -100))).toBeUndefined();
    // A trace too long for the lattice to read its strokes is not redrawn.
    const long = Array.from({ length: MAX_TRACE_VALUES / 2 / 11 + 1 }, (_, i) => leaningBar(i % 300, 250, 150, 0.4));
    expect(uprightLookFor({ ...leaning, strokes: traceOf(long, 6) }, read(1, -100))).toBeUndefined();
    expect(uprightLookFor({ ...leaning, strokes: traceOf(long.slice(0, 100), 6) }, read(1, -100))).toBeDefined();
  });

  it('keeps the better-scoring reading, with the upright one boxed on the ink as written', () => {
    const ink = uprightLookFor(leaning, { reading: { text: '', truncated: false, digits: [] }, score: -5 })!;
    const reading = (text: string, score: number): ScoredReading => ({
      reading: { text, truncated: false, digits: [{ digit: 1, confidence: 0.9, runnerUp: 7, runnerUpConfidence: 0.05, box: { x: 100, y: 95, width: 10, height: 160 }, crop: new Float32Array(784) } as never] },
      score,
    });
    expect(betterReading(reading('7', -3), reading('1', -4), ink).text).toBe('7');
    const chosen = betterReading(reading('7', -3), reading('1', -0.5), ink);
    expect(chosen.text).toBe('1');
    expect(chosen.digits[0].box).toEqual(ink.toOriginal({ x: 100, y: 95, width: 10, height: 160 }));
  });
});
