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

/** Weights a run keeps beside the model's own: a moving average, snapshots taken at cycle ends. */
export interface CheckpointExtras {
  averagedWeights?: AveragedWeights;
  /** Flat trainable weights at the end of each finished cycle of a cyclic schedule, oldest first. */
  snapshots?: Float32Array[];
}

const LATEST = 'latest';

/** Reads a Float32Array written by {@link saveCheckpoint}. */
async function readFloats(file: string): Promise<Float32Array> {
  const bytes = await readFile(file);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

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
  { averagedWeights, snapshots = [] }: CheckpointExtras = {},
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
  if (snapshots.length > 0) {
    const length = snapshots[0].length;
    const all = new Float32Array(length * snapshots.length);
    snapshots.forEach((snapshot, i) => all.set(snapshot, i * length));
    await writeFile(join(staging, 'snapshots.bin'), new Uint8Array(all.buffer));
    await writeFile(join(staging, 'snapshots.json'), JSON.stringify({ count: snapshots.length, length }));
  }
  await writeFile(join(staging, 'state.json'), JSON.stringify(state, null, 2));
  await rm(old, { recursive: true, force: true });
  if (existsSync(target)) await rename(target, old);
  await rename(staging, target);
  await rm(old, { recursive: true, force: true });
}

/**
 * Restores a checkpoint into a freshly built, compiled model and its optimizer (weights are matched
 * by position, which `createDigitModel` keeps stable). Returns the saved training state and the
 * run's extra weights (moving average, snapshots), if it kept any.
 */
export async function loadCheckpoint(
  dir: string,
  model: tfl.LayersModel,
  optimizer: Optimizer,
): Promise<{ state: TrainingState } & CheckpointExtras> {
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
  const result: { state: TrainingState } & CheckpointExtras = { state };
  if (existsSync(join(folder, 'average.json'))) {
    const { count, length } = JSON.parse(await readFile(join(folder, 'average.json'), 'utf8')) as { count: number; length: number };
    const values = await readFloats(join(folder, 'average.bin'));
    if (values.length !== length) throw new Error(`checkpoint's average.bin holds ${values.length} weights, expected ${length}`);
    result.averagedWeights = { values, count };
  }
  if (existsSync(join(folder, 'snapshots.json'))) {
    const { count, length } = JSON.parse(await readFile(join(folder, 'snapshots.json'), 'utf8')) as { count: number; length: number };
    const all = await readFloats(join(folder, 'snapshots.bin'));
    if (all.length !== count * length) throw new Error(`checkpoint's snapshots.bin holds ${all.length} weights, expected ${count} × ${length}`);
    result.snapshots = Array.from({ length: count }, (_, i) => all.slice(i * length, (i + 1) * length));
  }
  return result;
}
