import * as tf from '@tensorflow/tfjs-core';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import { useWasmBackend } from '../inference/backend';
import { loadDigitClassifier, type DigitClassifier } from '../inference/classifier';
import { parseReplaySet } from '../inference/replay-guard';

// The backend needs nothing from the page, so it starts the moment this chunk runs.
// The threaded build is left out: threads need cross-origin isolation, which a static host rarely gives.
let backendMs = 0;
const backend = useWasmBackend({
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
}).then(() => {
  backendMs = performance.now();
});
backend.catch(() => undefined); // loadClassifier reports it.

/** Waits for the backend, then loads and warms up the model (and its replay set, if any) from files already on their way. */
export async function loadClassifier(
  modelFiles: Promise<tf.io.ModelArtifacts>,
  replayFile: Promise<Uint8Array | undefined>,
): Promise<{ classifier: DigitClassifier; backend: string; backendMs: number }> {
  await backend;
  // The replay set only guards learning: a replay file that cannot be fetched or read must not stop reading.
  const replay = await replayFile
    .then((bytes) => (bytes ? parseReplaySet(bytes) : undefined))
    .catch((error: unknown) => {
      console.warn('No replay set; corrections will be learned unchecked:', error);
      return undefined;
    });
  const classifier = await loadDigitClassifier({ load: () => modelFiles }, replay);
  return { classifier, backend: tf.getBackend(), backendMs };
}

/** tfjs's live tensors and the wasm backend's memory (0 before it is up). */
export function tfjsMemory(): { numTensors: number; heapBytes: number } {
  if (backendMs === 0) return { numTensors: 0, heapBytes: 0 };
  const wasmBackend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return { numTensors: tf.memory().numTensors, heapBytes: wasmBackend.wasm?.HEAPU8?.buffer.byteLength ?? 0 };
}
