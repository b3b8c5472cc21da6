import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { MODEL_CLASSES, MODEL_INPUT_SHAPE } from '../inference/model';
import type { Batch } from './make-batch';

/** Loss, hits and gradients of the model on one shard of a batch. */
export interface ShardGradients {
  /** Summed (not mean) cross-entropy over the shard's images. */
  lossSum: number;
  correct: number;
  count: number;
  /** Gradient of the summed loss, every trainable variable back to back in `trainableWeights` order. */
  gradients: Float32Array<ArrayBuffer>;
}

/** The model's trainable variables, in a fixed order shared by every thread that builds the same model. */
export function trainableVariables(model: tfl.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((weight) => weight.read() as tf.Variable);
}

/** All trainable weights back to back (to send to another thread). */
export function flattenWeights(variables: tf.Variable[]): Float32Array {
  const total = variables.reduce((sum, v) => sum + v.size, 0);
  const flat = new Float32Array(total);
  let offset = 0;
  for (const v of variables) {
    flat.set(v.dataSync() as Float32Array, offset);
    offset += v.size;
  }
  return flat;
}

/** Overwrites the variables with weights from {@link flattenWeights}. */
export function assignFlatWeights(variables: tf.Variable[], flat: Float32Array): void {
  let offset = 0;
  for (const v of variables) {
    tf.tidy(() => v.assign(tf.tensor(flat.subarray(offset, offset + v.size), v.shape)));
    offset += v.size;
  }
}

/**
 * Forward and backward pass (dropout on) over one shard. The loss is Keras' categorical
 * cross-entropy on the softmax output; summing rather than averaging lets shards of any size be
 * combined exactly into the gradient of the whole batch's mean loss.
 */
export function computeShardGradients(model: tfl.LayersModel, variables: tf.Variable[], batch: Batch): ShardGradients {
  const xs = tf.tensor4d(batch.xs, [batch.size, ...MODEL_INPUT_SHAPE]);
  const ys = tf.tensor2d(batch.ys, [batch.size, MODEL_CLASSES]);
  let hits: tf.Tensor | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const probabilities = model.apply(xs, { training: true }) as tf.Tensor2D;
    hits = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(probabilities, 1), tf.argMax(ys, 1)), 'int32')));
    const clipped = tf.clipByValue(probabilities, 1e-7, 1 - 1e-7);
    return tf.neg(tf.sum(tf.mul(ys, tf.log(clipped))));
  }, variables);
  const gradients = new Float32Array(variables.reduce((sum, v) => sum + v.size, 0));
  let offset = 0;
  for (const v of variables) {
    gradients.set(grads[v.name].dataSync() as Float32Array, offset);
    offset += v.size;
  }
  const result = { lossSum: value.dataSync()[0], correct: hits!.dataSync()[0], count: batch.size, gradients };
  tf.dispose([xs, ys, value, hits!, ...Object.values(grads)]);
  return result;
}

/** The gradient of the mean loss over all shards, as named tensors for `optimizer.applyGradients`. */
export function meanGradients(variables: tf.Variable[], shards: ShardGradients[]): { name: string; tensor: tf.Tensor }[] {
  const count = shards.reduce((sum, s) => sum + s.count, 0);
  const total = new Float32Array(shards[0].gradients.length);
  for (const shard of shards) for (let i = 0; i < total.length; i++) total[i] += shard.gradients[i];
  for (let i = 0; i < total.length; i++) total[i] /= count;
  let offset = 0;
  return variables.map((v) => {
    const tensor = tf.tensor(total.subarray(offset, offset + v.size), v.shape);
    offset += v.size;
    return { name: v.name, tensor };
  });
}
