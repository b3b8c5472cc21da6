import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
// tfjs-layers' Node bundle registers tfjs-core's gradient functions; without it nothing trains.
import '@tensorflow/tfjs-layers';
import { registerWasmConvGradients } from './registerWasmConvGradients';
import { registerWasmMatMulTranspose } from './registerWasmMatMulTranspose';
import { registerWasmMaxPoolGrad } from './registerWasmMaxPoolGrad';

/** Registers the wasm kernels training needs (conv gradients) and faster training-only paths. */
export function registerWasmTrainingKernels(): void {
  registerWasmConvGradients();
  registerWasmMatMulTranspose();
  registerWasmMaxPoolGrad();
}

/**
 * Switches tfjs to the wasm backend with the training kernels registered, for training and
 * evaluation in Node. Throws if wasm did not initialise: setBackend() reports failure by returning false, and
 * tfjs would otherwise carry on silently on another backend.
 */
export async function useWasmBackend(): Promise<void> {
  registerWasmTrainingKernels();
  const ok = await tf.setBackend('wasm');
  if (!ok || tf.getBackend() !== 'wasm') throw new Error(`wasm backend failed to initialise (backend: ${tf.getBackend()})`);
  await tf.ready();
}
