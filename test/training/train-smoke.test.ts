import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDigitModel } from '../../src/inference/model';
import { loadModelFromFolder, WEIGHTS_FILE } from '../../src/training/model-files';
import { useWasmTrainingBackend } from '../../src/training/use-wasm-training-backend';

const run = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules/.bin/tsx');

/** Runs the real `npm run train` entry point with the given flags and returns its output. */
async function train(args: string[]): Promise<string> {
  const { stdout } = await run(TSX, ['scripts/train.ts', ...args], { cwd: process.cwd(), timeout: 120_000 });
  return stdout;
}

describe('scripts/train.ts (a few steps on a few images)', () => {
  let dir: string;
  let flags: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'digitpad-train-'));
    flags = ['--limit', '48', '--batch-size', '16', '--threads', '2', '--epochs', '2', '--test-limit', '50', '--weight-average', '0.999', '--out', join(dir, 'model'), '--checkpoint-dir', join(dir, 'checkpoints')];
    await useWasmTrainingBackend();
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('trains, checkpoints and writes a loadable model with its card', async () => {
    const log = await train([...flags, '--max-steps', '2']);
    expect(log).toMatch(/backend wasm, 2 threads/);
    expect(log).toMatch(/stopped at epoch 0\.67\/2: loss [\d.]+, train acc [\d.]+%, test acc [\d.]+% \(50\).*ETA/);

    for (const file of ['model.json', WEIGHTS_FILE, 'MODEL_CARD.md', 'model-card.json']) {
      expect(existsSync(join(dir, 'model', file)), file).toBe(true);
    }
    expect(existsSync(join(dir, 'checkpoints/latest/state.json'))).toBe(true);
    expect(existsSync(join(dir, 'checkpoints/latest/average.bin'))).toBe(true);
    expect(log).toMatch(/last step's weights: MNIST test [\d.]+%; shipping their moving average/);

    const card = JSON.parse(await readFile(join(dir, 'model/model-card.json'), 'utf8'));
    expect(card.steps).toBe(2);
    expect(card.parameters).toBeGreaterThan(100_000);
    // The card's accuracy is that of the float16 files as shipped, beside the float32 one.
    expect(card.weightBytes).toBe(2 * card.parameters);
    expect(card.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(card.float32TestAccuracy).toBeGreaterThanOrEqual(0);

    const model = await loadModelFromFolder(join(dir, 'model'));
    const out = tf.tidy(() => (model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor).arraySync() as number[][]);
    expect(out).toHaveLength(2);
    expect(out[0].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    model.dispose();
  });

  it('resumes from the checkpoint and finishes the run', async () => {
    const log = await train(flags);
    expect(log).toMatch(/resumed from .* at step 2/);
    expect(log).toMatch(/epoch 2\/2: /);
    const card = JSON.parse(await readFile(join(dir, 'model/model-card.json'), 'utf8'));
    expect(card.steps).toBe(6);
    expect(card.history.map((h: { epoch: number }) => h.epoch)).toEqual([0.67, 1, 2]);
    expect(card.lastStepTestAccuracy).toBeGreaterThanOrEqual(0);
    expect(card.training.weightAverageDecay).toBe(0.999);
  });
});

describe('scripts/train.ts --snapshots 2 (a snapshot ensemble on a few images)', () => {
  let dir: string;
  let flags: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'digitpad-snapshots-'));
    // 48 images in batches of 16 for 2 epochs: 6 steps, the first cycle ends after step 3.
    flags = ['--limit', '48', '--batch-size', '16', '--threads', '1', '--epochs', '2', '--test-limit', '50', '--snapshots', '2', '--out', join(dir, 'model'), '--checkpoint-dir', join(dir, 'checkpoints')];
    await useWasmTrainingBackend();
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the first cycle in the checkpoint, resumes, and ships both members as one model', async () => {
    const first = await train([...flags, '--max-steps', '4']);
    expect(first).toMatch(/cycle 1\/2 ended at step 3: weights kept/);
    expect(existsSync(join(dir, 'checkpoints/latest/snapshots.bin'))).toBe(true);

    const log = await train(flags);
    expect(log).toMatch(/resumed from .* at step 4/);
    // The snapshot came back from the checkpoint rather than being taken again.
    expect(log).not.toMatch(/cycle 1\/2 ended/);
    expect(log).toMatch(/ensemble of 2 snapshots; each alone on MNIST test: [\d.]+%, [\d.]+%/);

    const card = JSON.parse(await readFile(join(dir, 'model/model-card.json'), 'utf8'));
    expect(card.steps).toBe(6);
    expect(card.memberTestAccuracies).toHaveLength(2);
    expect(card.training.snapshots).toBe(2);
    expect(card.architecture).toMatch(/^the average of the softmax outputs of 2 copies of conv3×3/);
    expect(card.parameters).toBe(2 * createDigitModel().countParams());
    expect(card.weightBytes).toBe(2 * card.parameters);

    const model = await loadModelFromFolder(join(dir, 'model'));
    expect(model.layers.filter((layer) => layer.name.startsWith('member2_'))).toHaveLength(8);
    const out = tf.tidy(() => (model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor).arraySync() as number[][]);
    expect(out[0].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    model.dispose();
  });
});
