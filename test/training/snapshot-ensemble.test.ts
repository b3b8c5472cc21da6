import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder } from '../../src/inference/classifier';
import { createDigitModel } from '../../src/inference/model';
import { loadModelFromFolder, loadModelOrAverage, readModelFolder, saveToFolder } from '../../src/training/model-files';
import { flattenWeights, trainableVariables } from '../../src/training/shard-gradients';
import { ensembleFromWeights, ensembleOfModels } from '../../src/training/snapshot-ensemble';
import { useWasmTrainingBackend } from '../../src/training/use-wasm-training-backend';

describe('snapshot ensemble', () => {
  let dir: string;

  beforeAll(async () => {
    await useWasmTrainingBackend();
    dir = await mkdtemp(join(tmpdir(), 'digitpad-ensemble-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const predict = (model: { predict: (x: tf.Tensor) => tf.Tensor | tf.Tensor[] }, input: tf.Tensor) =>
    tf.tidy(() => (model.predict(input) as tf.Tensor).arraySync() as number[][]);

  it("averages its members' softmax outputs, and survives a save and load under distinct weight names", async () => {
    const members = [createDigitModel({ seed: 3 }), createDigitModel({ seed: 4 })];
    const input = tf.randomUniform([5, 28, 28, 1], 0, 1, 'float32', 7);
    const [a, b] = members.map((member) => predict(member, input));
    // Different seeds, different members: otherwise the average below would prove nothing.
    expect(a[0][0]).not.toBeCloseTo(b[0][0], 4);

    const ensemble = ensembleOfModels(members);
    const out = predict(ensemble, input);
    out.forEach((row, i) => row.forEach((p, k) => expect(p).toBeCloseTo((a[i][k] + b[i][k]) / 2, 6)));

    await ensemble.save(saveToFolder(join(dir, 'model')));
    const names = (await readModelFolder(join(dir, 'model'))).weightSpecs!.map((spec) => spec.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((name) => name.startsWith('member1_'))).toHaveLength(12);
    expect(names.filter((name) => name.startsWith('member2_'))).toHaveLength(12);

    const loaded = await loadModelFromFolder(join(dir, 'model'));
    const reloaded = predict(loaded, input);
    reloaded.forEach((row, i) => row.forEach((p, k) => expect(p).toBeCloseTo(out[i][k], 6)));
    [...members, ensemble, loaded, input].forEach((x) => x.dispose());
  });

  it('loads folders joined by commas as the average of their models', async () => {
    const members = [createDigitModel({ seed: 5 }), createDigitModel({ seed: 6 })];
    await members[0].save(saveToFolder(join(dir, 'five')));
    await members[1].save(saveToFolder(join(dir, 'six')));
    const input = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 8);
    const [a, b] = members.map((member) => predict(member, input));
    const averaged = await loadModelOrAverage(`${join(dir, 'five')},${join(dir, 'six')}`);
    predict(averaged, input).forEach((row, i) => row.forEach((p, k) => expect(p).toBeCloseTo((a[i][k] + b[i][k]) / 2, 6)));
    const alone = await loadModelOrAverage(join(dir, 'five'));
    predict(alone, input).forEach((row, i) => row.forEach((p, k) => expect(p).toBeCloseTo(a[i][k], 6)));
    [...members, averaged, alone, input].forEach((x) => x.dispose());
  });

  it("embeds a crop as its members' penultimate activations side by side, beside the averaged softmax", () => {
    const members = [createDigitModel({ seed: 8 }), createDigitModel({ seed: 9 })];
    const input = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 9);
    const ensemble = ensembleOfModels(members);
    const embed = (model: Parameters<typeof createEmbedder>[0]) =>
      tf.tidy(() => (createEmbedder(model).predict(input) as tf.Tensor[]).map((t) => t.arraySync() as number[][]));
    const [[a], [b], [both, softmax]] = [embed(members[0]), embed(members[1]), embed(ensemble)];
    expect(both[0]).toHaveLength(a[0].length + b[0].length);
    both.forEach((row, i) => row.forEach((v, k) => expect(v).toBeCloseTo(k < a[i].length ? a[i][k] : b[i][k - a[i].length], 5)));
    const averaged = predict(ensemble, input);
    softmax.forEach((row, i) => row.forEach((p, k) => expect(p).toBeCloseTo(averaged[i][k], 6)));
    [...members, ensemble, input].forEach((x) => x.dispose());
  });

  it('refuses weights that do not fit the classifier', () => {
    const weights = flattenWeights(trainableVariables(createDigitModel()));
    const expected = new RegExp(`member 2 has ${weights.length - 1} weights; the classifier has ${weights.length}`);
    expect(() => ensembleFromWeights([weights, weights.subarray(1)])).toThrow(expected);
  });
});
