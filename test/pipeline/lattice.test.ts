import { beforeAll, describe, expect, it } from 'vitest';
import { writeNumber } from '../../scripts/lib/number-cases';
import { indexByWriter, loadPendigits } from '../../scripts/lib/pendigits';
import type { Stroke } from '../../src/pipeline/rasterize-strokes';
import { rankClasses } from '../../src/inference/classifier';
import { chooseReading } from '../../src/inference/read-number';
import {
  bestPath,
  buildLattice,
  candidateSpans,
  findAtoms,
  findCutColumns,
  MAX_ATOMS_PER_DIGIT,
  MAX_PIECES_PER_DIGIT,
  MAX_CANDIDATE_WIDTH,
  READING_WEIGHTS,
  pairScore,
  scoredBestPath,
  SKIP_SCORE,
  type Lattice,
  type LatticeAtom,
} from '../../src/pipeline/lattice';
import { MNIST_SIZE } from '../../src/pipeline/options';
import { isReadableTrace, labelStrokes } from '../../src/pipeline/stroke-labels';
import type { CV } from '../../src/pipeline/opencv-types';
import { createRandom } from '../../src/training/create-random';
import { pad, place, SHAPES } from '../support/fixtures';
import { loadOpenCv } from '../support/opencv';

let cv: CV;
beforeAll(async () => {
  cv = await loadOpenCv();
});

const atom = (x: number, width: number, height = 100, label = 1): LatticeAtom => ({ label, box: { x, y: 0, width, height }, area: width * height, origin: label });

/** A made-up lattice over `atoms` atoms with the given candidate spans, boxes digit-shaped. */
function lattice(atoms: number, spans: [number, number][], skippable: boolean[] = []): Lattice {
  return {
    atomCount: atoms,
    digitHeight: 100,
    candidates: spans.map(([from, to]) => ({ from, to, box: { x: from * 60, y: 0, width: 60, height: 100 }, workBox: { x: from * 60, y: 0, width: 60, height: 100 }, pixels: new Float32Array(784) })),
    skippable: Array.from({ length: atoms }, (_, i) => skippable[i] ?? false),
    cutBefore: Array.from({ length: atoms }, () => false),
  };
}

describe('findCutColumns', () => {
  it('cuts where a single stroke joins two loops, not inside them', () => {
    // Two 0s (two crossings per column) joined by a ligature (one crossing), 10-px strokes.
    const columns = Int32Array.from({ length: 200 }, (_, c) => (c >= 90 && c < 110 ? 10 : 20));
    expect(findCutColumns(columns, 100, 10)).toContain(100);
  });

  it('finds nothing in a digit-wide blob that is two strokes thick everywhere', () => {
    const columns = Int32Array.from({ length: 80 }, () => 20);
    expect(findCutColumns(columns, 100, 10)).toEqual([]);
  });

  it('cuts a blob too wide for one digit near each expected boundary, whatever its ink', () => {
    // Two digits crossing: thick everywhere, thinnest at column 70.
    const columns = Int32Array.from({ length: 130 }, (_, c) => 40 + Math.abs(c - 70));
    expect(findCutColumns(columns, 100, 10)).toEqual([70]);
  });

  it('keeps cuts away from the sides and from each other', () => {
    const columns = Int32Array.from({ length: 300 }, (_, c) => (c % 50 === 0 ? 5 : 20));
    const cuts = findCutColumns(columns, 100, 10);
    expect(cuts.length).toBeGreaterThan(0);
    for (const c of cuts) {
      expect(c).toBeGreaterThanOrEqual(15);
      expect(c).toBeLessThan(285);
    }
    for (let i = 1; i < cuts.length; i++) expect(cuts[i] - cuts[i - 1]).toBeGreaterThanOrEqual(15);
  });
});

