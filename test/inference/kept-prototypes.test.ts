import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDigitClassifier, type CorrectionPrototypes, type DigitClassifier, type DigitPrediction, type LabelledCrop, type LearnResult } from '../../src/inference/classifier';
import { augmentCrop, CORRECTION_VIEWS } from '../../src/inference/augment-crop';
import { modelFingerprint } from '../../src/inference/model-fingerprint';
import { shiftCrop } from '../../src/inference/read-crops';
import { loadMnist } from '../../src/training/load-mnist';
import { readModelFolder } from '../../src/training/model-files';
import { bytesToInput } from '../../src/training/predict-digits';
import { useWasmTrainingBackend } from '../../src/training/use-wasm-training-backend';

const MODEL_DIR = join(process.cwd(), 'public/model');
const hasModel = existsSync(join(MODEL_DIR, 'model.json'));
const PIXELS = 784;
/** Float32 rounding between two runs of the same model on the same crops (batches of other sizes). */
const TOLERANCE = 1e-5;

/** The same files with the first convolution's kernel negated (the sign bit of each float16): another model. */
function anotherModel(artifacts: io.ModelArtifacts): io.ModelArtifacts {
  const bytes = new Uint8Array((artifacts.weightData as ArrayBuffer).slice(0));
  const first = artifacts.weightSpecs![0];
  expect(first.quantization?.dtype).toBe('float16');
  const values = first.shape.reduce((a, b) => a * b, 1);
  for (let i = 0; i < values; i++) bytes[2 * i + 1] ^= 0x80;
  return { ...artifacts, weightData: bytes.buffer };
}

/**
 * Floats in one prototype, read from the model file itself: the units of every hidden dense layer
 * (one per member of an ensemble, whose penultimate layers are embedded side by side).
 */
function hiddenUnits(artifacts: io.ModelArtifacts): number {
  const topology = artifacts.modelTopology as { model_config?: { config: LayerList }; config?: LayerList };
  const layers = (topology.model_config?.config ?? topology.config)!.layers;
  const dense = layers.filter((layer) => layer.class_name === 'Dense').map((layer) => layer.config.units!);
  const outputs = Math.min(...dense);
  return dense.filter((units) => units !== outputs).reduce((a, b) => a + b, 0);
}
interface LayerList { layers: { class_name: string; config: { units?: number } }[] }

/** Largest absolute difference between two arrays of the same length. */
function maxDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let most = 0;
  for (let i = 0; i < a.length; i++) most = Math.max(most, Math.abs(a[i] - b[i]));
  return most;
}

function expectSamePredictions(actual: DigitPrediction[], expected: DigitPrediction[]): void {
  expect(actual.map((p) => p.digit)).toEqual(expected.map((p) => p.digit));
  actual.forEach((p, i) => {
    expect(p.confidence).toBeCloseTo(expected[i].confidence, 4);
    expect(p.notDigit).toBeCloseTo(expected[i].notDigit, 4);
  });
}

describe('modelFingerprint', () => {
  const artifacts: io.ModelArtifacts = { modelTopology: { layers: [1, 2] }, weightSpecs: [], weightData: new Uint8Array([1, 2, 3, 4]).buffer };

  it('is the same for the same files and recipe, and changes with any weight byte, the topology or the recipe', () => {
    const fingerprint = modelFingerprint(artifacts, { views: 1 });
    expect(modelFingerprint({ ...artifacts, weightData: new Uint8Array([1, 2, 3, 4]).buffer }, { views: 1 })).toBe(fingerprint);
    expect(modelFingerprint({ ...artifacts, weightData: [new Uint8Array([1, 2]).buffer, new Uint8Array([3, 4]).buffer] }, { views: 1 })).toBe(fingerprint);
    const others = [
      modelFingerprint({ ...artifacts, weightData: new Uint8Array([1, 2, 3, 5]).buffer }, { views: 1 }),
      modelFingerprint({ ...artifacts, weightData: new Uint8Array([1, 2, 3, 4, 0]).buffer }, { views: 1 }),
      modelFingerprint({ ...artifacts, modelTopology: { layers: [1, 3] } }, { views: 1 }),
      modelFingerprint(artifacts, { views: 2 }),
    ];
    expect(new Set([fingerprint, ...others]).size).toBe(5);
  });
});

