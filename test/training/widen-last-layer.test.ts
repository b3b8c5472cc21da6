import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDigitModel } from '../../src/inference/model';
import { createRandom } from '../../src/training/create-random';
import { widenHiddenLayers, widenLastLayer } from '../../src/training/train-digit-model';
import { useWasmTrainingBackend } from '../../src/training/use-wasm-training-backend';

describe('widenLastLayer', () => {
  beforeAll(async () => {
    await useWasmTrainingBackend();
  });

  it('copies the last output into the new one and keeps the pair summing to the old probability', () => {
    const hidden = tf.tensor2d([[0.5, -1, 2]]);
    const kernel = tf.tensor2d([[1, 0], [0, 1], [2, -1]]);
    const bias = tf.tensor1d([0.3, -0.2]);
    const before = tf.softmax(tf.add(tf.matMul(hidden, kernel), bias)).dataSync();
    const [k, b] = widenLastLayer([kernel, bias], 3);
    expect(k.shape).toEqual([3, 3]);
    const after = tf.softmax(tf.add(tf.matMul(hidden, k), b)).dataSync();
    expect(after[0]).toBeCloseTo(before[0], 5);
    expect(after[1]).toBeCloseTo(after[2], 5);
    expect(after[1] + after[2]).toBeCloseTo(before[1], 5);
    tf.dispose([hidden, kernel, bias, k, b]);
  });

  it('returns copies when the layer is already that wide, and refuses to narrow it', () => {
    const kernel = tf.ones([4, 2]);
    const bias = tf.zeros([2]);
    const same = widenLastLayer([kernel, bias], 2);
    expect(same[0].shape).toEqual([4, 2]);
    expect(() => widenLastLayer([kernel, bias], 1)).toThrow(/Cannot widen/);
    tf.dispose([kernel, bias, ...same]);
  });
});

describe('widenHiddenLayers', () => {
  it('gives a wider model that reads as the narrower one did, and refuses to narrow', async () => {
    await useWasmTrainingBackend();
    const narrow = createDigitModel({ seed: 11 });
    const wide = createDigitModel({ seed: 12, widths: { conv4: 96, dense: 192 } });
    const weights = widenHiddenLayers(narrow.getWeights(), { conv4: 96, dense: 192 }, createRandom(3));
    wide.setWeights(weights);
    const input = tf.randomUniform([6, 28, 28, 1], 0, 1, 'float32', 5);
    const before = (narrow.predict(input) as tf.Tensor).arraySync() as number[][];
    const after = (wide.predict(input) as tf.Tensor).arraySync() as number[][];
    // The copies' 1% noise moves the softmax a little; an unscaled copy would double its evidence.
    before.forEach((row, i) => row.forEach((p, k) => expect(Math.abs(p - after[i][k])).toBeLessThan(0.01)));
    expect(wide.countParams()).toBeGreaterThan(narrow.countParams());
    expect(() => widenHiddenLayers(wide.getWeights(), { conv4: 64, dense: 128 }, createRandom(3))).toThrow(/Cannot narrow/);
    [narrow, wide, input, ...weights].forEach((x) => x.dispose());
  });
});
