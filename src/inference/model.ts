import * as tfl from '@tensorflow/tfjs-layers';

import { MODEL_CLASSES, MODEL_INPUT_SHAPE } from './model-shape';

export { A_MARK, DIGIT_CLASSES, MODEL_CLASSES, MODEL_INPUT_SHAPE, MODEL_INPUT_SIZE, NOT_A_DIGIT } from './model-shape';

/** Options for {@link createDigitModel}; the defaults are what the shipped model was trained with. */
export interface DigitModelOptions {
  /** Seed for the weight initialisers, so a training run is reproducible. */
  seed?: number;
  /** Dropout before the classifier; only active while training. */
  dropout?: number;
  /** Filters of the last convolution and units of the hidden dense layer (see {@link DIGIT_MODEL_WIDTHS}). */
  widths?: DigitModelWidths;
}

/** The widths of the layers that carry most of the model's capacity. */
export interface DigitModelWidths {
  conv4: number;
  dense: number;
}

/** The widths a new model gets; a model loaded from files has its own. */
export const DIGIT_MODEL_WIDTHS: Readonly<DigitModelWidths> = { conv4: 64, dense: 128 };

/** One-line description of {@link createDigitModel}'s layers, for the model card. */
export function digitModelArchitecture({ conv4, dense }: DigitModelWidths = DIGIT_MODEL_WIDTHS): string {
  return `conv3×3(32)-conv3×3/2(32)-conv3×3(64)-conv3×3/2(${conv4})-dense(${dense})-dropout-dense(12, softmax: 0–9, a wrong cut, a mark); ReLU, valid padding, strided convolutions instead of pooling, no batch norm`;
}

/** The classifier's layers, in order; `namePrefix` names them (ensemble members), else tfjs numbers them. */
function digitLayers({ seed = 1, dropout = 0.4, widths = DIGIT_MODEL_WIDTHS }: DigitModelOptions, namePrefix?: string): tfl.layers.Layer[] {
  // Each layer gets its own seed: with one shared seed, same-shaped kernels would start identical.
  let layerSeed = seed * 1000;
  const init = () => tfl.initializers.heNormal({ seed: layerSeed++ });
  const named = (name: string) => (namePrefix ? { name: `${namePrefix}${name}` } : {});
  const conv = (name: string, filters: number, strides: 1 | 2, inputShape?: readonly number[]) =>
    tfl.layers.conv2d({
      filters,
      kernelSize: 3,
      strides,
      padding: 'valid',
      activation: 'relu',
      kernelInitializer: init(),
      ...(inputShape ? { inputShape: [...inputShape] } : {}),
      ...named(name),
    });
  return [
    conv('conv1', 32, 1, MODEL_INPUT_SHAPE), // 26×26
    conv('conv2', 32, 2), // 12×12
    conv('conv3', 64, 1), // 10×10
    conv('conv4', widths.conv4, 2), // 4×4
    tfl.layers.flatten(named('flatten')),
    tfl.layers.dense({ units: widths.dense, activation: 'relu', kernelInitializer: init(), ...named('dense1') }),
    tfl.layers.dropout({ rate: dropout, ...named('dropout') }),
    tfl.layers.dense({
      units: MODEL_CLASSES,
      activation: 'softmax',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: layerSeed++ }),
      ...named('dense2'),
    }),
  ];
}

/**
 * Builds the digit classifier: conv32-conv32/2-conv64-conv64/2-dense128-dropout-dense10 with
 * valid padding (~200k parameters). Downsampling by stride-2 convolutions rather than conv + pool
 * costs 4.0M multiply-adds per digit instead of 9.7M (≤ 1 ms per digit on wasm), for the same
 * parameters. No batch norm: it makes wasm training ~2.2× slower for little gain at this size.
 * Input [null, 28, 28, 1] in [0, 1]; softmax over 0–9, a wrong cut and a mark.
 */
export function createDigitModel(options: DigitModelOptions = {}): tfl.Sequential {
  const model = tfl.sequential({ name: 'digitpad' });
  for (const layer of digitLayers(options)) model.add(layer);
  return model;
}

/** An ensemble of {@link createDigitModel} networks and each member's layers (to load its weights into). */
export interface DigitEnsemble {
  model: tfl.LayersModel;
  /** Per member, its layers in createDigitModel's order, so its trainable weights come in the same order. */
  memberLayers: tfl.layers.Layer[][];
}

/**
 * Builds `members` copies of the classifier side by side on one input, averaging their softmax
 * outputs: one model file, one batched call. Layers are named memberN_… so the saved weights of
 * different members never share a name.
 */
export function createDigitEnsemble(members: number): DigitEnsemble {
  const input = tfl.input({ shape: [...MODEL_INPUT_SHAPE], name: 'digit' });
  const memberLayers = Array.from({ length: members }, (_, m) => digitLayers({ seed: m + 1 }, `member${m + 1}_`));
  const outputs = memberLayers.map((layers) => layers.reduce<tfl.SymbolicTensor>((x, layer) => layer.apply(x) as tfl.SymbolicTensor, input));
  const output = members === 1 ? outputs[0] : (tfl.layers.average({ name: 'average' }).apply(outputs) as tfl.SymbolicTensor);
  return { model: tfl.model({ inputs: input, outputs: output, name: 'digitpad_ensemble' }), memberLayers };
}
