import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { MODEL_INPUT_SHAPE, MODEL_INPUT_SIZE } from './model-shape';

const PIXELS = MODEL_INPUT_SIZE * MODEL_INPUT_SIZE;

/**
 * A crop whose most likely digit has less than even odds gets a second look. Higher thresholds
 * fixed a few more MNIST digits but broke more pen digits the model reads right (README).
 */
export const SECOND_LOOK_BELOW = 0.5;

/**
 * The second look's extra views: the crop moved one pixel along each diagonal. The model
 * downsamples with two stride-2 convolutions, so its reading depends on where the strokes fall on
 * that grid; averaging shifted views evens this out. Of the subsets of one-pixel shifts tried,
 * these made the fewest MNIST errors summed over five training runs (README, "Second look").
 */
export const SECOND_LOOK_SHIFTS: readonly (readonly [dx: number, dy: number])[] = [
  [-1, -1],
  [1, 1],
  [1, -1],
  [-1, 1],
];

/** The model's reading of a batch of crops. */
export interface CropsReading {
  /** count × classes softmax probabilities, one row per crop. */
  probabilities: Float32Array;
  /** Outputs per crop: 11 (the digits, then not-a-digit), or 10 for a digits-only model. */
  classes: number;
  /** How many crops needed a second look. */
  secondLooks: number;
  /** count × size penultimate-layer activations of each crop as read (unshifted), L2-normalised; only with an embedder. */
  embeddings?: Float32Array;
}

/**
 * Reads `count` 28×28 crops stored back to back in `pixels`: one batched call for all, then one
 * more for the crops the model is unsure of, whose probabilities become the mean over the crop and
 * its {@link SECOND_LOOK_SHIFTS} views. Most crops are read once (0.6% of MNIST test digits get a second look).
 */
export function readCrops(model: tfl.LayersModel, pixels: Float32Array, count: number, embedder?: tfl.LayersModel): CropsReading {
  const classes = outputClasses(model);
  const { probabilities, embeddings } = embedder ? predictWithEmbeddings(embedder, pixels, count, classes) : { probabilities: predictProbabilities(model, pixels, count, classes), embeddings: undefined };
  const unsure: number[] = [];
  for (let i = 0; i < count; i++) {
    if (Math.max(...probabilities.subarray(i * classes, (i + 1) * classes)) < SECOND_LOOK_BELOW) unsure.push(i);
  }
  if (unsure.length === 0) return { probabilities, classes, secondLooks: 0, embeddings };

  const views = SECOND_LOOK_SHIFTS.length;
  const shifted = new Float32Array(unsure.length * views * PIXELS);
  unsure.forEach((crop, u) => {
    const image = pixels.subarray(crop * PIXELS, (crop + 1) * PIXELS);
    SECOND_LOOK_SHIFTS.forEach(([dx, dy], v) => shifted.set(shiftCrop(image, dx, dy), (u * views + v) * PIXELS));
  });
  const shiftedProbabilities = predictProbabilities(model, shifted, unsure.length * views, classes);
  unsure.forEach((crop, u) => {
    for (let c = 0; c < classes; c++) {
      let sum = probabilities[crop * classes + c];
      for (let v = 0; v < views; v++) sum += shiftedProbabilities[(u * views + v) * classes + c];
      probabilities[crop * classes + c] = sum / (views + 1);
    }
  });
  return { probabilities, classes, secondLooks: unsure.length, embeddings };
}

/** How many classes the model's softmax has. */
export function outputClasses(model: tfl.LayersModel): number {
  const classes = model.outputs[0]?.shape[1];
  if (typeof classes !== 'number') throw new Error('The model has no class dimension');
  return classes;
}

/** A 28×28 crop moved `dx` pixels right and `dy` down; what moves out is lost, what moves in is blank. */
export function shiftCrop(crop: Float32Array, dx: number, dy: number): Float32Array {
  const size = MODEL_INPUT_SIZE;
  const out = new Float32Array(PIXELS);
  for (let y = Math.max(0, dy); y < Math.min(size, size + dy); y++) {
    out.set(crop.subarray((y - dy) * size + Math.max(0, -dx), (y - dy) * size + Math.min(size, size - dx)), y * size + Math.max(0, dx));
  }
  return out;
}

/** Softmax rows and normalised embeddings for `count` crops from an embedder, batched as predictProbabilities. */
function predictWithEmbeddings(embedder: tfl.LayersModel, pixels: Float32Array, count: number, classes: number, batchSize = 500): { probabilities: Float32Array; embeddings: Float32Array } {
  const size = embedder.outputs[0].shape[1] as number;
  const probabilities = new Float32Array(count * classes);
  const embeddings = new Float32Array(count * size);
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const batch = tf.tidy(() => {
      const input = tf.tensor4d(pixels.subarray(start * PIXELS, (start + n) * PIXELS), [n, ...MODEL_INPUT_SHAPE]);
      const [embedding, softmax] = embedder.predict(input) as tf.Tensor[];
      const norms = tf.maximum(tf.norm(embedding, 'euclidean', 1, true), 1e-12);
      return { embedding: tf.div(embedding, norms).dataSync() as Float32Array, softmax: softmax.dataSync() as Float32Array };
    });
    probabilities.set(batch.softmax, start * classes);
    embeddings.set(batch.embedding, start * size);
  }
  return { probabilities, embeddings };
}

/** Softmax rows for `count` crops, in batches of at most 500 so memory stays flat on big sets. */
function predictProbabilities(model: tfl.LayersModel, pixels: Float32Array, count: number, classes: number, batchSize = 500): Float32Array {
  const probabilities = new Float32Array(count * classes);
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const batch = tf.tidy(() => {
      const input = tf.tensor4d(pixels.subarray(start * PIXELS, (start + n) * PIXELS), [n, ...MODEL_INPUT_SHAPE]);
      return (model.predict(input) as tf.Tensor).dataSync() as Float32Array;
    });
    probabilities.set(batch, start * classes);
  }
  return probabilities;
}
