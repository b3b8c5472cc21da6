import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/** URLs of the tfjs wasm binaries, keyed by file name as tfjs-backend-wasm asks for them. */
export type WasmBinaryUrls = Record<'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm', string>;

/**
 * Switches tfjs to the wasm backend and fails loudly if it did not take: tfjs may silently keep
 * another backend, and webgl on software rendering is ~20× slower for this model.
 */
export async function useWasmBackend(binaryUrls?: WasmBinaryUrls): Promise<void> {
  if (binaryUrls) {
    // Threads need cross-origin isolation, which a static host rarely gives; never ask for that
    // build, so its binary is neither shipped nor fetched (tfjs still wants a map entry for it).
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths({ ...binaryUrls, 'tfjs-backend-wasm-threaded-simd.wasm': binaryUrls['tfjs-backend-wasm-simd.wasm'] });
  }
  const ok = await tf.setBackend('wasm');
  if (!ok || tf.getBackend() !== 'wasm') {
    throw new Error(`The wasm backend could not start (active backend: ${tf.getBackend() ?? 'none'})`);
  }
  await tf.ready();
}
