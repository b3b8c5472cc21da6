import { penWidthFor } from '../../src/canvas/pen-width';
import type { InkImage } from '../../src/pipeline/types';
import type { Random } from '../../src/training/create-random';
import { placeNumber, strokeBounds, type PenDigit } from './pendigits';
import { rasterizeStrokes, type Stroke } from '../../src/pipeline/rasterize-strokes';

/**
 * How a generated number is written. Spaced and close digits are the easy case; real numbers
 * also touch and overlap, are joined by the pen (a ligature: the pen not lifted between digits),
 * lean, and get late strokes (a 5's hat, a 4's stem or a 7's bar added after the digits that
 * follow it were written).
 */
export const NUMBER_KINDS = ['spaced', 'close', 'touching', 'ligature', 'slanted', 'late'] as const;

/** One of {@link NUMBER_KINDS}. */
export type NumberKind = (typeof NUMBER_KINDS)[number];

/** Pads the app shows: a desktop window and a 390×844 phone in portrait. */
export const DESKTOP_PAD = { width: 878, height: 532 } as const;
export const PHONE_PAD = { width: 374, height: 560 } as const;

/** A number written on a pad: the ink, the strokes (pad px) and the digits' labels. */
export interface NumberCase {
  kind: NumberKind;
  image: InkImage;
  strokes: Stroke[];
  labels: number[];
  /** Each digit's own strokes as placed, before any ligature joined them: which ink is whose. */
  digitStrokes: Stroke[][];
  pad: { width: number; height: number };
}

/** Ink-to-ink gaps (× digit height) between neighbours, per kind. */
const GAPS: Record<NumberKind, readonly [number, number]> = {
  spaced: [0.15, 0.5],
  close: [0.02, 0.12],
  touching: [-0.08, 0],
  ligature: [0.08, 0.3],
  slanted: [0.05, 0.35],
  late: [0.05, 0.3],
};

/** UNIPEN digits are in millimetres, pendigits in tablet units: one height so a writer's digits match. */
export function toHeight(digit: PenDigit, height = 100): PenDigit {
  const b = strokeBounds(digit.strokes);
  const scale = height / Math.max(1e-6, b.maxY - b.minY);
  return { ...digit, strokes: digit.strokes.map((s) => s.map(([x, y]) => [x * scale, y * scale])) };
}

/** Leans a digit: x moves right by `shear` × height above the bottom (italic writing). */
function lean(digit: PenDigit, shear: number): PenDigit {
  const b = strokeBounds(digit.strokes);
  return { ...digit, strokes: digit.strokes.map((s) => s.map(([x, y]) => [x + shear * (b.maxY - y), y])) };
}

/**
 * Writes `digits` (one writer's) as a number of the given kind on `pad` with the app's pen:
 * laid out left to right with that kind's gaps, a slanted baseline and uneven sizes; for a
 * ligature, a digit's last stroke runs on, pen down, into the next digit's first stroke where they
 * are close (or everywhere, with `joinAll`).
 */
export function writeNumber(
  digits: readonly PenDigit[],
  kind: NumberKind,
  pad: { width: number; height: number },
  random: Random,
  { joinAll = false } = {},
): NumberCase {
  const shear = kind === 'slanted' ? random.uniform(0.15, 0.4) : random.uniform(-0.05, 0.1);
  const prepared = digits.map((d) => lean(toHeight(d), shear));
  const [lo, hi] = GAPS[kind];
  const count = prepared.length;
  const penWidth = penWidthFor(pad);
  const maxSlope = kind === 'slanted' ? 0.15 : 0.06;
  const placed = placeNumber(
    prepared,
    {
      gaps: Array.from({ length: count - 1 }, () => random.uniform(lo, hi)),
      slope: random.uniform(-maxSlope, maxSlope),
      sizes: Array.from({ length: count }, () => random.uniform(0.85, 1.15)),
      shifts: Array.from({ length: count }, () => random.uniform(-0.06, 0.06)),
    },
    pad.width,
    pad.height,
    penWidth,
    random.uniform(0.3, 0.55),
  );
  let strokes = placed.strokes;
  // placeNumber keeps each digit's strokes together and in order.
  const perDigit: Stroke[][] = [];
  let at = 0;
  for (const d of prepared) {
    perDigit.push(strokes.slice(at, at + d.strokes.length));
    at += d.strokes.length;
  }
  if (kind === 'ligature') {
    // A hand keeps the pen down where one digit ends near where the next begins (0→0, 5's hat→0,
    // 1→anything from its foot...): join those; a number of this kind joins at least its closest pair
    // (even where that runs back across a digit).
    const height = Math.max(...strokes.flat().map((p) => p[1])) - Math.min(...strokes.flat().map((p) => p[1]));
    const reach = (i: number) => {
      const before = perDigit[i - 1];
      const end = before[before.length - 1].at(-1)!;
      const start = perDigit[i][0][0];
      return Math.hypot(start[0] - end[0], start[1] - end[1]);
    };
    // Nor does a hand run back across its own digit: the pen leaves from the digit's right half
    // and enters the next one in its left half.
    const forward = (i: number) => {
      const before = strokeBounds(perDigit[i - 1]);
      const after = strokeBounds(perDigit[i]);
      const before0 = perDigit[i - 1];
      const end = before0[before0.length - 1].at(-1)!;
      const start = perDigit[i][0][0];
      return end[0] >= (before.minX + before.maxX) / 2 && start[0] <= (after.minX + after.maxX) / 2;
    };
    const pairs = perDigit.map((_, i) => i).slice(1);
    const closest = pairs.reduce((a, b) => (reach(b) < reach(a) ? b : a));
    const joined = new Set(pairs.filter((i) => joinAll || i === closest || (reach(i) <= LIGATURE_MAX_REACH * height && forward(i))));
    // The pen stays down: the last stroke of a digit runs on, through a sagging join as a hand's
    // does, into the first stroke of the next, as one stroke.
    strokes = [];
    perDigit.forEach((own, i) => {
      if (!joined.has(i)) {
        strokes.push(...own);
        return;
      }
      const running = strokes.pop()!;
      const end = running[running.length - 1];
      const start = own[0][0];
      const mid = [(end[0] + start[0]) / 2, Math.max(end[1], start[1]) + 0.05 * Math.abs(start[0] - end[0])];
      strokes.push([...running, mid, ...own[0]], ...own.slice(1));
    });
  }
  if (kind === 'late') {
    // Each digit's first stroke in order, then every digit's other strokes (hats, bars, stems)
    // once the whole number has been written, as a hand goes back to finish the digits.
    strokes = [...perDigit.map((own) => own[0]), ...perDigit.flatMap((own) => own.slice(1))];
  }
  return { kind, image: rasterizeStrokes(strokes, pad.width, pad.height, penWidth), strokes, labels: placed.labels, digitStrokes: perDigit, pad };
}

/** A ligature joins digits whose end and start are at most this × the number's height apart. */
export const LIGATURE_MAX_REACH = 0.8;

/** Picks a number of `minDigits`–`maxDigits` digits from one writer's digits (grouped by label). */
export function pickNumber(perLabel: readonly PenDigit[][], random: Random, minDigits = 2, maxDigits = 10): PenDigit[] {
  const available = perLabel.map((d, label) => (d.length > 0 ? label : -1)).filter((l) => l >= 0);
  const count = minDigits + random.int(maxDigits - minDigits + 1);
  return Array.from({ length: count }, () => {
    const own = perLabel[available[random.int(available.length)]];
    return own[random.int(own.length)];
  });
}
