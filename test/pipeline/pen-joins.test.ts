import { beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP_PAD, NUMBER_KINDS, pickNumber, writeNumber } from '../../scripts/lib/number-cases';
import { numberCrops } from '../../scripts/lib/number-crops';
import { indexByWriter, loadPendigits } from '../../scripts/lib/pendigits';
import type { Stroke } from '../../src/pipeline/rasterize-strokes';
import { findAtoms } from '../../src/pipeline/lattice';
import type { CV } from '../../src/pipeline/opencv-types';
import { cutTraceAtJoins, densify, findJoins, JoinPart, joinStretches } from '../../src/pipeline/pen-joins';
import { createRandom } from '../../src/training/create-random';
import { loadOpenCv } from '../support/opencv';
import { pad, place, SHAPES } from '../support/fixtures';

let cv: CV;
beforeAll(async () => {
  cv = await loadOpenCv();
});

/** One stroke through the given strokes in order, the pen kept down between them. */
const joined = (...strokes: Stroke[][]): Stroke => strokes.flat().flat();
/** Joins of a stroke, densified as the pipeline does (a point every 4% of the digit height). */
const joinsOf = (stroke: Stroke, height = 100) => {
  const { xs, ys } = densify(stroke.flat(), 0.04 * height);
  return findJoins(xs, ys, height).map((i) => [xs[i], ys[i]]);
};

describe('findJoins', () => {
  it('finds where the pen runs on from a 1 into a 0 and from that 0 into the next', () => {
    // "100" in one stroke: down the 1, up across to the first 0's top, round it, on to the second.
    const stroke = joined(place(SHAPES.one, 0, 0, 100), place(SHAPES.zero, 70, 0, 100), place(SHAPES.zero, 160, 0, 100));
    const joins = joinsOf(stroke);
    expect(joins).toHaveLength(2);
    // Each join lies between the digits: after the 1's foot, and between the two 0s.
    const [first, second] = joins.map((p) => p[0]);
    expect(first).toBeGreaterThan(45);
    expect(first).toBeLessThan(120);
    expect(second).toBeGreaterThan(120);
    expect(second).toBeLessThan(215);
  });

  it('finds the join of a narrow pair: a 1 run on into a 0 close beside it', () => {
    // "10" in one stroke, 0.85 × the height wide: narrower than the italic search needs.
    const stroke = joined(place(SHAPES.one, 0, 0, 100), place(SHAPES.zero, 45, 0, 100));
    const joins = joinsOf(stroke);
    expect(joins).toHaveLength(1);
    expect(joins[0][0]).toBeGreaterThan(48);
    expect(joins[0][0]).toBeLessThan(96);
  });

  it('never cuts one digit, however it is written', () => {
    // Stretched wider than any digit is written, so the search is not skipped for narrowness.
    for (const shape of [SHAPES.zero, SHAPES.two, SHAPES.three]) {
      const stroke = shape[0].map(([u, v]): [number, number] => [u * 140, v * 100]);
      expect(joinsOf(stroke)).toEqual([]);
    }
    // A 7 this wide would lose its bar's left end to the italic search: 1.1 × its height is still whole.
    expect(joinsOf(SHAPES.seven[0].map(([u, v]): [number, number] => [u * 110, v * 100]))).toEqual([]);
  });

  it('never cuts a long flat stroke (a 5-hat, a 7-bar) or a stroke too short to hold two digits', () => {
    expect(findJoins([0, 100, 200], [0, 2, 4], 100)).toEqual([]);
    expect(findJoins([0, 10], [0, 100], 100)).toEqual([]);
    expect(findJoins([], [], 100)).toEqual([]);
  });

  it('finds joins between digits written in italics', () => {
    const lean = (s: Stroke[]) => s.map((stroke) => stroke.map(([x, y]): [number, number] => [x + 0.35 * (100 - y), y]));
    const stroke = joined(lean(place(SHAPES.zero, 0, 0, 100)), lean(place(SHAPES.zero, 75, 0, 100)));
    expect(joinsOf(stroke)).toHaveLength(1);
  });
});

describe('cutTraceAtJoins', () => {
  it('cuts a joined stroke into pieces that share their cut points and remembers whose pieces they are', () => {
    const strokes = [joined(place(SHAPES.one, 0, 0, 100), place(SHAPES.zero, 70, 0, 100)), ...place(SHAPES.one, 200, 0, 100)];
    const image = pad(strokes.map((s) => s.map(([x, y]): [number, number] => [x + 50, y + 50])));
    const { trace, origin } = cutTraceAtJoins(image.strokes!, 100);
    expect(Array.from(origin)).toEqual([0, 0, 1]);
    // The first piece ends where the second begins.
    const end = trace.starts[1] - 1;
    expect([trace.points[2 * end], trace.points[2 * end + 1]]).toEqual([trace.points[2 * trace.starts[1]], trace.points[2 * trace.starts[1] + 1]]);
  });

  it('leaves a trace of separate digits as it is', () => {
    const image = pad([...place(SHAPES.seven, 50, 50, 100), ...place(SHAPES.zero, 170, 50, 100)]);
    const { trace, origin } = cutTraceAtJoins(image.strokes!, 100);
    expect(Array.from(origin)).toEqual([0, 1]);
    expect(trace.starts).toHaveLength(2);
  });
});

