import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { DIGIT_CLASSES, MODEL_CLASSES, NOT_A_DIGIT } from './model';
import { readCrops } from './read-crops';

/** Side of the square input image the model reads. */
const INPUT_SIZE = 28;

/** The model's reading of one crop. */
export interface DigitPrediction {
  /** The most likely digit. */
  digit: number;
  /** Its softmax probability. */
  confidence: number;
  /** The second most likely digit and its probability. */
  runnerUp: { digit: number; confidence: number };
  /** Probability that the crop is not a digit at all (0 from a digits-only model). */
  notDigit: number;
}

/** A loaded, warmed-up digit classifier. */
export interface DigitClassifier {
  /** Reads all crops (each 784 values in [0, 1]) in one batched call, plus one for those that need a second look. */
  predict(crops: readonly Float32Array[]): DigitPrediction[];
  /** Frees the model's weights. */
  dispose(): void;
}

/**
 * Loads the layers model from a URL or an IOHandler, checks that it takes 28×28×1 images and
 * gives the ten digits and "not a digit" (or the ten digits alone, as older models did), and
 * warms it up so the first real call is not the slow one.
 */
export async function loadDigitClassifier(source: string | tf.io.IOHandler): Promise<DigitClassifier> {
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(source);
  } catch (error) {
    throw new Error(`The model could not be loaded: ${describe(error)}`);
  }
  const inputShape = model.inputs[0]?.shape;
  const outputShape = model.outputs[0]?.shape;
  if (
    model.inputs.length !== 1 ||
    inputShape?.slice(1).join() !== [INPUT_SIZE, INPUT_SIZE, 1].join() ||
    (outputShape?.[1] !== MODEL_CLASSES && outputShape?.[1] !== DIGIT_CLASSES)
  ) {
    model.dispose();
    throw new Error(`The model has the wrong shape: input ${JSON.stringify(inputShape)}, output ${JSON.stringify(outputShape)}`);
  }

  const classifier: DigitClassifier = {
    predict: (crops) => predictBatch(model, crops),
    dispose: () => model.dispose(),
  };
  // Warm-up compiles the wasm kernels' paths; batch 1 is what a single digit uses.
  classifier.predict([new Float32Array(INPUT_SIZE * INPUT_SIZE)]);
  return classifier;
}

function predictBatch(model: tfl.LayersModel, crops: readonly Float32Array[]): DigitPrediction[] {
  if (crops.length === 0) return [];
  const pixels = INPUT_SIZE * INPUT_SIZE;
  const batch = new Float32Array(crops.length * pixels);
  crops.forEach((crop, i) => {
    if (crop.length !== pixels) throw new Error(`A crop must have ${pixels} values, got ${crop.length}`);
    batch.set(crop, i * pixels);
  });
  const { probabilities, classes } = readCrops(model, batch, crops.length);
  return crops.map((_, i) => rankClasses(probabilities.subarray(i * classes, (i + 1) * classes)));
}

/** The digits ranked by probability, and the not-a-digit probability beside them. */
export function rankClasses(probabilities: Float32Array): DigitPrediction {
  const digits = probabilities.subarray(0, DIGIT_CLASSES);
  const order = Array.from(digits.keys()).sort((a, b) => digits[b] - digits[a]);
  return {
    digit: order[0],
    confidence: digits[order[0]],
    runnerUp: { digit: order[1], confidence: digits[order[1]] },
    notDigit: probabilities.length > NOT_A_DIGIT ? probabilities[NOT_A_DIGIT] : 0,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
