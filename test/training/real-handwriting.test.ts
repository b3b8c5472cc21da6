import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeNumber } from '../../scripts/lib/number-cases';
import { strokeBounds } from '../../scripts/lib/pendigits';
import { addPenTails, addWritingStyle, pieceCrops, wholeInkCrop } from '../../scripts/lib/pendigits-crops';
import { makeScribble, SCRIBBLE_KINDS } from '../../scripts/lib/scribbles';
import { HELD_OUT_CONTRIBUTOR, loadUnipen, UNIPEN_DIGITS_PATH, UNIPEN_NONDIGITS_PATH, unipenSplit } from '../../scripts/lib/unipen';
import { A_MARK } from '../../src/inference/model';
import type { CV } from '../../src/pipeline/opencv-types';
import { createRandom } from '../../src/training/create-random';
import { pad, place, SHAPES } from '../support/fixtures';
import { loadOpenCv } from '../support/opencv';

let cv: CV;
beforeAll(async () => {
  cv = await loadOpenCv();
});

describe('the repository carries its data', () => {
  it('no code, test or script reads the shared folder beside the repository', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(ts|mjs|js)$/.test(name) && /\.\.\/shared\b|shared\/data/.test(readFileSync(path, 'utf8'))) offenders.push(path);
      }
    };
    for (const dir of ['src', 'scripts', 'test', 'e2e', 'bench', 'build']) walk(dir);
    // This file names the pattern it looks for; nothing else may.
    expect(offenders.filter((p) => !p.endsWith('real-handwriting.test.ts'))).toEqual([]);
  });

  it('loads UNIPEN digits as 0–9 and letters and symbols as "not a digit"', () => {
    const digits = loadUnipen(UNIPEN_DIGITS_PATH);
    const letters = loadUnipen(UNIPEN_NONDIGITS_PATH);
    expect(digits).toHaveLength(11_567);
    expect(letters).toHaveLength(32_401);
    expect(new Set(digits.map((d) => d.label))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(letters.every((d) => d.label === A_MARK && typeof d.char === 'string')).toBe(true);
  });
});

describe('held-out UNIPEN writers', () => {
  it('holds out every writer of one source and about a fifth of the others, the same for digits and letters', () => {
    const samples = [...loadUnipen(UNIPEN_DIGITS_PATH), ...loadUnipen(UNIPEN_NONDIGITS_PATH)];
    const splitOf = new Map<string, string>();
    for (const s of samples) {
      const split = unipenSplit(s);
      // A writer's samples never straddle training and held-out.
      expect(splitOf.get(s.writer) ?? split).toBe(split);
      splitOf.set(s.writer, split);
      if (s.contributor === HELD_OUT_CONTRIBUTOR) expect(split).toBe('held-out-source');
      else expect(split).not.toBe('held-out-source');
    }
    const others = [...splitOf.entries()].filter(([w]) => !w.startsWith(`${HELD_OUT_CONTRIBUTOR}/`));
    const heldOut = others.filter(([, split]) => split === 'held-out-writer').length / others.length;
    expect(heldOut).toBeGreaterThan(0.1);
    expect(heldOut).toBeLessThan(0.3);
  });
});

