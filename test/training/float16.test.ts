import { io } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { encodeFloat16, toFloat16Bits } from '../../src/training/float16';

/** Decodes float16 bytes with tfjs's own weight decoder, as the app does when it loads the model. */
function decodeWithTfjs(bytes: Uint8Array, count: number): Float32Array {
  const spec: io.WeightsManifestEntry = { name: 'w', shape: [count], dtype: 'float32', quantization: { dtype: 'float16' } };
  const tensors = io.decodeWeights(bytes.slice().buffer, [spec]);
  const values = tensors.w.dataSync() as Float32Array;
  tensors.w.dispose();
  return values;
}

describe('float16 weights', () => {
  it('encodes exactly representable values exactly, and specials as IEEE 754 halves', () => {
    expect(toFloat16Bits(0)).toBe(0x0000);
    expect(toFloat16Bits(-0)).toBe(0x8000);
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(-2)).toBe(0xc000);
    expect(toFloat16Bits(65504)).toBe(0x7bff); // largest half
    expect(toFloat16Bits(1e6)).toBe(0x7c00); // overflow → Inf
    expect(toFloat16Bits(Infinity)).toBe(0x7c00);
    expect(toFloat16Bits(NaN) & 0x7c00).toBe(0x7c00);
    expect(toFloat16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(toFloat16Bits(2 ** -14)).toBe(0x0400); // smallest normal
    // Ties go to even: 1 + 2^-11 lies halfway between 1 and 1 + 2^-10.
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00);
    expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });

  it('round-trips weights through tfjs within half precision (relative error ≤ 2^-11)', () => {
    const values = Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i * 12.9898) * 10 ** ((i % 9) - 6));
    const decoded = decodeWithTfjs(encodeFloat16(values), values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      // Below the normal range the step is absolute (2^-24), not relative.
      expect(Math.abs(decoded[i] - v)).toBeLessThanOrEqual(Math.max(Math.abs(v) * 2 ** -11, 2 ** -25));
    }
  });
});
