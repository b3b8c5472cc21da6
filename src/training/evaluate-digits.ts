import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { DIGIT_CLASSES, MODEL_INPUT_SHAPE } from '../inference/model';
import { predictDigits } from './predict-digits';

/** A labelled set of model-ready 28×28 crops. */
export interface DigitSet {
  name: string;
  count: number;
  /** count × 784 floats in [0, 1]. */
  pixels: Float32Array;
  labels: Uint8Array;
}

/** Accuracy and confusion of a model on one set. */
export interface SetReport {
  name: string;
  count: number;
  accuracy: number;
  errors: number;
  /** confusion[truth][predicted]. */
  confusion: number[][];
  /** Accuracy per true digit. */
  perDigit: number[];
}

/** Predicts every crop of the set and tallies accuracy, per-digit accuracy and the confusion matrix. */
export function evaluateDigits(model: tfl.LayersModel, set: DigitSet): SetReport {
  const predictions = predictDigits(model, set.pixels, set.count);
  const confusion = Array.from({ length: DIGIT_CLASSES }, () => new Array<number>(DIGIT_CLASSES).fill(0));
  let correct = 0;
  for (let i = 0; i < set.count; i++) {
    confusion[set.labels[i]][predictions[i]]++;
    if (predictions[i] === set.labels[i]) correct++;
  }
  const perDigit = confusion.map((row, d) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total ? row[d] / total : NaN;
  });
  return { name: set.name, count: set.count, accuracy: correct / set.count, errors: set.count - correct, confusion, perDigit };
}

/**
 * Median milliseconds per digit for predicting a batch of `batchSize` crops, measured the way the
 * app calls the model (tensor in, probabilities read back), after warm-up runs.
 */
export function measureLatency(model: tfl.LayersModel, batchSize: number, runs = 200, warmup = 20): number {
  const input = new Float32Array(batchSize * 784).map((_, i) => (i % 7 === 0 ? 1 : 0));
  const times: number[] = [];
  for (let r = 0; r < warmup + runs; r++) {
    const start = performance.now();
    tf.tidy(() => (model.predict(tf.tensor4d(input, [batchSize, ...MODEL_INPUT_SHAPE])) as tf.Tensor).dataSync());
    if (r >= warmup) times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] / batchSize;
}
