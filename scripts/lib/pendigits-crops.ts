import { penWidthFor } from '../../src/canvas/pen-width';
import type { CV } from '../../src/pipeline/opencv-types';
import { segmentDigits } from '../../src/pipeline/segment';
import type { Random } from '../../src/training/create-random';
import { strokeBounds, transformStrokes, type PenDigit } from './pendigits';
import { rasterizeStrokes } from './rasterize-strokes';

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
  /** The 28×28 crops the pipeline produced (exactly one when segmentation is right). */
  crops: Float32Array[];
}

/**
 * Writes the digit on a pad of a random common size, at a random height and position, with the
 * app's pen width, and runs the app's segmentation on it: the crops are what the model would see.
 */
export function renderThroughPipeline(cv: CV, digit: PenDigit, random: Random): PipelineReading {
  const pad = PAD_SIZES[random.int(PAD_SIZES.length)];
  const penWidth = penWidthFor(pad);
  const b = strokeBounds(digit.strokes);
  const height = random.uniform(HEIGHT_RANGE[0], HEIGHT_RANGE[1]) * pad.height;
  const scale = Math.min(height / Math.max(1, b.maxY - b.minY), (0.9 * pad.width) / Math.max(1, b.maxX - b.minX));
  const inkW = (b.maxX - b.minX) * scale + penWidth;
  const inkH = (b.maxY - b.minY) * scale + penWidth;
  const left = random.uniform(0, Math.max(0, pad.width - inkW)) + penWidth / 2;
  const top = random.uniform(0, Math.max(0, pad.height - inkH)) + penWidth / 2;
  const strokes = transformStrokes(digit.strokes, scale, left - b.minX * scale, top - b.minY * scale);
  const image = rasterizeStrokes(strokes, pad.width, pad.height, penWidth);
  return { crops: segmentDigits(cv, image).digits.map((d) => d.pixels) };
}

/** Crops of many digits as one flat set, in the MNIST byte layout the training loop reads. */
export interface CropSet {
  count: number;
  /** count × 784 bytes, 255 = ink. */
  images: Uint8Array;
  labels: Uint8Array;
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

/**
 * Renders every digit `variants` times through the pipeline and keeps the renderings that
 * segmented into exactly one digit (the others would teach the model from a wrong crop). With
 * `strokeJitter`, each rendering first moves the digit's strokes apart ({@link jitterStrokes}).
 */
export function makeCropSet(cv: CV, digits: readonly PenDigit[], variants: number, random: Random, strokeJitter = 0): CropSet {
  const images: Uint8Array[] = [];
  const labels: number[] = [];
  for (const digit of digits) {
    for (let v = 0; v < variants; v++) {
      const { crops } = renderThroughPipeline(cv, jitterStrokes(digit, strokeJitter, random), random);
      if (crops.length !== 1) continue;
      images.push(Uint8Array.from(crops[0], (x) => Math.round(x * 255)));
      labels.push(digit.label);
    }
  }
  const flat = new Uint8Array(images.length * 784);
  images.forEach((image, i) => flat.set(image, i * 784));
  return { count: images.length, images: flat, labels: Uint8Array.from(labels) };
}
