import { penWidthFor } from '../../src/canvas/pen-width';
import { unionBox } from '../../src/pipeline/boxes';
import { candidateSpans, cropSpan, findAtoms, type Span } from '../../src/pipeline/lattice';
import type { CV } from '../../src/pipeline/opencv-types';
import type { InkImage } from '../../src/pipeline/types';
import type { Random } from '../../src/training/create-random';
import { strokeBounds, transformStrokes, type PenDigit } from './pendigits';
import { rasterizeStrokes, type Stroke } from '../../src/pipeline/rasterize-strokes';

/**
 * Writers never used for training or tuning: their digits measure how the app reads people it
 * has not seen (every fifth writer, fixed so every run holds out the same people).
 */
export const HELD_OUT_WRITERS: ReadonlySet<string> = new Set(['train-5', 'train-10', 'train-15', 'train-20', 'train-25', 'train-30']);

/** Pad sizes (CSS px) the app shows on common screens: desktop landscape, tablet, phone portrait. */
export const PAD_SIZES = [
  { width: 878, height: 532 },
  { width: 1240, height: 470 },
  { width: 700, height: 640 },
  { width: 374, height: 560 },
] as const;

/** Digit height as a share of the pad height: people write this small or this large. */
export const HEIGHT_RANGE = [0.35, 0.7] as const;

/** One rendering of a digit through the app's pipeline. */
export interface PipelineReading {
  /** The 28×28 crops of the digits the app reads (exactly one when it reads it as one digit). */
  crops: Float32Array[];
}

/**
 * Writes strokes on a pad (by default of a random common size), at a random height (a share of the pad's, in
 * HEIGHT_RANGE) and position, with the app's pen width: the ink image the app would see.
 */
export function renderOnPad(
  strokes: Stroke[],
  random: Random,
  heightRange: readonly [number, number] = HEIGHT_RANGE,
  pad: { width: number; height: number } = PAD_SIZES[random.int(PAD_SIZES.length)],
): InkImage {
  const penWidth = penWidthFor(pad);
  const b = strokeBounds(strokes);
  const height = random.uniform(heightRange[0], heightRange[1]) * pad.height;
  const scale = Math.min(height / Math.max(1e-6, b.maxY - b.minY), (0.9 * pad.width) / Math.max(1e-6, b.maxX - b.minX));
  const inkW = (b.maxX - b.minX) * scale + penWidth;
  const inkH = (b.maxY - b.minY) * scale + penWidth;
  const left = random.uniform(0, Math.max(0, pad.width - inkW)) + penWidth / 2;
  const top = random.uniform(0, Math.max(0, pad.height - inkH)) + penWidth / 2;
  return rasterizeStrokes(transformStrokes(strokes, scale, left - b.minX * scale, top - b.minY * scale), pad.width, pad.height, penWidth);
}

/** All the ink of an image as one candidate digit, cropped as the lattice crops it; undefined for no ink. */
export function wholeInkCrop(cv: CV, image: InkImage): Float32Array | undefined {
  const set = findAtoms(cv, image);
  if (set.atoms.length === 0) return undefined;
  return cropSpan(cv, set, { from: 0, to: set.atoms.length }).pixels;
}

/**
 * The lattice's other candidates for one written character, every blob searched for cuts: the
 * pieces a reader must learn are not digits (a stroke of a 4, a 5 without its hat, half a 0).
 */
export function pieceCrops(cv: CV, image: InkImage): Float32Array[] {
  const set = findAtoms(cv, image, { cutMinWidth: 0 });
  if (set.atoms.length < 2) return [];
  const whole = set.atoms.map((a) => a.box).reduce(unionBox);
  // A piece must lack a real part of the character: without a speck or a tail it is still the digit.
  const lacksAPart = (span: Span): boolean => {
    const box = set.atoms.slice(span.from, span.to).map((a) => a.box).reduce(unionBox);
    return box.width < PIECE_MAX_EXTENT * whole.width || box.height < PIECE_MAX_EXTENT * whole.height;
  };
  return candidateSpans(set.atoms, set.digitHeight)
    .filter((span) => !(span.from === 0 && span.to === set.atoms.length) && lacksAPart(span))
    .map((span) => cropSpan(cv, set, span).pixels);
}

/** A piece spans less than this share of its character's width or height, else it is still the character. */
export const PIECE_MAX_EXTENT = 0.85;

/** Writes the digit on a random pad and reads it as the app does (the lattice's best path). */
export function renderThroughPipeline(cv: CV, digit: PenDigit, random: Random, read: (cv: CV, image: InkImage) => Float32Array[]): PipelineReading {
  return { crops: read(cv, renderOnPad(digit.strokes, random)) };
}

