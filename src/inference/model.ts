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

/** One-line description of {@link createDigitModel}'s layers, for the model card. */
export const DIGIT_MODEL_ARCHITECTURE =
  'conv3×3(32)-conv3×3/2(32)-conv3×3(64)-conv3×3/2(64)-dense(128)-dropout-dense(10, softmax); ReLU, valid padding, strided convolutions instead of pooling, no batch norm';

/**
 * Builds the digit classifier: conv32-conv32/2-conv64-conv64/2-dense128-dropout-dense10 with
 * valid padding (~200k parameters). Downsampling by stride-2 convolutions rather than conv + pool
 * costs 4.0M multiply-adds per digit instead of 9.7M (≤ 1 ms per digit on wasm), for the same
 * parameters. No batch norm: it makes wasm training ~2.2× slower for little gain at this size.
 * Input [null, 28, 28, 1] in [0, 1]; softmax over 0–9.
 */
export function createDigitModel({ seed = 1, dropout = 0.4 }: DigitModelOptions = {}): tfl.Sequential {
  // Each layer gets its own seed: with one shared seed, same-shaped kernels would start identical.
  let layerSeed = seed * 1000;
  const init = () => tfl.initializers.heNormal({ seed: layerSeed++ });
  const conv = (filters: number, strides: 1 | 2, inputShape?: readonly number[]) =>
    tfl.layers.conv2d({
      filters,
      kernelSize: 3,
      strides,
      padding: 'valid',
      activation: 'relu',
      kernelInitializer: init(),
      ...(inputShape ? { inputShape: [...inputShape] } : {}),
    });

  const model = tfl.sequential({ name: 'digitpad' });
  model.add(conv(32, 1, MODEL_INPUT_SHAPE)); // 26×26
  model.add(conv(32, 2)); // 12×12
  model.add(conv(64, 1)); // 10×10
  model.add(conv(64, 2)); // 4×4
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