describe.skipIf(!hasModel)('corrections with their prototypes kept (shipped model)', () => {
  let artifacts: io.ModelArtifacts;
  let classifier: DigitClassifier;
  let corrections: LabelledCrop[];
  /** Crops near the corrections (each moved a pixel) and far from them, whose reading the corrections change or not. */
  let probes: Float32Array[];
  /** Computed from the crops alone, as every start did before prototypes were kept. */
  let cold: LearnResult;
  let coldReadings: DigitPrediction[];

  /** The corrections with the given prototypes (copies, as the page sends them). */
  const withPrototypes = (prototypes: (CorrectionPrototypes | undefined)[]): LabelledCrop[] =>
    corrections.map((c, i) => {
      const p = prototypes[i];
      return p ? { ...c, prototypes: { model: p.model, embeddings: p.embeddings.slice() } } : c;
    });
  const coldPrototypes = () => cold.computed.map((c) => c.prototypes);

  beforeAll(async () => {
    await useWasmTrainingBackend();
    artifacts = await readModelFolder(MODEL_DIR);
    classifier = await loadDigitClassifier({ load: async () => artifacts });
    const mnist = await loadMnist('test', 40);
    const pixels = bytesToInput(mnist.images);
    const crops = Array.from({ length: mnist.count }, (_, i) => pixels.slice(i * PIXELS, (i + 1) * PIXELS));
    // Wrong labels on purpose, so the corrections visibly change readings; one "not a digit".
    corrections = crops.slice(0, 12).map((crop, i) => ({ crop, label: i === 11 ? 'none' : (mnist.labels[i] + 1) % 10 }));
    probes = [...crops.slice(0, 12).map((crop) => shiftCrop(crop, 1, 0)), ...crops.slice(12)];
    classifier.setCorrections([]);
    const plain = classifier.predict(probes);
    cold = classifier.setCorrections(corrections);
    coldReadings = classifier.predict(probes);
    // The test means something only if the corrections change readings.
    expect(coldReadings.filter((p, i) => p.digit !== plain[i].digit).length).toBeGreaterThan(3);
  });

  it('computes every correction\'s prototypes from its crop when none are given, under the model\'s fingerprint', () => {
    const views = augmentCrop(corrections[0].crop, CORRECTION_VIEWS).length;
    expect(cold).toMatchObject({ kept: 12, reused: 0 });
    expect(cold.computed.map((c) => c.index)).toEqual(corrections.map((_, i) => i));
    for (const { prototypes } of cold.computed) {
      expect(prototypes.model).toBe(classifier.fingerprint);
      expect(prototypes.embeddings).toBeInstanceOf(Float32Array);
      expect(prototypes.embeddings.length).toBe(views * hiddenUnits(artifacts));
    }
  });

  it('reads exactly as the cold start did with the prototypes given, and computes none', async () => {
    // A fresh classifier of the same files, as at the next start of the app.
    const next = await loadDigitClassifier({ load: async () => artifacts });
    expect(next.fingerprint).toBe(classifier.fingerprint);
    const result = next.setCorrections(withPrototypes(coldPrototypes()));
    expect(result).toEqual({ kept: 12, reused: 12, computed: [] });
    expectSamePredictions(next.predict(probes), coldReadings);
    next.dispose();
  });

  it('computes the same prototypes again within float tolerance (what is kept is what a cold start learns)', () => {
    const again = classifier.setCorrections(corrections);
    again.computed.forEach((c, i) => expect(maxDifference(c.prototypes.embeddings, cold.computed[i].prototypes.embeddings)).toBeLessThan(TOLERANCE));
    expectSamePredictions(classifier.predict(probes), coldReadings);
  });

  it('never hands out the arrays it keeps: changing a computed one changes no reading', () => {
    const result = classifier.setCorrections(corrections);
    for (const c of result.computed) c.prototypes.embeddings.fill(0);
    expectSamePredictions(classifier.predict(probes), coldReadings);
  });

  const damaged: [string, (p: CorrectionPrototypes) => unknown][] = [
    ['another model\'s', (p) => ({ ...p, model: `${p.model}-old` })],
    ['cut short', (p) => ({ ...p, embeddings: p.embeddings.slice(0, p.embeddings.length - 1) })],
    ['with a NaN', (p) => ({ ...p, embeddings: p.embeddings.map((v, i) => (i === 5 ? NaN : v)) })],
    ['not of length 1', (p) => ({ ...p, embeddings: p.embeddings.map((v) => v * 1.5) })],
    ['of random values', (p) => ({ ...p, embeddings: p.embeddings.map(() => Math.random()) })],
    ['float64', (p) => ({ ...p, embeddings: Float64Array.from(p.embeddings) })],
    ['not an array', (p) => ({ ...p, embeddings: [...p.embeddings] })],
    ['null', () => null],
  ];
  for (const [what, damage] of damaged) {
    it(`computes prototypes ${what} again from the crop, and reads as the cold start`, () => {
      const given: LabelledCrop[] = withPrototypes(coldPrototypes());
      const broken = 4;
      given[broken] = { ...given[broken], prototypes: damage(cold.computed[broken].prototypes) as CorrectionPrototypes };
      const result = classifier.setCorrections(given);
      expect(result.kept).toBe(12);
      expect(result.reused).toBe(11);
      expect(result.computed.map((c) => c.index)).toEqual([broken]);
      expect(maxDifference(result.computed[0].prototypes.embeddings, cold.computed[broken].prototypes.embeddings)).toBeLessThan(TOLERANCE);
      expectSamePredictions(classifier.predict(probes), coldReadings);
    });
  }

  it('gives the index in the list given when older corrections of a label are dropped', () => {
    const many: LabelledCrop[] = Array.from({ length: 22 }, (_, i) => ({ crop: corrections[i % 12].crop, label: 3 }));
    const result = classifier.setCorrections(many);
    expect(result.kept).toBe(20);
    expect(result.computed.map((c) => c.index)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
  });

  it('a new model (another fingerprint) computes every correction\'s prototypes again, and reads as its own cold start', async () => {
    const files = anotherModel(artifacts);
    const newer = await loadDigitClassifier({ load: async () => files });
    expect(newer.fingerprint).not.toBe(classifier.fingerprint);
    const ownCold = newer.setCorrections(corrections);
    const ownReadings = newer.predict(probes);
    const result = newer.setCorrections(withPrototypes(coldPrototypes()));
    expect(result.reused).toBe(0);
    expect(result.computed.map((c) => c.index)).toEqual(corrections.map((_, i) => i));
    result.computed.forEach((c, i) => {
      expect(c.prototypes.model).toBe(newer.fingerprint);
      expect(maxDifference(c.prototypes.embeddings, ownCold.computed[i].prototypes.embeddings)).toBeLessThan(TOLERANCE);
      // The old model's prototypes were not simply passed through.
      expect(maxDifference(c.prototypes.embeddings, cold.computed[i].prototypes.embeddings)).toBeGreaterThan(0.01);
    });
    expectSamePredictions(newer.predict(probes), ownReadings);
    newer.dispose();
  });

  it('adds a correction with its prototypes computed, to keep with it', () => {
    classifier.setCorrections(withPrototypes(coldPrototypes()));
    const added = classifier.addCorrections([{ crop: probes[20], label: 'none' }]);
    expect(added).toMatchObject({ kept: 13, reused: 0 });
    expect(added.computed).toHaveLength(1);
    expect(added.computed[0].prototypes.model).toBe(classifier.fingerprint);
  });
});