/** Crops of many digits as one flat set, in the MNIST byte layout the training loop reads. */
export interface CropSet {
  count: number;
  /** count × 784 bytes, 255 = ink. */
  images: Uint8Array;
  labels: Uint8Array;
}

/**
 * Gives a digit the ends a ligature leaves when a joined number is cut apart: with probability
 * `chance` each, a lead-in running into its first stroke from the left and a lead-out running on
 * from its last stroke to the right, each 0.1–0.35 of the digit's height long, pen down (part of
 * the stroke they touch). A digit cut out of a joined number still shows these.
 */
export function addPenTails(digit: PenDigit, chance: number, random: Random): PenDigit {
  if (!(chance > 0)) return digit;
  const b = strokeBounds(digit.strokes);
  const h = Math.max(1e-6, b.maxY - b.minY);
  const strokes = digit.strokes.map((s) => s.map((p) => [...p]));
  if (random.next() < chance) {
    const [x, y] = strokes[0][0];
    const length = random.uniform(0.1, 0.35) * h;
    const angle = random.uniform(-0.6, 0.6);
    strokes[0].unshift([x - length * Math.cos(angle), y + length * Math.sin(angle)]);
  }
  if (random.next() < chance) {
    const last = strokes[strokes.length - 1];
    const [x, y] = last[last.length - 1];
    const length = random.uniform(0.1, 0.35) * h;
    const angle = random.uniform(-0.6, 0.6);
    last.push([x + length * Math.cos(angle), y - length * Math.sin(angle)]);
  }
  return { ...digit, strokes };
}

/**
 * Gives a digit a style common in some countries and missing from the training writers, with
 * probability `chance`: a 0 gets a stroke through it, half the time a slash (Ø, from near one
 * corner to past the opposite one) and half the time a level bar across its middle running past
 * both sides (as two of the 22 writers of the held-out `ibm` source bar theirs), and a 1 whose pen starts near its top gets a long flag (the pen coming
 * up from the lower left, 0.25–0.5 of the height long, 20–50° below the horizontal). Other digits,
 * and every digit when `chance` is 0, come back as they are (no random numbers drawn).
 */
export function addWritingStyle(digit: PenDigit, chance: number, random: Random): PenDigit {
  if (!(chance > 0) || (digit.label !== 0 && digit.label !== 1)) return digit;
  if (random.next() >= chance) return digit;
  const b = strokeBounds(digit.strokes);
  const w = Math.max(1e-6, b.maxX - b.minX);
  const h = Math.max(1e-6, b.maxY - b.minY);
  const strokes = digit.strokes.map((s) => s.map((p) => [...p]));
  if (digit.label === 0 && random.next() < 0.5) {
    const y = b.minY + random.uniform(0.4, 0.6) * h;
    const past = () => random.uniform(0.1, 0.5) * w;
    const bar = [[b.minX - past(), y + random.uniform(-0.03, 0.03) * h], [b.maxX + past(), y + random.uniform(-0.03, 0.03) * h]];
    strokes.push(random.next() < 0.8 ? bar : bar.reverse());
    return { ...digit, strokes };
  }
  if (digit.label === 0) {
    const over = () => random.uniform(-0.05, 0.2);
    const from = [b.minX - over() * w, b.maxY + over() * h];
    const to = [b.maxX + over() * w, b.minY - over() * h];
    strokes.push(random.next() < 0.5 ? [from, to] : [to, from]);
    return { ...digit, strokes };
  }
  const [x, y] = strokes[0][0];
  if (y - b.minY > 0.2 * h) return digit;
  const length = random.uniform(0.25, 0.5) * h;
  const angle = random.uniform(0.35, 0.9);
  strokes[0].unshift([x - length * Math.cos(angle), y + length * Math.sin(angle)]);
  return { ...digit, strokes };
}

/**
 * Moves each stroke of a digit written in several strokes by its own random offset, up to
 * `amount` × the digit's height along each axis: a 5's hat, a 4's stem or a 7's bar lands a
 * little elsewhere, as it does between one person's digits and between people. A digit of one
 * stroke comes back as it is, and so do all digits when `amount` is 0 (no random numbers drawn).
 */
export function jitterStrokes(digit: PenDigit, amount: number, random: Random): PenDigit {
  if (!(amount > 0) || digit.strokes.length < 2) return digit;
  const b = strokeBounds(digit.strokes);
  const reach = amount * Math.max(1, b.maxY - b.minY);
  const strokes = digit.strokes.map((stroke) => {
    const dx = random.uniform(-reach, reach);
    const dy = random.uniform(-reach, reach);
    return transformStrokes([stroke], 1, dx, dy)[0];
  });
  return { ...digit, strokes };
}