describe('candidateSpans', () => {
  it('offers every atom alone and runs of neighbours, never wider than a digit may be', () => {
    const atoms = Array.from({ length: 12 }, (_, i) => atom(i * 40, 30));
    const spans = candidateSpans(atoms, 100);
    for (let i = 0; i < atoms.length; i++) expect(spans).toContainEqual({ from: i, to: i + 1 });
    for (const s of spans) {
      expect(s.to - s.from).toBeLessThanOrEqual(MAX_ATOMS_PER_DIGIT);
      const width = atoms[s.to - 1].box.x + atoms[s.to - 1].box.width - atoms[s.from].box.x;
      expect(width).toBeLessThanOrEqual(MAX_CANDIDATE_WIDTH * 100);
    }
    // Bounded: at most MAX_ATOMS_PER_DIGIT candidates start at each atom.
    expect(spans.length).toBeLessThanOrEqual(atoms.length * MAX_ATOMS_PER_DIGIT);
  });

  it('counts the pieces of one cut stroke once: a wide 0 cut in five is still one candidate', () => {
    // Five pieces of one stroke (label 1), 148 px wide in all: a wide 0 cut at its narrow columns.
    const cutZero = Array.from({ length: 5 }, (_, i) => atom(i * 30, 28, 100, 1));
    expect(candidateSpans(cutZero, 100)).toContainEqual({ from: 0, to: 5 });
    // Five strokes as wide together are more than a digit is written in.
    const fiveStrokes = Array.from({ length: 5 }, (_, i) => atom(i * 30, 28, 100, i + 1));
    const spans = candidateSpans(fiveStrokes, 100);
    expect(spans).not.toContainEqual({ from: 0, to: 5 });
    expect(spans).toContainEqual({ from: 0, to: MAX_PIECES_PER_DIGIT });
  });

  it('does not join atoms with a wide gap between them', () => {
    const spans = candidateSpans([atom(0, 50), atom(100, 50)], 100);
    expect(spans).toEqual([
      { from: 0, to: 1 },
      { from: 1, to: 2 },
    ]);
  });
});

const indices = (path: { candidate: number }[]) => path.map((step) => step.candidate);

