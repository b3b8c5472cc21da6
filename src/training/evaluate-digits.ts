import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { rankClasses } from '../inference/classifier';
import { MODEL_CLASSES, MODEL_INPUT_SHAPE, NOT_A_DIGIT } from '../inference/model';
import { readDigits } from '../inference/read-digits';
import { readCrops, type CropsReading } from '../inference/read-crops';
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
  /** confusion[truth][predicted]; index 10 is "not a digit" (a wrong cut or a mark). */
  confusion: number[][];
  /** Accuracy per true digit. */
  perDigit: number[];
  /** Crops that got a second look, when read as the app reads them. */
  secondLooks?: number;
}

/**
 * Predicts every crop of the set and tallies accuracy, per-digit accuracy and the confusion matrix.
 * With `secondLook`, crops are read as the app reads them ({@link readCrops}); else by the model alone.
 */
export function evaluateDigits(model: tfl.LayersModel, set: DigitSet, { secondLook = false } = {}): SetReport {
  if (secondLook) return scoreReading(set, readCrops(model, set.pixels, set.count));
  return tally(set, predictDigits(model, set.pixels, set.count));
}

/** The report for a set already read as the app reads it (its probabilities come from {@link readCrops}). */
export function scoreReading(set: DigitSet, reading: CropsReading): SetReport {
  const shown = readDigits(
    Array.from({ length: set.count }, (_, i) => rankClasses(reading.probabilities.subarray(i * reading.classes, (i + 1) * reading.classes))),
  );
  // What the app shows: the digit, or "?" (counted as not a digit).
  const predictions = Uint8Array.from(shown, (r) => r.digit ?? NOT_A_DIGIT);
  return { ...tally(set, predictions), secondLooks: reading.secondLooks };
}

function tally(set: DigitSet, predictions: Uint8Array): SetReport {
  const confusion = Array.from({ length: MODEL_CLASSES }, () => new Array<number>(MODEL_CLASSES).fill(0));
  let correct = 0;
  for (let i = 0; i < set.count; i++) {
    // A wrong cut and a mark are both "not a digit" to the person: the app shows "?" for either.
    const truth = Math.min(set.labels[i], NOT_A_DIGIT);
    const predicted = Math.min(predictions[i], NOT_A_DIGIT);
    confusion[truth][predicted]++;
    if (predicted === truth) correct++;
  }
  const perDigit = confusion.map((row, d) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total ? row[d] / total : NaN;
  });
  return { name: set.name, count: set.count, accuracy: correct / set.count, errors: set.count - correct, confusion, perDigit };
}

function argmaxRows(probabilities: Float32Array, count: number, classes: number): Uint8Array {
  const digits = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const row = probabilities.subarray(i * classes, (i + 1) * classes);
    digits[i] = row.indexOf(Math.max(...row));
  }
  return digits;
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

/**
 * The app's reading cost, one digit per call as a person writes them: the mean milliseconds per
 * crop of `set` (the first `limit` crops, each read alone with {@link readCrops}, second looks
 * included), and the median for a crop that needs a second look, the slowest case.
 */
export function measureReadingLatency(model: tfl.LayersModel, set: DigitSet, limit = 2000, unsureRuns = 100): { meanMs: number; unsureMedianMs: number } {
  const count = Math.min(limit, set.count);
  const crop = (i: number) => set.pixels.subarray(i * 784, (i + 1) * 784);
  for (let i = 0; i < 20; i++) readCrops(model, crop(i), 1);
  let unsure = -1;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    if (readCrops(model, crop(i), 1).secondLooks > 0 && unsure < 0) unsure = i;
  }
  const meanMs = (performance.now() - start) / count;
  if (unsure < 0) return { meanMs, unsureMedianMs: NaN };
  const times: number[] = [];
  for (let r = 0; r < unsureRuns; r++) {
    const t = performance.now();
    readCrops(model, crop(unsure), 1);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { meanMs, unsureMedianMs: times[Math.floor(times.length / 2)] };
}
