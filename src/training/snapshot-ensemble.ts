import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { createDigitEnsemble } from '../inference/model';
import { assignFlatWeights, flattenWeights, trainableVariables } from './shard-gradients';

/**
 * One model averaging the softmax outputs of classifiers given as flat trainable weights (from
 * {@link flattenWeights} on {@link createDigitModel}'s network), e.g. the snapshots of a cyclic run.
 */
export function ensembleFromWeights(memberWeights: readonly Float32Array[]): tfl.LayersModel {
  const { model, memberLayers } = createDigitEnsemble(memberWeights.length);
  memberLayers.forEach((layers, m) => {
    const variables = layers.flatMap((layer) => layer.trainableWeights.map((weight) => weight.read() as tf.Variable));
    const expected = variables.reduce((sum, v) => sum + v.size, 0);
    if (memberWeights[m].length !== expected) {
      throw new Error(`member ${m + 1} has ${memberWeights[m].length} weights; the classifier has ${expected}`);
    }
    assignFlatWeights(variables, memberWeights[m]);
  });
  return model;
}

/** The ensemble of already-built classifiers (e.g. loaded model folders), with their current weights. */
export function ensembleOfModels(members: readonly tfl.LayersModel[]): tfl.LayersModel {
  return ensembleFromWeights(members.map((member) => flattenWeights(trainableVariables(member))));
}
