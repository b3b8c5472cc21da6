import type { InkImage } from '../../src/pipeline/types';
import {
  DEFAULT_LAYOUT_RANGES,
  type LayoutRanges,
  type PenDigit,
  placeDigit,
  placeNumber,
  randomLayout,
  seededRandom,
} from './pendigits';
import { rasterizeStrokes, type Stroke } from '../../src/pipeline/rasterize-strokes';

/** Pads people draw on: phone portrait and landscape, a small square, a large tablet. */
export const PADS: readonly [number, number][] = [
  [400, 600],
  [600, 400],
  [300, 300],
  [900, 600],
];

/** Pen widths as a fraction of the pad's short side (4–20 px on a 400-px pad). */
export const PEN_FRACTIONS: readonly number[] = [0.01, 0.02, 0.035, 0.05];

/** One generated test image with what was written on it. */
export interface InkCase {
  image: InkImage;
  strokes: Stroke[];
  digits: PenDigit[];
  labels: number[];
  pen: number;
}

/** Reproducible random source for case `index` of a run seeded with `seed`. */
function caseRandom(seed: number, index: number): () => number {
  return seededRandom(seed * 1_000_003 + index);
}

/** A single digit on a random pad with a random pen, filling 30–70% of the pad's height. */
export function singleDigitCase(digit: PenDigit, seed: number, index: number): InkCase {
  const random = caseRandom(seed, index);
  const [width, height] = PADS[Math.floor(random() * PADS.length)];
  const pen = penFor(random, width, height);
  const strokes = placeDigit(digit, width, height, 0.3 + 0.4 * random());
  return { image: rasterizeStrokes(strokes, width, height, pen), strokes, digits: [digit], labels: [digit.label], pen };
}

/**
 * A number of `minDigits`–`maxDigits` digits by one writer (`perLabel`: that writer's digits by
 * label), with uneven spacing, slant and sizes, on a random pad with a random pen.
 */
export function numberCase(
  perLabel: PenDigit[][],
  seed: number,
  index: number,
  minDigits = 2,
  maxDigits = 6,
  ranges: LayoutRanges = DEFAULT_LAYOUT_RANGES,
): InkCase {
  const random = caseRandom(seed, index);
  const count = minDigits + Math.floor(random() * (maxDigits - minDigits + 1));
  const labels = Array.from({ length: count }, () => {
    const available = perLabel.map((d, label) => (d.length > 0 ? label : -1)).filter((l) => l >= 0);
    return available[Math.floor(random() * available.length)];
  });
  const digits = labels.map((label) => perLabel[label][Math.floor(random() * perLabel[label].length)]);
  const [width, height] = PADS[Math.floor(random() * PADS.length)];
  const pen = penFor(random, width, height);
  const placed = placeNumber(digits, randomLayout(random, count, ranges), width, height, pen, 0.25 + 0.35 * random());
  return { image: rasterizeStrokes(placed.strokes, width, height, pen), strokes: placed.strokes, digits, labels, pen };
}

function penFor(random: () => number, width: number, height: number): number {
  return Math.max(2, Math.round(PEN_FRACTIONS[Math.floor(random() * PEN_FRACTIONS.length)] * Math.min(width, height)));
}
