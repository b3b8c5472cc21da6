import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { widenLastLayer } from '../../src/training/train-digit-model';
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