describe('what "not a digit" is taught from', () => {
  it('pen tails run into the first stroke and on from the last, and chance 0 changes nothing', () => {
    const digit = { id: 'x', label: 7, writer: 'w', strokes: [[[0, 0], [10, 0], [4, 20]], [[2, 10], [8, 10]]] };
    expect(addPenTails(digit, 0, createRandom(1))).toBe(digit);
    const tailed = addPenTails(digit, 1, createRandom(1));
    expect(tailed.strokes).toHaveLength(2);
    expect(tailed.strokes[0]).toHaveLength(4);
    expect(tailed.strokes[0][0][0]).toBeLessThan(0);
    expect(tailed.strokes[1]).toHaveLength(3);
    expect(tailed.strokes[1][2][0]).toBeGreaterThan(8);
    expect(digit.strokes[0]).toHaveLength(3);
  });

  it('styles the training writers lack: a slash or a bar through a 0, a long flag on a 1; others and chance 0 unchanged', () => {
    const zero = { id: 'z', label: 0, writer: 'w', strokes: [[[5, 0], [10, 10], [5, 20], [0, 10], [5, 0]]] };
    const one = { id: 'o', label: 1, writer: 'w', strokes: [[[5, 0], [5, 20]]] };
    const seven = { id: 's', label: 7, writer: 'w', strokes: [[[0, 0], [10, 0], [4, 20]]] };
    expect(addWritingStyle(zero, 0, createRandom(1))).toBe(zero);
    expect(addWritingStyle(seven, 1, createRandom(1))).toBe(seven);
    const styled = Array.from({ length: 40 }, (_, seed) => addWritingStyle(zero, 1, createRandom(seed)));
    for (const z of styled) expect(z.strokes).toHaveLength(2);
    const isBar = (z: (typeof styled)[number]) => Math.abs(z.strokes[1][0][1] - z.strokes[1][1][1]) < 2;
    const bars = styled.filter(isBar);
    // About half of each: 40 draws at even odds give 10–30 bars all but once in 500.
    expect(bars.length).toBeGreaterThan(9);
    expect(bars.length).toBeLessThan(31);
    for (const barred of bars) {
      const [left, right] = [...barred.strokes[1]].sort((p, q) => p[0] - q[0]);
      // Level, through the middle, past both sides of the 0 (0–10 wide).
      expect(left[0]).toBeLessThan(0);
      expect(right[0]).toBeGreaterThan(10);
      expect(left[1]).toBeGreaterThan(7);
      expect(left[1]).toBeLessThan(13);
    }
    const slashed = styled.find((z) => !isBar(z))!;
    const [a, b] = slashed.strokes[1];
    // From the lower left to the upper right (or back), across the whole 0.
    const [low, high] = a[1] > b[1] ? [a, b] : [b, a];
    expect(low[0]).toBeLessThan(1);
    expect(low[1]).toBeGreaterThan(19);
    expect(high[0]).toBeGreaterThan(9);
    expect(high[1]).toBeLessThan(1);
    const flagged = addWritingStyle(one, 1, createRandom(1));
    expect(flagged.strokes[0]).toHaveLength(3);
    const [fx, fy] = flagged.strokes[0][0];
    expect(fx).toBeLessThan(5 - 0.25 * 20 * Math.cos(0.9) + 1e-9);
    expect(fy).toBeGreaterThan(0);
    expect(one.strokes[0]).toHaveLength(2);
  });

  it('pieces of a digit in two strokes lack a real part of it; a one-stroke 1 has none', () => {
    expect(pieceCrops(cv, pad(place(SHAPES.fourOpen, 200, 80, 220))).length).toBeGreaterThan(0);
    expect(pieceCrops(cv, pad(place(SHAPES.one, 200, 80, 220)))).toEqual([]);
    expect(wholeInkCrop(cv, pad([]))).toBeUndefined();
  });

  it('made-up marks are drawn inside their box for every kind', () => {
    const random = createRandom(2);
    for (const kind of SCRIBBLE_KINDS) {
      const b = strokeBounds(makeScribble(kind, random));
      expect([b.minX, b.minY, b.maxX, b.maxY].every(Number.isFinite), kind).toBe(true);
      expect(b.maxY - b.minY, kind).toBeGreaterThan(20);
      expect(b.maxX - b.minX, kind).toBeLessThanOrEqual(200);
    }
  });

  it('a ligature number joins every pair with joinAll, and keeps its digits in order', () => {
    const one = { id: '1', label: 1, writer: 'w', strokes: [[[5, 0], [5, 100]]] };
    const zero = { id: '0', label: 0, writer: 'w', strokes: [[[30, 0], [0, 50], [30, 100], [60, 50], [30, 0]]] };
    const written = writeNumber([one, zero, zero], 'ligature', { width: 878, height: 532 }, createRandom(3), { joinAll: true });
    expect(written.labels).toEqual([1, 0, 0]);
    // The pen never lifts: the three digits are one stroke.
    expect(written.strokes).toHaveLength(1);
    expect(written.strokes[0].length).toBe(2 + 5 + 5 + 2);
  });
});
