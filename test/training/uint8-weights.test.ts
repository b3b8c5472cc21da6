import { io } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeUint8, saveToFolder, WEIGHTS_FILE } from '../../src/training/model-files';

/** Decodes weights with tfjs's own decoder, as the app does when it loads the model. */
function decodeWithTfjs(data: ArrayBuffer, specs: io.WeightsManifestEntry[]): Record<string, Float32Array> {
  const tensors = io.decodeWeights(data, specs);
  return Object.fromEntries(Object.entries(tensors).map(([name, t]) => {
    const values = t.dataSync() as Float32Array;
    t.dispose();
    return [name, values];
  }));
}

describe('8-bit weights', () => {
  it('round-trip through tfjs within half a step of the tensor’s own range', () => {
    const values = Float32Array.from({ length: 4000 }, (_, i) => 0.3 * Math.sin(i * 12.9898) - 0.05);
    const { bytes, min, scale } = encodeUint8(values);
    const decoded = decodeWithTfjs(bytes.slice().buffer, [{ name: 'w', shape: [values.length], dtype: 'float32', quantization: { dtype: 'uint8', min, scale } }]).w;
    const step = (Math.max(...values) - Math.min(...values)) / 255;
    values.forEach((v, i) => expect(Math.abs(decoded[i] - v)).toBeLessThanOrEqual(step / 2 + 1e-6));
    // The extremes are kept (within float32 rounding): a clipped outlier would be a wrong weight.
    expect(Math.min(...decoded)).toBeCloseTo(Math.min(...values), 6);
    expect(Math.max(...decoded)).toBeCloseTo(Math.max(...values), 5);
  });

  it('a constant tensor decodes to itself', () => {
    const { bytes, min, scale } = encodeUint8(new Float32Array(10).fill(0.25));
    const decoded = decodeWithTfjs(bytes.slice().buffer, [{ name: 'c', shape: [10], dtype: 'float32', quantization: { dtype: 'uint8', min, scale } }]).c;
    expect([...decoded]).toEqual(new Array(10).fill(0.25));
  });

  it('saveToFolder stores large tensors in 8 bits and small ones as float16, in manifest order', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'uint8-'));
    try {
      const big = Float32Array.from({ length: 300 }, (_, i) => Math.cos(i));
      const small = Float32Array.from([0.5, -1.25, 3]);
      const specs: io.WeightsManifestEntry[] = [
        { name: 'small', shape: [3], dtype: 'float32' },
        { name: 'big', shape: [30, 10], dtype: 'float32' },
      ];
      const weightData = new Float32Array([...small, ...big]).buffer;
      await saveToFolder(dir, { float16: true, uint8From: 100 }).save!({ modelTopology: {}, weightSpecs: specs, weightData });
      const manifest = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')).weightsManifest[0].weights as io.WeightsManifestEntry[];
      expect(manifest.map((s) => s.quantization?.dtype)).toEqual(['float16', 'uint8']);
      const bytes = await readFile(join(dir, WEIGHTS_FILE));
      expect(bytes.byteLength).toBe(3 * 2 + 300);
      const decoded = decodeWithTfjs(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), manifest);
      expect([...decoded.small]).toEqual([0.5, -1.25, 3]);
      big.forEach((v, i) => expect(Math.abs(decoded.big[i] - v)).toBeLessThanOrEqual(2 / 255 / 2 + 1e-6));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
