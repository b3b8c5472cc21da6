import { beforeAll, describe, expect, it } from 'vitest';
import { placeNumber } from '../../scripts/lib/pendigits';
import { rasterizeStrokes } from '../../src/pipeline/rasterize-strokes';
import { estimateSkew, levelInk } from '../../src/pipeline/deskew';
import type { CV } from '../../src/pipeline/opencv-types';
import type { InkImage } from '../../src/pipeline/types';
import { countMats } from '../../src/worker/count-mats';
import { loadOpenCv } from '../support/opencv';
import { digitsOf } from '../support/photos';

let cv: CV;
beforeAll(async () => {
  cv = await loadOpenCv();
});

const LEVEL = { gaps: [0.3, 0.2, 0.35, 0.25, 0.3], slope: 0, sizes: [1, 1, 1, 1, 1, 1], shifts: [0, 0, 0, 0, 0, 0] };

/** A six-digit number written level, then turned `degrees` counter-clockwise as seen, as binary ink. */
function turnedNumber(degrees: number, writer = 1): InkImage {
  const placed = placeNumber(digitsOf(writer, [3, 8, 0, 5, 1, 7]), LEVEL, 700, 200, 8, 0.5);
  const [cx, cy] = [450, 300];
  const r = (degrees * Math.PI) / 180;
  // Counter-clockwise as seen with y pointing down: x' = x cos + y sin, y' = −x sin + y cos.
  const strokes = placed.strokes.map((s) => s.map(([x, y]) => {
    const [u, v] = [x + 100 - cx, y + 200 - cy];
    return [cx + u * Math.cos(r) + v * Math.sin(r), cy - u * Math.sin(r) + v * Math.cos(r)];
  }));
  const image = rasterizeStrokes(strokes, 900, 600, 8);
  return { width: image.width, height: image.height, data: image.data.map((v) => (v >= 128 ? 255 : 0)) };
}

function inkCount(ink: InkImage): number {
  let n = 0;
  for (const v of ink.data) if (v) n++;
  return n;
}

describe('estimateSkew', () => {
  for (const degrees of [-10, -6, -3, 0, 4, 8, 11]) {
    it(`finds a number turned ${degrees}° within a degree`, () => {
      expect(Math.abs(estimateSkew(turnedNumber(degrees)) - degrees)).toBeLessThanOrEqual(1);
    });
  }

  it('gives 0 for empty ink and stays within its range', () => {
    expect(estimateSkew({ width: 50, height: 40, data: new Uint8Array(2000) })).toBe(0);
    expect(Math.abs(estimateSkew(turnedNumber(11), 5))).toBeLessThanOrEqual(5);
  });
});

describe('levelInk', () => {
  it('turns the writing level, keeps its ink, and maps boxes back onto the original ink', () => {
    const turned = turnedNumber(8, 2);
    const { image, toOriginal } = levelInk(cv, turned, estimateSkew(turned));
    expect(Math.abs(estimateSkew(image))).toBeLessThanOrEqual(0.5);
    expect(inkCount(image) / inkCount(turned)).toBeGreaterThan(0.9);
    expect(inkCount(image) / inkCount(turned)).toBeLessThan(1.1);
    // The whole levelled image maps back over the whole original (clipped to it).
    expect(toOriginal({ x: 0, y: 0, width: image.width, height: image.height })).toEqual({ x: 0, y: 0, width: turned.width, height: turned.height });
    // A box round the levelled ink's centre maps near the original ink's centre.
    const centre = (ink: InkImage) => {
      let [n, sx, sy] = [0, 0, 0];
      for (let p = 0; p < ink.data.length; p++) if (ink.data[p]) [n, sx, sy] = [n + 1, sx + (p % ink.width), sy + Math.floor(p / ink.width)];
      return [sx / n, sy / n];
    };
    const [lx, ly] = centre(image);
    const back = toOriginal({ x: lx - 5, y: ly - 5, width: 10, height: 10 });
    const [ox, oy] = centre(turned);
    expect(Math.abs(back.x + back.width / 2 - ox)).toBeLessThan(4);
    expect(Math.abs(back.y + back.height / 2 - oy)).toBeLessThan(4);
  });

  it('deletes every Mat it creates', () => {
    const counted = countMats(cv);
    levelInk(counted.cv, turnedNumber(5), 5);
    levelInk(counted.cv, { width: 1, height: 1, data: new Uint8Array(1) }, 3);
    expect(counted.counts().created).toBeGreaterThan(0);
    expect(counted.counts().live).toBe(0);
  });
});
