import { MODEL_CLASSES } from '../inference/model';
import { augmentDigit, prepareDigit } from './augment-digit';
import type { Random } from './create-random';
import type { MnistSet } from './load-mnist';

/** One training batch as flat arrays, ready for tensor4d / tensor2d. */
export interface Batch {
  size: number;
  /** size × 784 floats in [0, 1]. */
  xs: Float32Array;
  /** size × 11 (label-smoothed) targets. */
  ys: Float32Array;
}

/**
 * Builds the batch for `indices` of the set: each image augmented (or only normalised when
 * `augment` is false) through the app's normalisation, with targets smoothed so the model is not
 * pushed to certainty on the odd mislabelled MNIST digit. `random` is one source for the whole
 * batch, or a source per image position (so a batch split over threads augments the same way).
 */
export function makeBatch(
  set: MnistSet,
  indices: ArrayLike<number>,
  random: Random | ((position: number) => Random),
  { augment = true, labelSmoothing = 0 } = {},
): Batch {
  const size = indices.length;
  const xs = new Float32Array(size * 784);
  const ys = new Float32Array(size * MODEL_CLASSES).fill(labelSmoothing / MODEL_CLASSES);
  for (let i = 0; i < size; i++) {
    const index = indices[i];
    const pixels = set.images.subarray(index * 784, (index + 1) * 784);
    const source = typeof random === 'function' ? random(i) : random;
    xs.set(augment ? augmentDigit(pixels, source) : prepareDigit(pixels), i * 784);
    ys[i * MODEL_CLASSES + set.labels[index]] += 1 - labelSmoothing;
  }
  return { size, xs, ys };
}
