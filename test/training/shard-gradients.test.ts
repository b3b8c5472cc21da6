import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDigitModel, MODEL_CLASSES } from '../../src/inference/model';
import { createRandom } from '../../src/training/create-random';
import type { Batch } from '../../src/training/make-batch';
import {
  assignFlatWeights,
  computeShardGradients,
  flattenWeights,
  meanGradients,
  trainableVariables,
} from '../../src/training/shard-gradients';
import { useWasmTrainingBackend } from '../../src/training/use-wasm-training-backend';

/** A batch of random images with smoothed one-hot targets. */
function randomBatch(size: number, seed: number): Batch {
  const random = createRandom(seed);
  const xs = Float32Array.from({ length: size * 784 }, () => (random.next() < 0.2 ? random.next() : 0));
  const ys = new Float32Array(size * MODEL_CLASSES).fill(0.01);
  for (let i = 0; i < size; i++) ys[i * MODEL_CLASSES + random.int(MODEL_CLASSES)] += 0.9;
  return { size, xs, ys };
}

function slice(batch: Batch, start: number, end: number): Batch {
  return { size: end - start, xs: batch.xs.slice(start * 784, end * 784), ys: batch.ys.slice(start * MODEL_CLASSES, end * MODEL_CLASSES) };
}

describe('shard gradients (batches split over threads)', () => {
  beforeAll(async () => {
    await useWasmTrainingBackend();
  });

  it('uneven shards combine into exactly the gradient of the whole batch mean loss', () => {
    // No dropout, so every pass over the same images is the same function.
    const model = createDigitModel({ seed: 3, dropout: 0 });
    const variables = trainableVariables(model);
    const batch = randomBatch(10, 7);
    const before = tf.memory().numTensors;

    const whole = computeShardGradients(model, variables, batch);
    const split = [computeShardGradients(model, variables, slice(batch, 0, 6)), computeShardGradients(model, variables, slice(batch, 6, 10))];
    const combined = meanGradients(variables, split);
    const fromWhole = meanGradients(variables, [whole]);
    expect(tf.memory().numTensors).toBe(before + 2 * variables.length);

    expect(split[0].lossSum + split[1].lossSum).toBeCloseTo(whole.lossSum, 3);
    expect(split[0].correct + split[1].correct).toBe(whole.correct);
    let largest = 0;
    for (let v = 0; v < variables.length; v++) {
      const a = combined[v].tensor.dataSync();
      const b = fromWhole[v].tensor.dataSync();
      expect(combined[v].name).toBe(variables[v].name);
      for (let i = 0; i < a.length; i++) {
        expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-5 + 1e-4 * Math.abs(b[i]));
        largest = Math.max(largest, Math.abs(b[i]));
      }
    }
    // A test that passes on all-zero gradients would prove nothing.
    expect(largest).toBeGreaterThan(1e-3);
    tf.dispose([...combined, ...fromWhole].map((g) => g.tensor));
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('weights flattened on one model and assigned to another make the same predictions', () => {
    const source = createDigitModel({ seed: 1, dropout: 0 });
    const target = createDigitModel({ seed: 2, dropout: 0 });
    const batch = randomBatch(4, 11);
    const predict = (m: typeof source) =>
      tf.tidy(() => (m.predict(tf.tensor4d(batch.xs, [4, 28, 28, 1])) as tf.Tensor).dataSync());
    expect(Array.from(predict(target))).not.toEqual(Array.from(predict(source)));
    assignFlatWeights(trainableVariables(target), flattenWeights(trainableVariables(source)));
    expect(Array.from(predict(target))).toEqual(Array.from(predict(source)));
    source.dispose();
    target.dispose();
  });
});
