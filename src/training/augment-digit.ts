import { normalizeToMnist } from '../pipeline/normalize';
import type { FloatImage } from '../pipeline/types';
import { changeStrokeWidth } from './change-stroke-width';
import type { Random } from './create-random';
import { composeAffine, IDENTITY, randomElasticField, warpDigit } from './warp-digit';

/** Augmentation is done at this multiple of MNIST resolution, then normalised back down. */
export const AUGMENT_ZOOM = 2;

/** Side of the working canvas: 28 × 2 plus room so rotated, enlarged digits are not clipped. */
export const AUGMENT_CANVAS = 72;

/**
 * Edge contrast after the 2× bilinear upsampling. Measured on 5,000 training digits: with 2 the
 * normalised un-augmented crop is closest to the original MNIST image (L1 0.16 of the ink vs 0.29
 * with plain bilinear, which makes every training crop blurrier than MNIST and the app's crops).
 */
export const UPSAMPLE_CONTRAST = 2;

/**
 * Ranges of the random changes, chosen for digits drawn with a finger or stylus on a screen: tilted
 * and slanted writing, squashed or stretched digits, wobbly strokes, thin and thick pens.
 * Size and position are mostly undone by the normalisation (as in the app), but they still vary
 * the stroke width relative to the digit and the sub-pixel placement.
 */
export const AUGMENT_OPTIONS = {
  /** Probability that an image is augmented at all (the rest are only normalised). */
  probability: 0.9,
  /** ± rotation, degrees. */
  rotationDeg: 12,
  /** ± horizontal shear (x += shear·y), ~±14°, like italic writing. */
  shear: 0.25,
  /** Scale range per axis; the two axes are drawn separately so the aspect ratio changes too. */
  scale: [0.85, 1.15] as const,
  /** ± shift, MNIST pixels. */
  shift: 2,
  /** Probability of an elastic distortion, and its largest offset in MNIST pixels. */
  elasticProbability: 0.5,
  elasticAmplitude: 1.5,
  /** Probabilities of thinner and thicker strokes (one 2×-resolution pixel per side per pass). */
  thinnerProbability: 0.2,
  thickerProbability: 0.3,
} as const;

/** Options for {@link augmentDigit}; defaults to {@link AUGMENT_OPTIONS}. */
export type AugmentOptions = typeof AUGMENT_OPTIONS;

/** 28×28 bytes (255 = ink) to a grey image in [0, 1]. */
export function bytesToImage(pixels: Uint8Array, side = 28): FloatImage {
  const data = new Float32Array(side * side);
  for (let i = 0; i < data.length; i++) data[i] = pixels[i] / 255;
  return { width: side, height: side, data };
}

/**
 * Renders an MNIST digit at 2× without changes and runs the pipeline's normalisation: the
 * un-augmented training crop, made the same way as the app's crops.
 */
export function prepareDigit(pixels: Uint8Array): Float32Array {
  const canvas = warpDigit(bytesToImage(pixels), { size: AUGMENT_CANVAS, zoom: AUGMENT_ZOOM, affine: IDENTITY, contrast: UPSAMPLE_CONTRAST });
  return normalizeToMnist(canvas);
}

/**
 * Randomly rotates, shears, scales, shifts, elastically distorts and thins or thickens one MNIST
 * digit at 2× resolution, then normalises it with the app's `normalizeToMnist`. Returns 784 floats.
 */
export function augmentDigit(pixels: Uint8Array, random: Random, options: AugmentOptions = AUGMENT_OPTIONS): Float32Array {
  if (random.next() >= options.probability) return prepareDigit(pixels);
  const o = options;
  const deg = Math.PI / 180;
  const affine = composeAffine(
    random.uniform(-o.rotationDeg, o.rotationDeg) * deg,
    random.uniform(-o.shear, o.shear),
    random.uniform(o.scale[0], o.scale[1]),
    random.uniform(o.scale[0], o.scale[1]),
    random.uniform(-o.shift, o.shift) * AUGMENT_ZOOM,
    random.uniform(-o.shift, o.shift) * AUGMENT_ZOOM,
  );
  const elastic =
    random.next() < o.elasticProbability
      ? randomElasticField(random, random.uniform(0, o.elasticAmplitude) * AUGMENT_ZOOM)
      : undefined;
  let canvas = warpDigit(bytesToImage(pixels), {
    size: AUGMENT_CANVAS,
    zoom: AUGMENT_ZOOM,
    affine,
    elastic,
    contrast: UPSAMPLE_CONTRAST,
  });

  const stroke = random.next();
  if (stroke < o.thinnerProbability) {
    canvas = changeStrokeWidth(canvas, { mode: 'thinner' });
  } else if (stroke < o.thinnerProbability + o.thickerProbability) {
    // Thicker is the commoner case on screens (fingers); sometimes square, sometimes two passes.
    const r = random.next();
    canvas = changeStrokeWidth(canvas, { mode: 'thicker', footprint: r < 0.5 ? 'cross' : 'square', passes: r > 0.85 ? 2 : 1 });
  }
  return normalizeToMnist(canvas);
}
