import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCrops, SECOND_LOOK_BELOW, SECOND_LOOK_SHIFTS, shiftCrop } from '../../src/inference/read-crops';
import { useWasmTrainingBackend } from '../../src/training/use-wasm-training-backend';

const PIXELS = 28 * 28;

/** A crop with ink of the given strength at the given pixels. */
function cropWithInk(points: [x: number, y: number][], value = 1): Float32Array {
  const crop = new Float32Array(PIXELS);
  for (const [x, y] of points) crop[y * 28 + x] = value;
  return crop;
}

/**
 * A linear softmax model whose reading is easy to steer: ink on pixel (10, 10) votes strongly for
 * 3 (a confident read), ink on (14, 14) votes mildly for 7 and each of its diagonal neighbours for
 * another digit (an unsure read whose shifted views disagree).
 */
function steerableModel(): tfl.LayersModel {
  const model = tfl.sequential({
    layers: [tfl.layers.flatten({ inputShape: [28, 28, 1] }), tfl.layers.dense({ units: 10, activation: 'softmax' })],
  });
  const kernel = new Float32Array(PIXELS * 10);
  const vote = (x: number, y: number, digit: number, weight: number) => (kernel[(y * 28 + x) * 10 + digit] = weight);
  vote(10, 10, 3, 20);
  vote(14, 14, 7, 2);
  vote(13, 13, 1, 3);
  vote(15, 15, 2, 1);
  vote(15, 13, 4, 2.5);
  vote(13, 15, 5, 0.5);
  model.setWeights([tf.tensor2d(kernel, [PIXELS, 10]), tf.zeros([10])]);
  return model;
}

function predictOne(model: tfl.LayersModel, crop: Float32Array): number[] {
  return tf.tidy(() => Array.from((model.predict(tf.tensor4d(crop, [1, 28, 28, 1])) as tf.Tensor).dataSync()));
}

describe('shiftCrop', () => {
  it('moves ink by whole pixels, dropping what leaves the crop and leaving blanks behind', () => {
    const crop = cropWithInk([[0, 0], [5, 7], [27, 27]]);
    const moved = shiftCrop(crop, 1, -1);
    const inked = [...moved.keys()].filter((i) => moved[i] > 0).map((i) => [i % 28, Math.floor(i / 28)]);
    // (0, 0) moves up out of the crop, (27, 27) right out of it.
    expect(inked).toEqual([[6, 6]]);
    expect(shiftCrop(crop, 0, 0)).toEqual(crop);
    expect(shiftCrop(shiftCrop(cropWithInk([[5, 7]]), -1, 1), 1, -1)).toEqual(cropWithInk([[5, 7]]));
  });
});

describe('readCrops', () => {
  let model: tfl.LayersModel;

  beforeAll(async () => {
    await useWasmTrainingBackend();
    model = steerableModel();
  });

  it('reads a confident crop once, as the model alone does', () => {
    const crop = cropWithInk([[10, 10]]);
    const alone = predictOne(model, crop);
    expect(Math.max(...alone)).toBeGreaterThanOrEqual(SECOND_LOOK_BELOW);
    const reading = readCrops(model, crop, 1);
    expect(reading.secondLooks).toBe(0);
    Array.from(reading.probabilities).forEach((p, k) => expect(p).toBeCloseTo(alone[k], 6));
  });

  it('averages an unsure crop over itself and its diagonally shifted views, which can change the answer', () => {
    const crop = cropWithInk([[14, 14]]);
    const alone = predictOne(model, crop);
    expect(Math.max(...alone)).toBeLessThan(SECOND_LOOK_BELOW);
    expect(alone.indexOf(Math.max(...alone))).toBe(7);

    const views = [crop, ...SECOND_LOOK_SHIFTS.map(([dx, dy]) => shiftCrop(crop, dx, dy))].map((view) => predictOne(model, view));
    const expected = alone.map((_, k) => views.reduce((sum, view) => sum + view[k], 0) / views.length);
    const reading = readCrops(model, crop, 1);
    expect(reading.secondLooks).toBe(1);
    Array.from(reading.probabilities).forEach((p, k) => expect(p).toBeCloseTo(expected[k], 6));
    // The shifted views vote 1, 2, 4 and 5; 1 wins the average.
    expect(reading.probabilities.indexOf(Math.max(...reading.probabilities))).toBe(1);
  });

  it('reads a mixed batch bigger than one inner batch, each crop in its place, leaking no tensors', () => {
    const confident = cropWithInk([[10, 10]]);
    const unsure = cropWithInk([[14, 14]]);
    const count = 503;
    const pixels = new Float32Array(count * PIXELS);
    for (let i = 0; i < count; i++) pixels.set(i % 100 === 0 ? unsure : confident, i * PIXELS);
    const single = { confident: readCrops(model, confident, 1).probabilities, unsure: readCrops(model, unsure, 1).probabilities };

    const before = tf.memory().numTensors;
    const reading = readCrops(model, pixels, count);
    expect(tf.memory().numTensors).toBe(before);
    expect(reading.secondLooks).toBe(6);
    for (const i of [0, 1, 100, 499, 500, 502]) {
      const expected = i % 100 === 0 ? single.unsure : single.confident;
      Array.from(reading.probabilities.subarray(i * 10, i * 10 + 10)).forEach((p, k) => expect(p).toBeCloseTo(expected[k], 6));
    }
  });
});