describe('bestPath', () => {
  it('scores a path by the sum of its log-scores, so readings of one ink compare', () => {
    // Two digit-shaped pieces side by side, each read as a digit: log 0.9 + log 0.5.
    const two = lattice(2, [
      [0, 1],
      [1, 2],
    ]);
    const { path, score } = scoredBestPath(two, [0.9, 0.5], [0.05, 0.3], [0.01, 0.1]);
    expect(path).toEqual([
      { candidate: 0, asDigit: true },
      { candidate: 1, asDigit: true },
    ]);
    expect(score).toBeCloseTo(Math.log(0.9) + Math.log(0.5), 6);
    expect(scoredBestPath(lattice(0, []), [], [], []).score).toBe(0);
  });

  it('reads a mark as one "?" rather than as a digit beside pieces, but never two clear digits as one "?"', () => {
    // An H: three strokes; the middle bar alone is no digit, the sides read as 1s, the whole as a mark.
    const h = lattice(3, [
      [0, 1],
      [1, 2],
      [2, 3],
      [0, 3],
    ]);
    const path = bestPath(h, [0.95, 0.02, 0.95, 0.05], [0.02, 0.95, 0.02, 0.9], [0.01, 0.3, 0.01, 0.85]);
    expect(path).toEqual([{ candidate: 3, asDigit: false }]);
    // Two 0s joined by the pen: apart they read well, together they are not a digit.
    const joined = lattice(2, [
      [0, 1],
      [1, 2],
      [0, 2],
    ]);
    expect(bestPath(joined, [0.9, 0.9, 0.02], [0.05, 0.05, 0.95], [0.01, 0.01, 0.05])).toEqual([
      { candidate: 0, asDigit: true },
      { candidate: 1, asDigit: true },
    ]);
  });

  it('reads a whole letter as one "?" over its pieces as digits only when the model calls it a mark, not a wrong cut', () => {
    // A v in one stroke, cut at its point: each side reads as a 1; the whole is not a digit.
    const v = lattice(2, [
      [0, 1],
      [1, 2],
      [0, 2],
    ]);
    v.cutBefore[1] = true;
    const digit = [0.7, 0.7, 0.05];
    const notDigit = [0.25, 0.25, 0.9];
    expect(bestPath(v, digit, notDigit, [0.01, 0.01, 0.88])).toEqual([{ candidate: 2, asDigit: false }]);
    // The same "not a digit" as a wrong cut (two digits squeezed into one): the pieces win.
    expect(indices(bestPath(v, digit, notDigit, [0.01, 0.01, 0.05]))).toEqual([0, 1]);
    expect(indices(bestPath(v, digit, notDigit))).toEqual([0, 1]);
  });

  it('weighs a mark of several atoms by its own weight when given, and a one-atom crop as before', () => {
    // An n cut at its join: confident 1 and 7; the whole a fairly likely mark.
    const n = lattice(2, [
      [0, 1],
      [1, 2],
      [0, 2],
    ]);
    n.cutBefore[1] = true;
    const digit = [0.9, 0.9, 0.02];
    const notDigit = [0.05, 0.05, 0.95];
    const mark = [0.01, 0.01, 0.6];
    const weights = { wrongCut: 0.05, mark: 0.2 };
    expect(indices(bestPath(n, digit, notDigit, mark, weights))).toEqual([0, 1]);
    expect(bestPath(n, digit, notDigit, mark, { ...weights, markOfSeveralAtoms: 1 })).toEqual([{ candidate: 2, asDigit: false }]);
    // One atom alone: only `mark` counts, so the same weight leaves a lone digit a digit.
    const one = lattice(1, [[0, 1]]);
    expect(bestPath(one, [0.5], [0.45], [0.45], { ...weights, markOfSeveralAtoms: 1 })).toEqual([{ candidate: 0, asDigit: true }]);
  });

  it('joins two pieces when the model reads them as one digit and not apart', () => {
    const l = lattice(2, [
      [0, 1],
      [1, 2],
      [0, 2],
    ]);
    expect(indices(bestPath(l, [0.1, 0.9, 0.95]))).toEqual([2]);
  });

  it('keeps two digits apart when each reads well and together they do not', () => {
    const l = lattice(2, [
      [0, 1],
      [1, 2],
      [0, 2],
    ]);
    expect(indices(bestPath(l, [0.9, 0.9, 0.05]))).toEqual([0, 1]);
  });

  it('covers every atom, leaving out only a skippable dot that reads as nothing', () => {
    const l = lattice(
      3,
      [
        [0, 1],
        [1, 2],
        [2, 3],
      ],
      [false, true, false],
    );
    // The dot reads worse than skipping it costs.
    expect(Math.exp(SKIP_SCORE)).toBeGreaterThan(0.05);
    expect(indices(bestPath(l, [0.9, 0.05, 0.9]))).toEqual([0, 2]);
    // A piece that is not skippable stays on the path even when it reads badly.
    const strict = lattice(3, [
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    expect(indices(bestPath(strict, [0.9, 0.05, 0.9]))).toEqual([0, 1, 2]);
  });

  it('does not read two strokes that cross, like an x, as two digits side by side', () => {
    const x = lattice(2, [
      [0, 1],
      [1, 2],
      [0, 2],
    ]);
    // Both strokes span the same columns.
    for (const c of x.candidates) c.workBox = { x: 0, y: 0, width: 60, height: 100 };
    expect(pairScore(x.candidates[0].workBox, x.candidates[1].workBox)).toBeLessThan(-2);
    expect(bestPath(x, [0.8, 0.8, 0.05], [0.1, 0.1, 0.9], [0.01, 0.01, 0.85])).toEqual([{ candidate: 2, asDigit: false }]);
    // Side by side, the same readings are two digits.
    expect(pairScore({ x: 0, y: 0, width: 60, height: 100 }, { x: 70, y: 0, width: 60, height: 100 })).toBeCloseTo(0, 12);
  });

  it('with a width floor, does not charge a thin 1 touching its neighbour as if the two crossed', () => {
    // A 1 eight pixels wide, its right edge running six pixels into a 0; the floor is 0.3 of a 100-pixel writing.
    const one = { x: 0, y: 0, width: 8, height: 100 };
    const zero = { x: 2, y: 0, width: 60, height: 100 };
    expect(pairScore(one, zero, 0)).toBeLessThan(-1.5);
    expect(pairScore(one, zero, 30)).toBeCloseTo(0, 12);
    // Two strokes crossing over their whole width still cost, floor or not.
    const cross = { x: 0, y: 0, width: 60, height: 100 };
    expect(pairScore(cross, cross, 30)).toBeLessThan(-2);
    // The path follows: the 1 and the 0 read apart beat one poor reading of both.
    const l = lattice(2, [
      [0, 1],
      [1, 2],
      [0, 2],
    ]);
    [one, zero, { x: 0, y: 0, width: 62, height: 100 }].forEach((box, i) => (l.candidates[i].workBox = box));
    l.digitHeight = 100;
    const readings = [0.9, 0.9, 0.2];
    expect(indices(bestPath(l, readings, undefined, undefined, { ...READING_WEIGHTS, pairMinWidth: 0 }))).toEqual([2]);
    expect(indices(bestPath(l, readings, undefined, undefined, { ...READING_WEIGHTS, pairMinWidth: 0.3 }))).toEqual([0, 1]);
  });

  it('trusts a digit read without its connector only as far as the trimmed weight says', () => {
    const l = lattice(1, [
      [0, 1],
      [0, 1],
    ]);
    l.candidates[1].trimmed = true;
    // Whole: surely a wrong cut; trimmed: a clear digit.
    const digit = [0.01, 0.9];
    const notDigit = [0.99, 0.05];
    expect(bestPath(l, digit, notDigit, [0, 0], { wrongCut: 0.05, mark: 0.2, trimmed: 0.5 })).toEqual([{ candidate: 1, asDigit: true }]);
    expect(bestPath(l, digit, notDigit, [0, 0], { wrongCut: 0.05, mark: 0.2, trimmed: 0.01 })).toEqual([{ candidate: 0, asDigit: false }]);
  });

  it('finds the best of many paths (checked against every path of a small lattice)', () => {
    const random = createRandom(5);
    for (let trial = 0; trial < 50; trial++) {
      const n = 2 + random.int(5);
      const spans: [number, number][] = [];
      for (let from = 0; from < n; from++) for (let to = from + 1; to <= Math.min(n, from + 3); to++) spans.push([from, to]);
      const l = lattice(n, spans);
      const p = spans.map(() => 0.01 + 0.98 * random.next());
      const score = (path: number[]) => path.reduce((sum, i) => sum + Math.log(p[i]), 0);
      // Every path by brute force.
      const paths: number[][] = [];
      const walk = (at: number, path: number[]) => {
        if (at === n) paths.push(path);
        spans.forEach(([from, to], i) => from === at && walk(to, [...path, i]));
      };
      walk(0, []);
      const best = Math.max(...paths.map(score));
      expect(score(indices(bestPath(l, p)))).toBeCloseTo(best, 9);
    }
  });
});

describe('buildLattice on ink', () => {
  it('gives an empty lattice for a blank or malformed image', () => {
    expect(buildLattice(cv, pad([])).candidates).toEqual([]);
    expect(buildLattice(cv, { width: 10, height: 10, data: new Uint8Array(3) }).candidates).toEqual([]);
  });

  it('offers an open 4 both as two pieces and as one candidate', () => {
    const l = buildLattice(cv, pad(place(SHAPES.fourOpen, 200, 80, 220)));
    // The L is wide enough to be searched for cuts, so it may be more than one atom.
    expect(l.atomCount).toBeGreaterThanOrEqual(2);
    expect(l.candidates.map((c) => [c.from, c.to])).toContainEqual([0, l.atomCount]);
    for (const c of l.candidates) expect(c.pixels).toHaveLength(MNIST_SIZE * MNIST_SIZE);
  });

  it('cuts digits written without lifting the pen at their ligatures', () => {
    const digits = [...indexByWriter(loadPendigits()).get('train-5')!.values()].map((own) => own[0]);
    const zeros = [digits[0], digits[0], digits[0]];
    const written = writeNumber(zeros, 'ligature', { width: 878, height: 532 }, createRandom(3));
    const set = findAtoms(cv, written.image);
    // The ligature joins the three 0s into one blob; the cuts give at least one atom per digit.
    expect(set.atoms.length).toBeGreaterThanOrEqual(3);
    const l = buildLattice(cv, written.image);
    // Some path through the lattice reads three pieces.
    const threeParts = l.candidates.filter((c) => c.from === 0 || c.to === l.atomCount);
    expect(threeParts.length).toBeGreaterThan(0);
  });

  it('offers each digit of a number written without lifting the pen also without the connector the pen drew to its neighbour', () => {
    const digits = [...indexByWriter(loadPendigits()).get('train-5')!.values()].map((own) => own[0]);
    const written = writeNumber([digits[1], digits[0], digits[0]], 'ligature', { width: 878, height: 532 }, createRandom(3), { joinAll: true });
    expect(written.image.strokes?.starts).toHaveLength(1);
    const l = buildLattice(cv, written.image);
    const trimmed = l.candidates.filter((c) => c.trimmed);
    expect(trimmed.length).toBeGreaterThan(0);
    const inside = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
      a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;
    let smaller = 0;
    for (const t of trimmed) {
      // Each is a second reading of atoms that are a candidate whole, with less ink: inside its box, another crop.
      const whole = l.candidates.find((c) => !c.trimmed && c.from === t.from && c.to === t.to)!;
      expect(whole).toBeDefined();
      expect(inside(t.workBox, whole.workBox)).toBe(true);
      expect(Array.from(t.pixels)).not.toEqual(Array.from(whole.pixels));
      if (t.workBox.width * t.workBox.height < whole.workBox.width * whole.workBox.height) smaller++;
    }
    expect(smaller).toBeGreaterThan(0);
    // The whole number has no connector to a neighbour outside it: it is offered once, untrimmed.
    expect(l.candidates.filter((c) => c.from === 0 && c.to === l.atomCount && c.trimmed)).toHaveLength(0);
  });

  it('offers nothing more for digits written apart', () => {
    const strokes = [...place(SHAPES.zero, 50, 50, 100), ...place(SHAPES.one, 170, 50, 100)];
    const l = buildLattice(cv, pad(strokes));
    const spans = l.candidates.map((c) => `${c.from}-${c.to}`);
    expect(new Set(spans).size).toBe(spans.length);
  });

  it('keeps the candidate count bounded for a long number', () => {
    const shapes: Stroke[][] = Array.from({ length: 10 }, (_, i) => [SHAPES.zero, SHAPES.seven, SHAPES.two][i % 3]);
    const strokes = shapes.flatMap((shape, i) => place(shape, 20 + i * 90, 40, 80));
    const l = buildLattice(cv, pad(strokes, 1000, 200, 6));
    expect(l.atomCount).toBeGreaterThanOrEqual(10);
    expect(l.atomCount).toBeLessThanOrEqual(30);
    expect(l.candidates.length).toBeLessThanOrEqual(l.atomCount * MAX_ATOMS_PER_DIGIT);
  });
});

describe('chooseReading', () => {
  it('shows "?" for a chosen piece the model calls not a digit, and keeps boxes and crops', () => {
    const l = lattice(2, [
      [0, 1],
      [1, 2],
    ]);
    const digitSeven = new Float32Array(11).fill(0.01);
    digitSeven[7] = 0.9;
    const notDigit = new Float32Array(11).fill(0.004);
    notDigit[10] = 0.94;
    notDigit[1] = 0.02;
    const reading = chooseReading(l, [rankClasses(digitSeven), rankClasses(notDigit)]);
    expect(reading.text).toBe('7?');
    expect(reading.digits[0].box).toEqual(l.candidates[0].box);
    expect(reading.digits[1].crop).toBe(l.candidates[1].pixels);
  });

  it('refuses predictions that do not match the candidates', () => {
    expect(() => chooseReading(lattice(1, [[0, 1]]), [])).toThrow(/Expected 1/);
  });
});

describe('atoms from the strokes that drew the ink', () => {
  it('labels each pixel with the stroke whose centre line is nearest', () => {
    const trace = { points: Float32Array.from([0, 5, 20, 5, 10, 0, 10, 10]), starts: Uint32Array.from([0, 2]), penWidth: 2 };
    expect(isReadableTrace(trace)).toBe(true);
    const labels = labelStrokes(trace, 21, 11);
    expect(labels[5 * 21 + 2]).toBe(1); // on the horizontal stroke, far from the vertical one
    expect(labels[1 * 21 + 10]).toBe(2); // on the vertical stroke
    expect(labels[10 * 21 + 0]).toBe(0); // far from both
    expect(isReadableTrace({ ...trace, starts: Uint32Array.from([2, 0]) })).toBe(false);
    expect(isReadableTrace({ ...trace, points: Float32Array.from([0, NaN, 1, 1]) })).toBe(false);
  });

  it('keeps two digits written touching apart when their strokes are known, and joins them when only the ink is', () => {
    // A 7 and a 1 whose strokes touch: one blob of ink, two strokes.
    const strokes = [...place(SHAPES.seven, 100, 60, 200), ...place(SHAPES.one, 180, 60, 200)];
    const image = pad(strokes);
    expect(image.strokes?.starts).toHaveLength(2);
    const written = findAtoms(cv, image);
    const inkOnly = findAtoms(cv, { ...image, strokes: undefined });
    expect(written.atoms.map((a) => a.label).sort()).toEqual([1, 2]);
    expect(new Set(inkOnly.atoms.map((a) => a.label)).size).toBe(1);
  });

  it('cuts a number written without lifting the pen, which is one stroke', () => {
    const digits = [...indexByWriter(loadPendigits()).get('train-5')!.values()].map((own) => own[0]);
    const written = writeNumber([digits[0], digits[0], digits[0]], 'ligature', { width: 878, height: 532 }, createRandom(3), { joinAll: true });
    expect(written.image.strokes?.starts).toHaveLength(1);
    expect(findAtoms(cv, written.image).atoms.length).toBeGreaterThanOrEqual(3);
  });
});
