import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../src/training/create-random';
import { useWasmTrainingBackend } from '../../src/training/use-wasm-training-backend';

/** Deterministic values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: n }, () => random.uniform(-1, 1));
}

/** Runs `compute` on a backend and returns its outputs as plain arrays. */
async function on(backend: 'cpu' | 'wasm', compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const outputs = tf.tidy(compute);
  const arrays = outputs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outputs);
  expect(tf.memory().numTensors).toBe(before);
  return arrays;
}

/** Largest difference relative to the largest magnitude (gradients scale with the sizes). */
function relativeError(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(a[i]));
  }
  return diff / scale;
}

async function expectSameOnBothBackends(compute: () => tf.Tensor[]): Promise<void> {
  const expected = await on('cpu', compute);
  const actual = await on('wasm', compute);
  expected.forEach((e, i) => expect(relativeError(e, actual[i])).toBeLessThan(2e-5));
}

beforeAll(async () => {
  await useWasmTrainingBackend();
});

describe('wasm conv gradients match the cpu backend', () => {
  const cases = [
    // [batch, height, width, inChannels, outChannels, kernel, stride, padding]
    [2, 7, 7, 1, 3, 3, 1, 'valid'],
    [2, 8, 9, 3, 4, 3, 2, 'valid'],
    [1, 9, 6, 2, 5, 3, 2, 'valid'],
    [2, 7, 8, 2, 5, 3, 2, 'same'],
    [3, 6, 6, 4, 2, 5, 1, 'same'],
    [1, 10, 11, 2, 3, 4, 2, 'same'],
    [2, 12, 12, 32, 16, 3, 1, 'valid'],
    [2, 10, 10, 16, 32, 3, 2, 'same'],
    // The shapes of the model's two strided layers (fewer channels), and a filter smaller than its stride.
    [2, 26, 26, 8, 8, 3, 2, 'valid'],
    [2, 10, 10, 8, 16, 3, 2, 'valid'],
    [2, 7, 8, 2, 3, 1, 2, 'valid'],
  ] as const;
  for (const [b, h, w, c, f, k, s, pad] of cases) {
    it(`conv ${k}×${k} stride ${s} ${pad}, ${b}×${h}×${w}×${c} → ${f} channels`, async () => {
      const x = values(b * h * w * c, 1);
      const filter = values(k * k * c * f, 2);
      await expectSameOnBothBackends(() => {
        const xt = tf.tensor4d(x, [b, h, w, c]);
        const ft = tf.tensor4d(filter, [k, k, c, f]);
        const loss = (...args: tf.Tensor[]) => {
          const [xi, fi] = args as [tf.Tensor4D, tf.Tensor4D];
          const y = tf.conv2d(xi, fi, s, pad);
          // A non-uniform upstream gradient, so every output position matters differently.
          return tf.sum(tf.mul(tf.square(y), tf.tensor(values(y.size, 3), y.shape)));
        };
        return tf.grads(loss)([xt, ft]);
      });
    });
  }
});

describe('wasm training fast paths match the cpu backend', () => {
  it('matMul gradients (transposed products)', async () => {
    const a = values(6 * 20, 4);
    const w = values(20 * 7, 5);
    await expectSameOnBothBackends(() =>
      tf.grads((x, y) => tf.sum(tf.square(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D))))([tf.tensor2d(a, [6, 20]), tf.tensor2d(w, [20, 7])]),
    );
  });

  it('max-pool 2×2 gradient', async () => {
    const x = values(2 * 8 * 6 * 3, 6);
    await expectSameOnBothBackends(() =>
      tf.grads((xi) => tf.sum(tf.square(tf.maxPool(xi as tf.Tensor4D, 2, 2, 'valid'))))([tf.tensor4d(x, [2, 8, 6, 3])]),
    );
  });

  it('max-pool with other windows still uses the original kernel', async () => {
    const x = values(1 * 7 * 7 * 2, 7);
    await expectSameOnBothBackends(() =>
      tf.grads((xi) => tf.sum(tf.square(tf.maxPool(xi as tf.Tensor4D, 3, 2, 'same'))))([tf.tensor4d(x, [1, 7, 7, 2])]),
    );
  });
});
