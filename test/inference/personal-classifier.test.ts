import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDigitClassifier, type DigitClassifier } from '../../src/inference/classifier';
import { loadMnist } from '../../src/training/load-mnist';
import { readModelFolder } from '../../src/training/model-files';
import { bytesToInput } from '../../src/training/predict-digits';
import { useWasmTrainingBackend } from '../../src/training/use-wasm-training-backend';

const MODEL_DIR = join(process.cwd(), 'public/model');
const hasModel = existsSync(join(MODEL_DIR, 'model.json'));
const PIXELS = 784;

describe.skipIf(!hasModel)('the classifier with a person\'s corrections (shipped model)', () => {
  let classifier: DigitClassifier;
  let crops: Float32Array[];
  let labels: Uint8Array;

  beforeAll(async () => {
    await useWasmTrainingBackend();
    const artifacts = await readModelFolder(MODEL_DIR);
    classifier = await loadDigitClassifier({ load: async () => artifacts });
    const mnist = await loadMnist('test', 300);
    const pixels = bytesToInput(mnist.images);
    crops = Array.from({ length: mnist.count }, (_, i) => pixels.slice(i * PIXELS, (i + 1) * PIXELS));
    labels = mnist.labels;
  });

  it('reads a corrected crop as the person said, leaves far digits as they were, and leaks no tensor', () => {
    classifier.setCorrections([]);
    const before = classifier.predict(crops);
    const tensors = tf.memory().numTensors;
    // A person says the first test digit (a 7) is a 1, and that the second is not a digit.
    const first = before[0].digit;
    const wrong = (first + 1) % 10;
    const learnStarted = performance.now();
    expect(classifier.addCorrections([{ crop: crops[0], label: wrong }, { crop: crops[1], label: 'none' }])).toBe(2);
    const learnMs = performance.now() - learnStarted;
    const after = classifier.predict(crops);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(after[0].digit).toBe(wrong);
    expect(after[1].notDigit).toBeGreaterThan(0.5);
    // The other digits read as before, bar the few that look like the corrected crops.
    const changed = after.slice(2).filter((p, i) => p.digit !== before[i + 2].digit).length;
    expect(changed).toBeLessThanOrEqual(3);
    const rightBefore = before.filter((p, i) => p.digit === labels[i]).length - 2;
    const rightAfter = after.slice(2).filter((p, i) => p.digit === labels[i + 2]).length;
    expect(rightAfter).toBeGreaterThanOrEqual(rightBefore - 3);
    expect(learnMs).toBeLessThan(1_000); // 300 ms is the browser's budget; this machine is shared.
  });

  it('replaces and bounds the corrections, and forgets them all', () => {
    expect(classifier.setCorrections(crops.slice(0, 30).map((crop) => ({ crop, label: 3 })))).toBe(20);
    expect(classifier.setCorrections([])).toBe(0);
    const plain = classifier.predict(crops.slice(0, 5));
    expect(plain.map((p) => p.digit)).toEqual(Array.from(labels.slice(0, 5)));
    expect(() => classifier.addCorrections([{ crop: crops[0], label: 12 }])).toThrow();
    expect(classifier.addCorrections([{ crop: crops[0], label: 5 }])).toBe(1);
  });
});
