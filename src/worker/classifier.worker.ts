import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs-core';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import { useWasmBackend } from '../inference/backend';
import { loadDigitClassifier, type DigitClassifier } from '../inference/classifier';
import type { ClassifierApi } from './contract';

// The backend needs nothing from the page, so it starts the moment this worker runs.
// The threaded build is left out: threads need cross-origin isolation, which a static host rarely gives.
let backendMs = 0;
const backend = useWasmBackend({
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
}).then(() => {
  backendMs = performance.now();
});
backend.catch(() => undefined); // init reports it.

let classifier: Promise<DigitClassifier> | undefined;

/** Size of the tfjs wasm backend's memory (0 before it is up). */
function heapBytes(): number {
  if (backendMs === 0) return 0;
  const wasmBackend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return wasmBackend.wasm?.HEAPU8?.buffer.byteLength ?? 0;
}

const api: ClassifierApi = {
  async init({ modelUrl }) {
    // The model's files need no backend: fetch them while it starts. Their errors surface through
    // loadDigitClassifier, which says that the model could not be loaded.
    const modelHttp = tf.io.http(modelUrl);
    const modelFiles = modelHttp.load ? modelHttp.load() : Promise.reject(new Error('tfjs cannot load models over HTTP'));
    modelFiles.catch(() => undefined);
    await backend;
    const starting = (classifier ??= loadDigitClassifier({ load: () => modelFiles }));
    starting.catch(() => {
      // A failed load may be retried by a later init.
      if (classifier === starting) classifier = undefined;
    });
    await starting;
    return { backend: tf.getBackend(), createdAt: performance.timeOrigin, tfjsBackendMs: backendMs, modelMs: performance.now() };
  },

  async classify(crops) {
    if (!classifier) throw new Error('The classifier is not started');
    return (await classifier).predict(crops);
  },

  async memory() {
    return { numTensors: backendMs === 0 ? 0 : tf.memory().numTensors, heapBytes: heapBytes() };
  },

  async crashForTest() {
    // Outside comlink's reach, which would return the error to the caller.
    setTimeout(() => {
      throw new Error('Crash requested by a test');
    });
  },
};
Comlink.expose(api);
