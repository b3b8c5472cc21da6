import * as tfl from '@tensorflow/tfjs-layers';
import { MNIST_SIZE } from '../pipeline/options';

/** Side of the square image the model reads (the pipeline's 28×28 MNIST-normalised crop). */
export const MODEL_INPUT_SIZE = MNIST_SIZE;

/** Input tensor shape per digit: height, width, one channel (ink = 1, background = 0). */
export const MODEL_INPUT_SHAPE = [MODEL_INPUT_SIZE, MODEL_INPUT_SIZE, 1] as const;

/** Number of classes: the digits 0–9, in order, so the argmax is the digit. */
export const DIGIT_CLASSES = 10;

/** Options for {@link createDigitModel}; the defaults are what the shipped model was trained with. */
export interface DigitModelOptions {
  /** Seed for the weight initialisers, so a training run is reproducible. */
  seed?: number;
  /** Dropout before the classifier; only active while training. */
  dropout?: number;
}

/**
 * Builds the digit classifier: conv32-conv32-pool-conv64-conv64-pool-dense128-dropout-dense10
 * with valid padding (~200k parameters, ~0.8 MB as float32). No batch norm: it makes wasm training
 * ~2.2× slower for little gain at this size. Input [null, 28, 28, 1] in [0, 1]; softmax over 0–9.
 */
export function createDigitModel({ seed = 1, dropout = 0.4 }: DigitModelOptions = {}): tfl.Sequential {
  // Each layer gets its own seed: with one shared seed, same-shaped kernels would start identical.
  let layerSeed = seed * 1000;
  const init = () => tfl.initializers.heNormal({ seed: layerSeed++ });
  const conv = (filters: number, inputShape?: readonly number[]) =>
    tfl.layers.conv2d({
      filters,
      kernelSize: 3,
      padding: 'valid',
      activation: 'relu',
      kernelInitializer: init(),
      ...(inputShape ? { inputShape: [...inputShape] } : {}),
    });

  const model = tfl.sequential({ name: 'digitpad' });
  model.add(conv(32, MODEL_INPUT_SHAPE)); // 26×26
  model.add(conv(32)); // 24×24
  model.add(tfl.layers.maxPooling2d({ poolSize: 2 })); // 12×12
  model.add(conv(64)); // 10×10
  model.add(conv(64)); // 8×8
  model.add(tfl.layers.maxPooling2d({ poolSize: 2 })); // 4×4
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: 128, activation: 'relu', kernelInitializer: init() }));
  model.add(tfl.layers.dropout({ rate: dropout }));
  model.add(
    tfl.layers.dense({
      units: DIGIT_CLASSES,
      activation: 'softmax',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: layerSeed++ }),
    }),
  );
  return model;
}
