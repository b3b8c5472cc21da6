import { useWasmBackend } from '../inference/backend';
// tfjs-layers' Node bundle registers tfjs-core's gradient functions; without it nothing trains.
import '@tensorflow/tfjs-layers';
import { registerWasmConvGradients } from './register-wasm-conv-gradients';
import { registerWasmMatMulTranspose } from './register-wasm-mat-mul-transpose';
import { registerWasmMaxPoolGrad } from './register-wasm-max-pool-grad';

/** Registers the wasm kernels training needs (conv gradients) and faster training-only paths. */
export function registerWasmTrainingKernels(): void {
  registerWasmConvGradients();
  registerWasmMatMulTranspose();
  registerWasmMaxPoolGrad();
}

/** Switches tfjs to the wasm backend with the training kernels registered, for training and evaluation in Node. */
export async function useWasmTrainingBackend(): Promise<void> {
  registerWasmTrainingKernels();
  await useWasmBackend();
}
