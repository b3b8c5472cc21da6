import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { A_MARK, DIGIT_CLASSES, MODEL_CLASSES, NOT_A_DIGIT } from './model';
import { augmentCrop } from './augment-crop';
import { blendRows, classOfLabel, keepLatestPerLabel, type CorrectionLabel, type Prototype } from './personal-prototypes';
import { readCrops } from './read-crops';
import { describeHarms, replayHarms, type ReplayReading, type ReplaySet } from './replay-guard';

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
  /** Probability that the crop is not a digit at all: a wrong cut or a mark (0 from a digits-only model). */
  notDigit: number;
  /** Of that, the probability that it is a whole mark, a letter or a symbol (0 from a model without that class). */
  mark: number;
}

/** A crop a person corrected, and what they said it is. */
export interface LabelledCrop {
  /** The 28×28 crop the app read, values in [0, 1]. */
  crop: Float32Array;
  label: CorrectionLabel;
}

/** What adding corrections did. */
export interface LearnResult {
  /** Corrections held now. */
  kept: number;
  /** Why they were not learned (the end of "Could not learn this correction: …"); absent when learned. */
  refused?: string;
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
  /**
   * Adds corrections after those kept (oldest dropped past the bound), unless learning them would
   * change how any crop of the replay set reads: then nothing changes and `refused` says why.
   */
  addCorrections(corrections: readonly LabelledCrop[]): LearnResult;
  /** Frees the model's weights. */
  dispose(): void;
}

/**
 * Loads the layers model from a URL or an IOHandler, checks that it takes 28×28×1 images and
 * gives the ten digits and "not a digit" (or the ten digits alone, as older models did), and
 * warms it up so the first real call is not the slow one. With a replay set, every correction
 * added is checked against it (see {@link DigitClassifier.addCorrections}); it is read at the first.
 */
export async function loadDigitClassifier(source: string | tf.io.IOHandler, replay?: ReplaySet): Promise<DigitClassifier> {
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
    ![DIGIT_CLASSES, NOT_A_DIGIT + 1, MODEL_CLASSES].includes(outputShape?.[1] ?? 0)
  ) {
    model.dispose();
    throw new Error(`The model has the wrong shape: input ${JSON.stringify(inputShape)}, output ${JSON.stringify(outputShape)}`);
  }

  const embedder = createEmbedder(model);
  /** Each kept correction's prototypes: its crop's and its augmented views' (the bound counts corrections, not views). */
  let kept: { classIndex: number; prototypes: Prototype[] }[] = [];
  let prototypes: Prototype[] = [];
  // Read at the first correction, not at load: start-up (the first reading) does not wait for it.
  let replayReading: ReplayReading | undefined;
  /** Embeds corrections with their views and keeps the latest per label, unless `guarded` and they harm the replay set. */
  const keep = (all: readonly LabelledCrop[], guarded: boolean): LearnResult => {
    all.forEach((c) => classOfLabel(c.label)); // Throws on a bad label before anything changes.
    // Bounded before embedding: newer than every correction kept, the latest of each label are the ones that stay.
    const corrections = keepLatestPerLabel(all, (c) => classOfLabel(c.label));
    const classes = corrections.map((c) => classOfLabel(c.label));
    const views = corrections.map((c) => augmentCrop(c.crop));
    const crops = views.flat();
    const embeddings = crops.length === 0 ? undefined : readCrops(model, stack(crops), crops.length, embedder).embeddings!;
    const size = embeddings ? embeddings.length / crops.length : 0;
    let first = 0;
    const added = classes.map((classIndex, i) => {
      const ownViews = views[i].map((_, v) => ({ classIndex, embedding: embeddings!.slice((first + v) * size, (first + v + 1) * size) }));
      first += views[i].length;
      return { classIndex, prototypes: ownViews };
    });
    const nextKept = keepLatestPerLabel([...kept, ...added], (k) => k.classIndex);
    const nextPrototypes = nextKept.flatMap((k) => k.prototypes);
    if (guarded && replay) {
      replayReading ??= readReplay(model, embedder, replay);
      const harms = replayHarms(replayReading, prototypes, nextPrototypes);
      if (harms.length > 0) return { kept: kept.length, refused: describeHarms(harms, replayReading.labels.length) };
    }
    kept = nextKept;
    prototypes = nextPrototypes;
    return { kept: kept.length };
  };
  const classifier: DigitClassifier = {
    predict: (crops) => predictBatch(model, crops, prototypes.length > 0 ? { embedder, prototypes } : undefined),
    setCorrections(corrections) {
      kept = [];
      prototypes = [];
      // Not checked: each was learned (checked) when it was made, and a stored set must come back whole.
      return keep(corrections, false).kept;
    },
    addCorrections: (corrections) => keep(corrections, true),
    dispose: () => model.dispose(),
  };
  // Warm-up compiles the wasm kernels' paths; batch 1 is what a single digit uses. The embedder
  // too: the first correction, or a start-up with corrections kept, is then not the slow one.
  classifier.predict([new Float32Array(INPUT_SIZE * INPUT_SIZE)]);
  readCrops(model, new Float32Array(INPUT_SIZE * INPUT_SIZE), 1, embedder);
  return classifier;
}

/** The replay set read once, with embeddings: each correction's check is then arithmetic alone. */
function readReplay(model: tfl.LayersModel, embedder: tfl.LayersModel, replay: ReplaySet): ReplayReading {
  const read = readCrops(model, replay.crops, replay.labels.length, embedder);
  return { labels: replay.labels, probabilities: read.probabilities, classes: read.classes, embeddings: read.embeddings! };
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

/** The digits ranked by probability, and the not-a-digit and mark probabilities beside them. */
export function rankClasses(probabilities: Float32Array): DigitPrediction {
  let notDigit = 0;
  for (let c = NOT_A_DIGIT; c < probabilities.length; c++) notDigit += probabilities[c];
  const digits = probabilities.subarray(0, DIGIT_CLASSES);
  const order = Array.from(digits.keys()).sort((a, b) => digits[b] - digits[a]);
  return {
    digit: order[0],
    confidence: digits[order[0]],
    runnerUp: { digit: order[1], confidence: digits[order[1]] },
    notDigit,
    mark: probabilities.length > A_MARK ? probabilities[A_MARK] : 0,
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
