import { beforeAll, describe, expect, it } from 'vitest';
import type { Stroke } from '../../src/pipeline/rasterize-strokes';
import { binarize } from '../../src/pipeline/binarize';
import { estimateDigitHeight } from '../../src/pipeline/estimate-digit-height';
import { findInkBlobs } from '../../src/pipeline/find-ink-blobs';
import { groupStrokes } from '../../src/pipeline/group-strokes';
import type { CV } from '../../src/pipeline/opencv-types';
import { INK_THRESHOLD } from '../../src/pipeline/options';
import { segmentDigits } from '../../src/pipeline/segment';
import { splitTouchingDigits } from '../../src/pipeline/split-touching-digits';
import { pad, place, SHAPES } from '../support/fixtures';
import { loadOpenCv } from '../support/opencv';

let cv: CV;
beforeAll(async () => {
  cv = await loadOpenCv();
});

/** A pointed 0 (a diamond) with a short tail off its right tip: written fast, it runs into the next digit. */
const diamond: Stroke[] = [[[0.5, 0], [0.85, 0.5], [0.5, 1], [0.15, 0.5], [0.5, 0]], [[0.85, 0.5], [1.0, 0.5]]];

/** Groups of the rendered strokes after splitting, left to right. */
function split(strokes: Stroke[], width = 800, height = 400, pen = 8) {
  const image = pad(strokes, width, height, pen);
  const { blobs, labels } = findInkBlobs(cv, binarize(cv, image, INK_THRESHOLD));
  const digitHeight = estimateDigitHeight(blobs);
  const groups = groupStrokes(blobs, labels, digitHeight);
  return { before: groups.length, after: splitTouchingDigits(cv, groups, labels, digitHeight).sort((a, b) => a.box.x - b.box.x) };
}

describe('splitTouchingDigits', () => {
  it('cuts two digits touching tip to tip at the thin bridge', () => {
    // The left tail reaches x = 250, the right diamond's tip: one blob, joined by a one-stroke bridge.
    const { before, after } = split([...place(diamond, 50, 100, 200), ...place(diamond, 220, 100, 200)]);
    expect(before).toBe(1);
    expect(after).toHaveLength(2);
    const [left, right] = after;
    expect(left.box.x + left.box.width).toBeLessThanOrEqual(right.box.x);
    expect(left.box.x + left.box.width).toBeGreaterThan(220);
    expect(right.box.x).toBeLessThan(260);
    expect(left.box.height).toBeGreaterThan(180);
    expect(right.box.height).toBeGreaterThan(180);
  });

  it('cuts three in a row', () => {
    const strokes = [0, 1, 2].flatMap((i) => place(diamond, 40 + i * 170, 100, 200));
    const { before, after } = split(strokes);
    expect(before).toBe(1);
    expect(after).toHaveLength(3);
  });

  it.each([
    ['a wide 0', [[...Array.from({ length: 33 }, (_, i) => [400 + 250 * Math.sin((i / 32) * 2 * Math.PI), 200 - 150 * Math.cos((i / 32) * 2 * Math.PI)])]]],
    ['a 0 open at the top', [[...Array.from({ length: 29 }, (_, i) => [400 + 250 * Math.sin(((i + 2) / 32) * 2 * Math.PI), 200 - 150 * Math.cos(((i + 2) / 32) * 2 * Math.PI)])]]],
    ['a 7 with a long bar', [[[100, 80], [560, 80], [400, 360]]]],
    ['a 5 with a long hat', place(SHAPES.fiveWithHat, 100, 60, 300).map((s, i) => (i === 1 ? [s[0], [s[1][0] + 200, s[1][1]]] : s))],
    ['a 2 with a long base', [[[200, 120], [300, 60], [380, 120], [220, 330], [700, 330]]]],
  ] as [string, Stroke[]][])('leaves %s whole', (_, strokes) => {
    const { before, after } = split(strokes);
    expect(after).toHaveLength(before);
  });

  it('hands segmentDigits separate crops for touching digits', () => {
    const image = pad([...place(diamond, 50, 100, 200), ...place(diamond, 220, 100, 200)], 800, 400, 8);
    const { digits } = segmentDigits(cv, image);
    expect(digits).toHaveLength(2);
    for (const d of digits) expect(d.pixels.some((v) => v > 0.5)).toBe(true);
  });
});
