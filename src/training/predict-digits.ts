import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * Runs the model over `count` 28×28 images stored back to back in `pixels` (floats in [0, 1]) and
 * returns the predicted digit for each. Batches keep memory flat; every batch runs inside tidy.
 */
export function predictDigits(model: tfl.LayersModel, pixels: Float32Array, count: number, batchSize = 500): Uint8Array {
  const predictions = new Uint8Array(count);
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const labels = tf.tidy(() => {
      const x = tf.tensor4d(pixels.subarray(start * 784, (start + n) * 784), [n, 28, 28, 1]);
      return tf.argMax(model.predict(x) as tf.Tensor, 1).dataSync();
    });
    predictions.set(labels, start);
  }
  return predictions;
}

/** Fraction of predictions equal to the labels. */
export function accuracyOf(predictions: Uint8Array, labels: Uint8Array): number {
  let correct = 0;
  for (let i = 0; i < predictions.length; i++) if (predictions[i] === labels[i]) correct++;
  return correct / predictions.length;
}

/** MNIST bytes (255 = ink) to model input floats in [0, 1], unchanged otherwise. */
export function bytesToInput(images: Uint8Array): Float32Array {
  const out = new Float32Array(images.length);
  for (let i = 0; i < images.length; i++) out[i] = images[i] / 255;
  return out;
}
