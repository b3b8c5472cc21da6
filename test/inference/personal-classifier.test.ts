import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDigitClassifier, type DigitClassifier } from '../../src/inference/classifier';
import { parseReplaySet, REPLAY_FILE, type ReplaySet } from '../../src/inference/replay-guard';
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
    expect(classifier.addCorrections([{ crop: crops[0], label: wrong }, { crop: crops[1], label: 'none' }])).toMatchObject({ kept: 2, reused: 0 });
    const learnMs = performance.now() - learnStarted;
    const after = classifier.predict(crops);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(after[0].digit).toBe(wrong);
    expect(after[1].notDigit).toBeGreaterThan(0.5);
    // The other digits read as before, bar the few that look like the corrected crops or their
    // augmented views (6 of 298 measured with CORRECTION_VIEWS, 3 with the crop alone). A
    // correction this wrong is what the replay guard refuses in the app (below); here it is
    // learned unchecked.
    const changed = after.slice(2).filter((p, i) => p.digit !== before[i + 2].digit).length;
    expect(changed).toBeLessThanOrEqual(6);
    const rightBefore = before.filter((p, i) => p.digit === labels[i]).length - 2;
    const rightAfter = after.slice(2).filter((p, i) => p.digit === labels[i + 2]).length;
    expect(rightAfter).toBeGreaterThanOrEqual(rightBefore - 6);
    expect(learnMs).toBeLessThan(1_000); // 300 ms is the browser's budget; this machine is shared.
  });

  it('replaces and bounds the corrections, and forgets them all', () => {
    expect(classifier.setCorrections(crops.slice(0, 30).map((crop) => ({ crop, label: 3 }))).kept).toBe(20);
    expect(classifier.setCorrections([]).kept).toBe(0);
    const plain = classifier.predict(crops.slice(0, 5));
    expect(plain.map((p) => p.digit)).toEqual(Array.from(labels.slice(0, 5)));
    expect(() => classifier.addCorrections([{ crop: crops[0], label: 12 }])).toThrow();
    expect(classifier.addCorrections([{ crop: crops[0], label: 5 }])).toMatchObject({ kept: 1 });
  });
});

describe.skipIf(!hasModel || !existsSync(join(MODEL_DIR, REPLAY_FILE)))('the replay guard (shipped model and replay set)', () => {
  let classifier: DigitClassifier;
  let replay: ReplaySet;

  beforeAll(async () => {
    await useWasmTrainingBackend();
    const artifacts = await readModelFolder(MODEL_DIR);
    replay = parseReplaySet(new Uint8Array(readFileSync(join(MODEL_DIR, REPLAY_FILE))));
    classifier = await loadDigitClassifier({ load: async () => artifacts }, replay);
  });

  const replayCrop = (i: number) => replay.crops.slice(i * PIXELS, (i + 1) * PIXELS);

  it('refuses a correction that would change how a reference digit reads, changes nothing, and leaks no tensor', () => {
    expect(replay.labels.length).toBeGreaterThanOrEqual(200);
    classifier.setCorrections([]);
    const probe = Array.from({ length: 40 }, (_, i) => replayCrop(i * 7));
    const before = classifier.predict(probe);
    const tensors = tf.memory().numTensors;
    // A person says a reference digit is another digit: learning it would turn that very crop.
    const label = (replay.labels[0] + 1) % 10;
    const result = classifier.addCorrections([{ crop: replayCrop(0), label }]);
    expect(result.kept).toBe(0);
    expect(result.refused).toMatch(/^it would change how \d+ of Digitpad's \d+ reference digits read \(a \d would read/);
    expect(classifier.predict(probe)).toEqual(before);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('refuses the wrong correction the unchecked classifier learns above (a 7 said to be an 8)', async () => {
    classifier.setCorrections([]);
    const mnist = await loadMnist('test', 1);
    const crop = bytesToInput(mnist.images).slice(0, PIXELS);
    const result = classifier.addCorrections([{ crop, label: (mnist.labels[0] + 1) % 10 }]);
    expect(result).toMatchObject({ kept: 0, computed: [], refused: expect.stringContaining(`a ${mnist.labels[0]} would read ${(mnist.labels[0] + 1) % 10}`) });
  });

  it('reads the replay set ahead in slices to the same effect as at the first correction', async () => {
    const artifacts = await readModelFolder(MODEL_DIR);
    const ahead = await loadDigitClassifier({ load: async () => artifacts }, replay);
    const slices: boolean[] = [];
    for (let i = 0; i < 100 && (slices.length === 0 || slices[slices.length - 1]); i++) slices.push(ahead.readReplayAhead(64));
    // 64 crops a slice: true while some are left, then false, and false ever after.
    expect(slices).toEqual([...Array.from({ length: Math.ceil(replay.labels.length / 64) - 1 }, () => true), false]);
    expect(ahead.readReplayAhead(64)).toBe(false);
    classifier.setCorrections([]);
    const wrong = [{ crop: replayCrop(3), label: (replay.labels[3] + 1) % 10 }];
    const refused = ahead.addCorrections(wrong).refused;
    expect(refused).toMatch(/^it would change how \d+ of Digitpad's \d+ reference digits read/);
    expect(refused).toBe(classifier.addCorrections(wrong).refused);
    expect(ahead.addCorrections([{ crop: replayCrop(3), label: replay.labels[3] }]).kept).toBe(1);
    ahead.dispose();
    const unguarded = await loadDigitClassifier({ load: async () => artifacts });
    expect(unguarded.readReplayAhead(64)).toBe(false);
    unguarded.dispose();
  });

  it('learns a correction that leaves every reference digit as it was', () => {
    classifier.setCorrections([]);
    // The reference digit itself, labelled as it is: nothing reads differently.
    const learned = classifier.addCorrections([{ crop: replayCrop(0), label: replay.labels[0] }]);
    expect(learned).toMatchObject({ kept: 1 });
    expect(learned.refused).toBeUndefined();
    // Stored corrections come back whole at a start, unchecked (each was checked when made).
    expect(classifier.setCorrections([{ crop: replayCrop(0), label: (replay.labels[0] + 1) % 10 }]).kept).toBe(1);
  });
});
