import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { A_MARK, DIGIT_CLASSES, MODEL_CLASSES, NOT_A_DIGIT } from './model';
import { augmentCrop, CORRECTION_VIEWS } from './augment-crop';
import { modelFingerprint } from './model-fingerprint';
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
  /**
   * Its prototypes as a classifier computed them before (kept with the correction on the device):
   * used as they are when they are this model's and sound, else computed again from the crop.
   */
  prototypes?: CorrectionPrototypes;
}

/** A correction's prototype embeddings, to keep with it so that a later start need not compute them again. */
export interface CorrectionPrototypes {
  /** The {@link DigitClassifier.fingerprint} of the classifier that computed them. */
  model: string;
  /** The crop's and each of its augmented views' L2-normalised embeddings, back to back (views × size). */
  embeddings: Float32Array;
}

/** What adding or replacing corrections did. */
export interface LearnResult {
  /** Corrections held now. */
  kept: number;
  /** Why they were not learned (the end of "Could not learn this correction: …"); absent when learned. */
  refused?: string;
  /** Of the corrections given and kept, how many came with prototypes that were used as they were. */
  reused: number;
  /**
   * The prototypes computed for the others (by their index in the list given; new arrays, the
   * classifier keeps none of them), to keep with the corrections. Empty when refused.
   */
  computed: { index: number; prototypes: CorrectionPrototypes }[];
}

