import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { io, type Optimizer } from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { readModelFolder, saveToFolder } from './model-files';

/** Everything besides the weights that a resumed run needs to carry on as if never stopped. */
export interface TrainingState {
  /** Whole epochs completed. */
  epoch: number;
  /** Optimizer steps completed (drives the learning-rate schedule). */
  step: number;
  /** Wall time spent training so far, ms, summed over interrupted runs. */
  elapsedMs: number;
  /** Settings of the run, checked on resume so a checkpoint is not continued with other ones. */
  config: Record<string, unknown>;
  /** One entry per epoch (or part of one, where a run stopped inside it). */
  history: EpochLog[];
}

/** A moving average of the trainable weights and how many steps it has seen. */
export interface AveragedWeights {
  values: Float32Array;
  count: number;
}

/** What one epoch achieved. */
export interface EpochLog {
  /** Epochs done at the end of this entry; fractional when a run stopped mid-epoch. */
  epoch: number;
  loss: number;
  trainAccuracy: number;
  testAccuracy: number;
  learningRate: number;
  seconds: number;
}

const LATEST = 'latest';

/** True if `dir` holds a complete checkpoint. */
export function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, LATEST, 'state.json'));
}

/**
 * Saves model weights, optimizer moments and the training state into `dir/latest`, written to a
 * staging folder first and swapped in with renames so an interrupted save leaves the previous
 * checkpoint intact.
 */
export async function saveCheckpoint(
  dir: string,
  model: tfl.LayersModel,
  optimizer: Optimizer,
  state: TrainingState,
  averagedWeights?: AveragedWeights,
): Promise<void> {
  const staging = join(dir, `${LATEST}.tmp`);
  const target = join(dir, LATEST);
  const old = join(dir, `${LATEST}.old`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  await model.save(saveToFolder(join(staging, 'model')));
  const { data, specs } = await io.encodeWeights(await optimizer.getWeights());
  await writeFile(join(staging, 'optimizer.bin'), new Uint8Array(data));
  await writeFile(join(staging, 'optimizer.json'), JSON.stringify(specs));
  if (averagedWeights) {
    const { values, count } = averagedWeights;
    await writeFile(join(staging, 'average.bin'), new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    await writeFile(join(staging, 'average.json'), JSON.stringify({ count, length: values.length }));
  }
  await writeFile(join(staging, 'state.json'), JSON.stringify(state, null, 2));
  await rm(old, { recursive: true, force: true });
  if (existsSync(target)) await rename(target, old);
  await rename(staging, target);
  await rm(old, { recursive: true, force: true });
}

/**
 * Restores a checkpoint into a freshly built, compiled model and its optimizer (weights are matched
 * by position, which `createDigitModel` keeps stable). Returns the saved training state and, if
 * the run kept one, its moving average of the weights.
 */
export async function loadCheckpoint(
  dir: string,
  model: tfl.LayersModel,
  optimizer: Optimizer,
): Promise<{ state: TrainingState; averagedWeights?: AveragedWeights }> {
  const folder = join(dir, LATEST);
  const artifacts = await readModelFolder(join(folder, 'model'));
  const named = io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
  const tensors = artifacts.weightSpecs!.map((spec) => named[spec.name]);
  model.setWeights(tensors);
  tensors.forEach((t) => t.dispose());

  const specs = JSON.parse(await readFile(join(folder, 'optimizer.json'), 'utf8')) as io.WeightsManifestEntry[];
  const bytes = await readFile(join(folder, 'optimizer.bin'));
  const optimizerWeights = io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, specs);
  const list: Parameters<Optimizer['setWeights']>[0] = specs.map((spec) => ({ name: spec.name, tensor: optimizerWeights[spec.name] }));
  await optimizer.setWeights(list);
  // setWeights copies into new variables; the decoded tensors are no longer needed.
  list.forEach((w) => w.tensor.dispose());
  const state = JSON.parse(await readFile(join(folder, 'state.json'), 'utf8')) as TrainingState;
  if (!existsSync(join(folder, 'average.json'))) return { state };
  const { count, length } = JSON.parse(await readFile(join(folder, 'average.json'), 'utf8')) as { count: number; length: number };
  const averageBytes = await readFile(join(folder, 'average.bin'));
  const values = new Float32Array(averageBytes.buffer.slice(averageBytes.byteOffset, averageBytes.byteOffset + averageBytes.byteLength));
  if (values.length !== length) throw new Error(`checkpoint's average.bin holds ${values.length} weights, expected ${length}`);
  return { state, averagedWeights: { values, count } };
}
