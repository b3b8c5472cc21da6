import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { io } from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { encodeFloat16 } from './float16';
import { ensembleOfModels } from './snapshot-ensemble';

/** Name of the single weights file next to model.json. */
export const WEIGHTS_FILE = 'group1-shard1of1.bin';

/** Options for {@link saveToFolder}. */
export interface SaveFolderOptions {
  /**
   * Store float32 weights as float16 (tfjs's own weight quantisation, dequantised on load): half
   * the download for the app; checkpoints keep full precision.
   */
  float16?: boolean;
  /**
   * With `float16`: tensors of at least this many values (the large dense kernels) are stored in
   * 8 bits instead, affine per tensor (tfjs's uint8 quantisation: min + q × scale): a quarter of
   * the float32 bytes where most of the weights are, so an ensemble stays a small download.
   */
  uint8From?: number;
}

/** The weights as float16 (or uint8 for tensors of `uint8From` values or more), with the manifest entries that tell tfjs to dequantise them. */
function quantizeWeights(specs: io.WeightsManifestEntry[], data: ArrayBuffer, uint8From = Infinity): { specs: io.WeightsManifestEntry[]; data: ArrayBuffer } {
  if (specs.some((spec) => spec.dtype !== 'float32')) throw new Error('quantised weights need float32 weights throughout');
  const values = new Float32Array(data);
  const parts: Uint8Array[] = [];
  const quantized: io.WeightsManifestEntry[] = [];
  let offset = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const tensor = values.subarray(offset, offset + count);
    offset += count;
    if (count >= uint8From) {
      const { bytes, min, scale } = encodeUint8(tensor);
      parts.push(bytes);
      quantized.push({ ...spec, quantization: { dtype: 'uint8', min, scale } });
    } else {
      parts.push(encodeFloat16(tensor));
      quantized.push({ ...spec, quantization: { dtype: 'float16' } });
    }
  }
  if (offset !== values.length) throw new Error(`the weights manifest covers ${offset} of ${values.length} values`);
  // Each part is a fresh array of its own, so its whole buffer is its bytes.
  return { specs: quantized, data: io.concatenateArrayBuffers(parts.map((part) => part.buffer as ArrayBuffer)) };
}

/** A tensor in 8 bits over its own range: q = round((v − min) / scale), decoded as min + q × scale. */
export function encodeUint8(values: Float32Array): { bytes: Uint8Array; min: number; scale: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  if (!Number.isFinite(min)) min = max = 0;
  // min and scale are stored in JSON as float64 but tfjs decodes in float32: keep them float32-exact.
  min = Math.fround(min);
  const scale = Math.fround(max > min ? (max - min) / 255 : 1);
  const bytes = Uint8Array.from(values, (v) => Math.min(255, Math.max(0, Math.round((v - min) / scale))));
  return { bytes, min, scale };
}

/**
 * An IOHandler for `model.save()` that writes the standard tfjs layers format into a folder:
 * model.json (topology + weights manifest) and one weights .bin. Pure tfjs cannot save to
 * `file://` in Node, and this is exactly what `tf.loadLayersModel('/model/model.json')` reads.
 * The folder is written next to the target and renamed into place, so a crash never leaves a
 * half-written model.
 */
export function saveToFolder(dir: string, { float16 = false, uint8From }: SaveFolderOptions = {}): io.IOHandler {
  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) throw new Error('binary topologies are not supported');
      let weightData = artifacts.weightData ? io.concatenateArrayBuffers(artifacts.weightData as ArrayBuffer | ArrayBuffer[]) : new ArrayBuffer(0);
      let weightSpecs = artifacts.weightSpecs ?? [];
      if (float16) ({ specs: weightSpecs, data: weightData } = quantizeWeights(weightSpecs, weightData, uint8From));
      const modelJson: io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? 'TensorFlow.js',
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: weightSpecs }],
      };
      if (artifacts.trainingConfig) modelJson.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;

      const staging = `${dir}.tmp-${process.pid}`;
      await rm(staging, { recursive: true, force: true });
      await mkdir(staging, { recursive: true });
      await writeFile(join(staging, 'model.json'), JSON.stringify(modelJson));
      await writeFile(join(staging, WEIGHTS_FILE), new Uint8Array(weightData));
      await replaceFolderFiles(staging, dir, ['model.json', WEIGHTS_FILE]);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(modelJson.modelTopology).length,
          weightSpecsBytes: JSON.stringify(modelJson.weightsManifest).length,
          weightDataBytes: weightData.byteLength,
        },
      };
    },
  };
}

/** Moves the named files from a staging folder into `dir` (keeping dir's other files), then removes staging. */
async function replaceFolderFiles(staging: string, dir: string, names: string[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  // rename() within one file system is atomic per file: readers see the old or the new file.
  for (const name of names) await rename(join(staging, name), join(dir, name));
  await rm(staging, { recursive: true, force: true });
}

/**
 * Reads model.json and its weight files from a folder into ModelArtifacts, ready for
 * `tf.io.fromMemory(artifacts)` / `tfl.loadLayersModel(...)` in Node.
 */
export async function readModelFolder(dir: string): Promise<io.ModelArtifacts> {
  const modelJson = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as io.ModelJSON;
  const weightSpecs: io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const group of modelJson.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const path of group.paths) {
      const bytes = await readFile(join(dir, path));
      buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    }
  }
  return {
    modelTopology: modelJson.modelTopology,
    format: modelJson.format,
    generatedBy: modelJson.generatedBy,
    convertedBy: modelJson.convertedBy,
    trainingConfig: modelJson.trainingConfig,
    userDefinedMetadata: modelJson.userDefinedMetadata,
    weightSpecs,
    weightData: io.concatenateArrayBuffers(buffers),
  };
}

/** Loads a layers model saved by {@link saveToFolder} (or any model.json folder) in Node. */
export async function loadModelFromFolder(dir: string): Promise<tfl.LayersModel> {
  return tfl.loadLayersModel(io.fromMemory(await readModelFolder(dir)));
}

/**
 * Loads the model in `dirs`, or, for several folders joined by commas, one model averaging their
 * softmax outputs (for evaluating an ensemble before building it).
 */
export async function loadModelOrAverage(dirs: string): Promise<tfl.LayersModel> {
  const folders = dirs.split(',').filter((dir) => dir.length > 0);
  if (folders.length === 1) return loadModelFromFolder(folders[0]);
  const members = await Promise.all(folders.map(loadModelFromFolder));
  const averaged = ensembleOfModels(members);
  for (const member of members) member.dispose();
  return averaged;
}
