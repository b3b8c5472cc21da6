import { loadPendigits, placeDigit, placeNumber, type NumberLayout, type PenDigit } from '../../scripts/lib/pendigits';
import { loadUnipen, UNIPEN_NONDIGITS_PATH, type UnipenSample } from '../../scripts/lib/unipen';
import { penWidthFor } from '../../src/canvas/pen-width';
import type { PadStroke } from './replay';

/**
 * One real digit per class (index = label), fixed so runs are reproducible. Chosen by eye among
 * each writer's first samples with the class's usual stroke count, no dots and a typical height
 * (130–200 tablet units): plainly written, unambiguous digits from five writers (1, 5, 7, 9, 16).
 */
export const DIGIT_SAMPLE_IDS: readonly string[] = [
  'pendigits-train-00100', // 0, train-1
  'pendigits-train-00029', // 1, train-1: a plain upright stroke
  'pendigits-train-02281', // 2, train-5
  'pendigits-train-01417', // 3, train-5
  'pendigits-train-00624', // 4, train-5: open top, two strokes
  'pendigits-train-06162', // 5, train-5
  'pendigits-train-00059', // 6, train-7
  'pendigits-train-02243', // 7, train-9: no crossbar
  'pendigits-train-00970', // 8, train-16
  'pendigits-train-00473', // 9, train-9
];

/** A number written by one person (train-24), mixing one- and two-stroke digits. */
export const NUMBER_SAMPLES = {
  text: '30528',
  ids: [
    'pendigits-train-00338', // 3
    'pendigits-train-00134', // 0
    'pendigits-train-00369', // 5, two strokes
    'pendigits-train-00297', // 2
    'pendigits-train-00511', // 8
  ],
} as const;

/** Three digits by one person (train-16) for undo; the middle one has two strokes. */
export const UNDO_SAMPLES = {
  text: '256',
  ids: [
    'pendigits-train-00047', // 2
    'pendigits-train-00055', // 5, two strokes
    'pendigits-train-01632', // 6
  ],
} as const;

/** "100" by one writer (train-1), to be written without lifting the pen between the digits. */
export const JOINED_NUMBER = {
  text: '100',
  ids: ['pendigits-train-00029', 'pendigits-train-00100', 'pendigits-train-00100'],
} as const;

/** A 4 in two strokes, open at the top (train-5): the bar and the stem. */
export const OPEN_FOUR_ID = 'pendigits-train-00624';

/**
 * Letters by writers of the source the model never saw (UNIPEN "ibm"): the first H, M, W and e
 * of that source in the file, not chosen by how they read.
 */
export const LETTER_SAMPLE_IDS: readonly string[] = firstLetters('ibm', ['H', 'M', 'W', 'e']);

let letters: Map<string, UnipenSample> | undefined;

/** A UNIPEN letter or symbol by id. */
export function letterSample(id: string): UnipenSample {
  letters ??= new Map(loadUnipen(UNIPEN_NONDIGITS_PATH).map((d) => [d.id, d]));
  const letter = letters.get(id);
  if (!letter) throw new Error(`no UNIPEN sample ${id}`);
  return letter;
}

function firstLetters(contributor: string, chars: readonly string[]): string[] {
  const all = loadUnipen(UNIPEN_NONDIGITS_PATH);
  return chars.map((char) => {
    const found = all.find((d) => d.contributor === contributor && d.char === char);
    if (!found) throw new Error(`no ${char} from ${contributor}`);
    return found.id;
  });
}

/** Neat writing: even gaps of a third of a digit's height, level baseline, even sizes. */
function neatLayout(count: number): NumberLayout {
  return {
    gaps: Array.from({ length: count - 1 }, () => 0.35),
    slope: 0,
    sizes: Array.from({ length: count }, () => 1),
    shifts: Array.from({ length: count }, () => 0),
  };
}

let byId: Map<string, PenDigit> | undefined;

/** A pendigits sample by id (the data file is read once). */
export function sample(id: string): PenDigit {
  byId ??= new Map(loadPendigits().map((d) => [d.id, d]));
  const digit = byId.get(id);
  if (!digit) throw new Error(`no pendigits sample ${id}`);
  return digit;
}

interface PadSize {
  readonly width: number;
  readonly height: number;
}

/** The sample's strokes scaled to ~60% of the pad's height and centred, in pad CSS px. */
export function placedDigit(id: string, pad: PadSize): PadStroke[] {
  return toPadStrokes(placeDigit(sample(id), pad.width, pad.height));
}

/** The samples written left to right as one number on the pad; the strokes of each digit apart. */
export function placedNumber(ids: readonly string[], pad: PadSize): PadStroke[][] {
  const digits = ids.map(sample);
  const { strokes } = placeNumber(digits, neatLayout(digits.length), pad.width, pad.height, penWidthFor(pad));
  // placeNumber keeps each digit's strokes, in order, one digit after another.
  const perDigit: PadStroke[][] = [];
  let next = 0;
  for (const digit of digits) {
    perDigit.push(toPadStrokes(strokes.slice(next, next + digit.strokes.length)));
    next += digit.strokes.length;
  }
  if (next !== strokes.length) throw new Error('placeNumber returned an unexpected number of strokes');
  return perDigit;
}

function toPadStrokes(strokes: number[][][]): PadStroke[] {
  return strokes.map((stroke) => stroke.map(([x, y]) => [x, y] as const));
}
