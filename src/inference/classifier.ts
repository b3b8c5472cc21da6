import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { DIGIT_CLASSES, MODEL_CLASSES, NOT_A_DIGIT } from './model';
import { blendRows, classOfLabel, keepLatestPerLabel, type CorrectionLabel, type Prototype } from './personal-prototypes';
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

/** A crop a person corrected, and what they said it is. */
export interface LabelledCrop {
  /** The 28×28 crop the app read, values in [0, 1]. */
  crop: Float32Array;
  label: CorrectionLabel;
}

/** A loaded, warmed-up digit classifier. */
export interface DigitClassifier {
  /**
   * Reads all crops (each 784 values in [0, 1]) in one batched call, plus one for those that need
   * a second look; with a person's corrections kept, their prototypes' evidence is blended in.
   */
  predict(crops: readonly Float32Array[]): DigitPrediction[];
  /** Replaces the person's corrections (the latest KEPT_PER_LABEL per label are kept); returns how many are kept. */
  setCorrections(corrections: readonly LabelledCrop[]): number;
  /** Adds corrections after those kept (oldest dropped past the bound); returns how many are kept. */
  addCorrections(corrections: readonly LabelledCrop[]): number;
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

  const embedder = createEmbedder(model);
  let prototypes: Prototype[] = [];
  /** Embeds corrections and keeps the latest per label. */
  const keep = (corrections: readonly LabelledCrop[]): number => {
    const classes = corrections.map((c) => classOfLabel(c.label)); // Throws on a bad label before anything changes.
    const embeddings = corrections.length === 0 ? undefined : readCrops(model, stack(corrections.map((c) => c.crop)), corrections.length, embedder).embeddings!;
    const size = embeddings ? embeddings.length / corrections.length : 0;
    const added = classes.map((classIndex, i) => ({ classIndex, embedding: embeddings!.slice(i * size, (i + 1) * size) }));
    prototypes = keepLatestPerLabel([...prototypes, ...added], (p) => p.classIndex);
    return prototypes.length;
  };
  const classifier: DigitClassifier = {
    predict: (crops) => predictBatch(model, crops, prototypes.length > 0 ? { embedder, prototypes } : undefined),
    setCorrections(corrections) {
      prototypes = [];
      return keep(corrections);
    },
    addCorrections: keep,
    dispose: () => model.dispose(),
  };
  // Warm-up compiles the wasm kernels' paths; batch 1 is what a single digit uses. The embedder
  // too: the first correction, or a start-up with corrections kept, is then not the slow one.
  classifier.predict([new Float32Array(INPUT_SIZE * INPUT_SIZE)]);
  readCrops(model, new Float32Array(INPUT_SIZE * INPUT_SIZE), 1, embedder);
  return classifier;
}

/** Crops back to back, each checked to be 28×28. */
function stack(crops: readonly Float32Array[]): Float32Array {
  const pixels = INPUT_SIZE * INPUT_SIZE;
  const batch = new Float32Array(crops.length * pixels);
  crops.forEach((crop, i) => {
    if (crop.length !== pixels) throw new Error(`A crop must have ${pixels} values, got ${crop.length}`);
    batch.set(crop, i * pixels);
  });
  return batch;
}

function predictBatch(model: tfl.LayersModel, crops: readonly Float32Array[], personal?: { embedder: tfl.LayersModel; prototypes: readonly Prototype[] }): DigitPrediction[] {
  if (crops.length === 0) return [];
  const read = readCrops(model, stack(crops), crops.length, personal?.embedder);
  const { classes } = read;
  const probabilities = personal && read.embeddings ? blendRows(read.probabilities, classes, read.embeddings, personal.prototypes) : read.probabilities;
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

/**
 * A model sharing `model`'s layers with two outputs: the penultimate layer's activations (the
 * input of the last layer) and the softmax. Dispose it with `dispose()` only if `model` goes too:
 * the layers, and so the weights, are shared.
 */
export function createEmbedder(model: tfl.LayersModel): tfl.LayersModel {
  const last = model.layers[model.layers.length - 1];
  const penultimate = last.input;
  if (Array.isArray(penultimate) || penultimate.shape.length !== 2) throw new Error('The model has no flat penultimate layer');
  return tfl.model({ inputs: model.inputs, outputs: [penultimate, model.outputs[0]] });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