/** A loaded, warmed-up digit classifier. */
export interface DigitClassifier {
  /**
   * Reads all crops (each 784 values in [0, 1]) in one batched call, plus one for those that need
   * a second look; with a person's corrections kept, their prototypes' evidence is blended in.
   */
  predict(crops: readonly Float32Array[]): DigitPrediction[];
  /**
   * Names the model's files and how a correction's prototypes are derived from them: prototypes
   * computed under another fingerprint are never reused (a new model re-derives them from the crops).
   */
  readonly fingerprint: string;
  /** Replaces the person's corrections (the latest KEPT_PER_LABEL per label are kept). */
  setCorrections(corrections: readonly LabelledCrop[]): LearnResult;
  /**
   * Adds corrections after those kept (oldest dropped past the bound), unless learning them would
   * change how any crop of the replay set reads: then nothing changes and `refused` says why.
   */
  addCorrections(corrections: readonly LabelledCrop[]): LearnResult;
  /**
   * Reads up to `count` more crops of the replay set ahead of the first correction, so that one
   * is learned as fast as the later ones; true while some are left. The worker calls it in slices
   * when idle; a correction that comes first reads what is left at once.
   */
  readReplayAhead(count: number): boolean;
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
  let fingerprint: string;
  try {
    // The files are read once, here, so that the fingerprint is of exactly what is loaded.
    const handler = typeof source === 'string' ? (tf.io.getLoadHandlers(source)[0] ?? tf.io.http(source)) : source;
    if (!handler.load) throw new Error('the model source cannot be loaded from');
    const artifacts = await handler.load();
    fingerprint = modelFingerprint(artifacts, { views: CORRECTION_VIEWS, format: PROTOTYPE_FORMAT });
    model = await tfl.loadLayersModel({ load: async () => artifacts });
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
  const embeddingSize = embedder.outputs[0].shape[1] as number;
  /** Floats in one correction's prototypes: its views, each an embedding of the penultimate layer's size. */
  const prototypeFloats = augmentCrop(new Float32Array(INPUT_SIZE * INPUT_SIZE)).length * embeddingSize;
  /** Each kept correction's prototypes: its crop's and its augmented views' (the bound counts corrections, not views). */
  let kept: { classIndex: number; prototypes: Prototype[] }[] = [];
  let prototypes: Prototype[] = [];
  // Read ahead in slices after start-up, or at the first correction, never at load: start-up (the
  // first reading) does not wait for it.
  let replayReading: ReplayReading | undefined;
  const replayParts: ReplayReading[] = [];
  let replayReadTo = 0;
  const readReplayPart = (count: number) => {
    if (!replay || replayReading) return;
    const end = Math.min(replay.labels.length, replayReadTo + count);
    const pixels = INPUT_SIZE * INPUT_SIZE;
    if (end > replayReadTo) replayParts.push(readReplay(model, embedder, { labels: replay.labels.subarray(replayReadTo, end), crops: replay.crops.subarray(replayReadTo * pixels, end * pixels) }));
    replayReadTo = end;
    if (replayReadTo === replay.labels.length) replayReading = joinReplayParts(replay.labels, replayParts.splice(0));
  };
  /**
   * Keeps the latest corrections per label with their prototypes: those given and sound are used
   * as they are, the others' crops and views are embedded (in one batch); unless `guarded` and
   * they harm the replay set.
   */
  const keep = (all: readonly LabelledCrop[], guarded: boolean): LearnResult => {
    all.forEach((c) => classOfLabel(c.label)); // Throws on a bad label before anything changes.
    // Bounded before embedding: newer than every correction kept, the latest of each label are the ones that stay.
    const corrections = keepLatestPerLabel(
      all.map((correction, index) => ({ correction, index })),
      ({ correction }) => classOfLabel(correction.label),
    );
    const given = corrections.map(({ correction }) => soundPrototypes(correction.prototypes, fingerprint, prototypeFloats, embeddingSize));
    const toEmbed = corrections.filter((_, i) => given[i] === undefined);
    const embedded = embedViews(model, embedder, toEmbed.map(({ correction }) => correction.crop));
    let next = 0;
    const added = corrections.map(({ correction }, i) => {
      const embeddings = given[i] ?? embedded[next++];
      return { classIndex: classOfLabel(correction.label), prototypes: splitPrototypes(embeddings, classOfLabel(correction.label), embeddingSize) };
    });
    const nextKept = keepLatestPerLabel([...kept, ...added], (k) => k.classIndex);
    const nextPrototypes = nextKept.flatMap((k) => k.prototypes);
    if (guarded && replay) {
      readReplayPart(Infinity);
      const read = replayReading!;
      const harms = replayHarms(read, prototypes, nextPrototypes);
      if (harms.length > 0) return { kept: kept.length, refused: describeHarms(harms, read.labels.length), reused: 0, computed: [] };
    }
    kept = nextKept;
    prototypes = nextPrototypes;
    // Copies go out: the caller may transfer them, and the prototypes kept here view the originals.
    const computed = toEmbed.map(({ index }, i) => ({ index, prototypes: { model: fingerprint, embeddings: embedded[i].slice() } }));
    return { kept: kept.length, reused: corrections.length - toEmbed.length, computed };
  };
  const classifier: DigitClassifier = {
    predict: (crops) => predictBatch(model, crops, prototypes.length > 0 ? { embedder, prototypes } : undefined),
    fingerprint,
    setCorrections(corrections) {
      kept = [];
      prototypes = [];
      // Not checked: each was learned (checked) when it was made, and a stored set must come back whole.
      return keep(corrections, false);
    },
    addCorrections: (corrections) => keep(corrections, true),
    readReplayAhead(count) {
      readReplayPart(Math.max(1, count));
      return replay !== undefined && replayReading === undefined;
    },
    dispose: () => model.dispose(),
  };
  // Warm-up compiles the wasm kernels' paths; batch 1 is what a single digit uses. The embedder
  // too: the first correction, or a start-up with corrections kept, is then not the slow one.
  classifier.predict([new Float32Array(INPUT_SIZE * INPUT_SIZE)]);
  readCrops(model, new Float32Array(INPUT_SIZE * INPUT_SIZE), 1, embedder);
  return classifier;
}

/**
 * Bumped when a correction's prototypes are derived from its crop differently other than by the
 * model or CORRECTION_VIEWS (which the fingerprint covers), e.g. the embeddings' normalisation:
 * prototypes kept on a device under the old way are then computed again.
 */
const PROTOTYPE_FORMAT = 1;

/** Each crop's views' embeddings, one array (views × size) per crop; all views in one batched call. */
function embedViews(model: tfl.LayersModel, embedder: tfl.LayersModel, crops: readonly Float32Array[]): Float32Array[] {
  const views = crops.map((crop) => augmentCrop(crop));
  const all = views.flat();
  if (all.length === 0) return [];
  const embeddings = readCrops(model, stack(all), all.length, embedder).embeddings!;
  const size = embeddings.length / all.length;
  let first = 0;
  return views.map((own) => {
    const start = first;
    first += own.length;
    return embeddings.slice(start * size, first * size);
  });
}

/** One correction's embeddings (views × size) as prototypes of its class; views into `embeddings`. */
function splitPrototypes(embeddings: Float32Array, classIndex: number, size: number): Prototype[] {
  return Array.from({ length: embeddings.length / size }, (_, v) => ({ classIndex, embedding: embeddings.subarray(v * size, (v + 1) * size) }));
}

/** Largest error in a kept embedding's squared length (1, or 0 for an all-zero one) still taken as sound float32 rounding. */
const NORM_TOLERANCE = 1e-3;

/**
 * A correction's given embeddings, if they can stand for it: this model's (same fingerprint), a
 * Float32Array of the right length, every view's embedding finite and of length 1 (or all zero,
 * as a blank view gives). Anything else (another model, a store that was damaged, an old format)
 * is undefined, and the crop is embedded again.
 */
function soundPrototypes(given: CorrectionPrototypes | undefined, fingerprint: string, floats: number, size: number): Float32Array | undefined {
  if (typeof given !== 'object' || given === null || given.model !== fingerprint) return undefined;
  const { embeddings } = given;
  if (!(embeddings instanceof Float32Array) || embeddings.length !== floats) return undefined;
  for (let start = 0; start < floats; start += size) {
    let sum = 0;
    for (let i = start; i < start + size; i++) sum += embeddings[i] * embeddings[i];
    // NaN fails both tests.
    if (!(Math.abs(sum - 1) <= NORM_TOLERANCE || sum === 0)) return undefined;
  }
  return embeddings;
}

/** The replay set read once, with embeddings: each correction's check is then arithmetic alone. */
function readReplay(model: tfl.LayersModel, embedder: tfl.LayersModel, replay: ReplaySet): ReplayReading {
  const read = readCrops(model, replay.crops, replay.labels.length, embedder);
  return { labels: replay.labels, probabilities: read.probabilities, classes: read.classes, embeddings: read.embeddings! };
}

/** The replay set's readings of consecutive slices, as one reading. */
function joinReplayParts(labels: Uint8Array, parts: readonly ReplayReading[]): ReplayReading {
  const join = (arrays: Float32Array[]) => {
    const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
    let at = 0;
    for (const a of arrays) {
      out.set(a, at);
      at += a.length;
    }
    return out;
  };
  return { labels, classes: parts[0]?.classes ?? 0, probabilities: join(parts.map((p) => p.probabilities)), embeddings: join(parts.map((p) => p.embeddings)) };
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
 * input of the last layer) and the softmax. For an ensemble whose last layer averages its
 * members' softmax outputs, the members' penultimate activations side by side. Dispose it with
 * `dispose()` only if `model` goes too: the layers, and so the weights, are shared.
 */
export function createEmbedder(model: tfl.LayersModel): tfl.LayersModel {
  const last = model.layers[model.layers.length - 1];
  const heads = Array.isArray(last.input) ? last.input.map((memberOutput) => memberOutput.sourceLayer) : [last];
  const penultimates = heads.map((head) => head.input);
  if (penultimates.some((p) => Array.isArray(p) || p.shape.length !== 2)) throw new Error('The model has no flat penultimate layer');
  const flat = penultimates as tfl.SymbolicTensor[];
  const embedding = flat.length === 1 ? flat[0] : (tfl.layers.concatenate({ name: 'embedding' }).apply(flat) as tfl.SymbolicTensor);
  return tfl.model({ inputs: model.inputs, outputs: [embedding, model.outputs[0]] });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