describe('joinStretches', () => {
  /** Path length of sub-stroke `part` of a split trace. */
  const pathLength = (trace: { points: Float32Array; starts: Uint32Array }, part: number) => {
    const end = part + 1 < trace.starts.length ? trace.starts[part + 1] : trace.points.length / 2;
    let length = 0;
    for (let i = trace.starts[part] + 1; i < end; i++) length += Math.hypot(trace.points[2 * i] - trace.points[2 * i - 2], trace.points[2 * i + 1] - trace.points[2 * i - 1]);
    return length;
  };

  it('marks the stretch of path either side of a join, and nothing of a stroke that was not cut', () => {
    // "10" in one stroke, then a separate 1.
    const strokes = [joined(place(SHAPES.one, 50, 50, 100), place(SHAPES.zero, 120, 50, 100)), ...place(SHAPES.one, 250, 50, 100)];
    const cut = cutTraceAtJoins(pad(strokes).strokes!, 100);
    const stretches = joinStretches(cut, 25);
    expect(stretches.cutAtStart).toEqual([false, true, false]);
    expect(stretches.cutAtEnd).toEqual([true, false, false]);
    expect(Array.from(stretches.partStroke)).toEqual([0, 0, 1, 1, 2]);
    expect(Array.from(stretches.partKind)).toEqual([JoinPart.Body, JoinPart.AtEnd, JoinPart.AtStart, JoinPart.Body, JoinPart.Body]);
    // Each stretch is the reach asked for, to within one densified step (4% of the height).
    expect(pathLength(stretches.parts, 1)).toBeGreaterThanOrEqual(25);
    expect(pathLength(stretches.parts, 1)).toBeLessThan(25 + 4.1);
    expect(pathLength(stretches.parts, 2)).toBeGreaterThanOrEqual(25);
    expect(pathLength(stretches.parts, 2)).toBeLessThan(25 + 4.1);
  });

  it('never takes more than a third of a piece for a stretch', () => {
    const cut = cutTraceAtJoins(pad([joined(place(SHAPES.one, 50, 50, 100), place(SHAPES.zero, 120, 50, 100))]).strokes!, 100);
    const stretches = joinStretches(cut, 1000);
    const whole = pathLength(cut.trace, 0);
    expect(pathLength(stretches.parts, 1)).toBeLessThanOrEqual(whole / 3 + 4.1);
    expect(pathLength(stretches.parts, 0)).toBeGreaterThan(whole / 2);
  });
});

describe('atoms of numbers written without lifting the pen', () => {
  it('gives each of three joined 0s its own atom', () => {
    const zero = [...indexByWriter(loadPendigits()).get('train-5')!.values()][0][0];
    const written = writeNumber([zero, zero, zero], 'ligature', DESKTOP_PAD, createRandom(3), { joinAll: true });
    expect(written.image.strokes?.starts).toHaveLength(1);
    const atoms = findAtoms(cv, written.image).atoms;
    expect(new Set(atoms.map((a) => a.label)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(atoms.map((a) => a.origin)).size).toBe(1);
  });
});

describe('numberCrops (training data cut as the lattice cuts numbers)', () => {
  it('finds most digits of written numbers whole, labelled right, and wrong cuts beside them', () => {
    const writers = [...indexByWriter(loadPendigits().filter((d) => d.writer.startsWith('train'))).values()];
    const random = createRandom(5);
    let digits = 0;
    let found = 0;
    let wrong = 0;
    for (let i = 0; i < 10; i++) {
      const written = writeNumber(pickNumber(writers[i], random, 2, 5), NUMBER_KINDS[i % NUMBER_KINDS.length], DESKTOP_PAD, random);
      const crops = numberCrops(cv, written);
      digits += written.labels.length;
      // Every digit taught is one of the number's digits, and each crop is a model input.
      for (const d of crops.digits) {
        expect(written.labels).toContain(d.label);
        expect(d.pixels).toHaveLength(784);
      }
      found += new Set(crops.digits.map((d) => d.label)).size > 0 ? Math.min(written.labels.length, crops.digits.length) : 0;
      wrong += crops.wrong.length;
    }
    expect(found / digits).toBeGreaterThan(0.8);
    expect(wrong).toBeGreaterThan(0);
  });

  it('teaches a digit of a number joined by the pen again without its connector, only when asked', () => {
    const zero = [...indexByWriter(loadPendigits()).get('train-5')!.values()][0][0];
    const written = writeNumber([zero, zero, zero], 'ligature', DESKTOP_PAD, createRandom(3), { joinAll: true });
    const plain = numberCrops(cv, written);
    const withTrimmed = numberCrops(cv, written, { trimmed: true });
    // Every whole digit with a join's connector gains a trimmed twin, labelled as the digit.
    expect(withTrimmed.digits.length).toBeGreaterThan(plain.digits.length);
    expect(withTrimmed.digits.every((d) => d.label === 0)).toBe(true);
    const twin = withTrimmed.digits.find((d) => !plain.digits.some((p) => p.pixels.every((v, i) => v === d.pixels[i])));
    expect(twin).toBeDefined();
  });
});
