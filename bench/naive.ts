import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * The path a person would get from the usual tutorial: tfjs with its default backend (webgl, the
 * highest-priority one registered; cpu if WebGL cannot start) on the main thread, and the whole
 * pad squashed to 28×28 with drawImage: no segmentation, one digit at most.
 */

/** What loading the baseline cost, in ms. */
export interface NaiveReady {
  backend: string;
  /** tf.ready(): the default backend started. */
  backendMs: number;
  modelMs: number;
  /** The first predict (webgl compiles its shaders here). */
  firstCallMs: number;
  totalMs: number;
}

/** One reading by the baseline, in ms. */
export interface NaiveReading {
  text: string;
  /** drawImage to 28×28 and reading the pixels back. */
  squashMs: number;
  /** tensor → predict → dataSync (a GPU read-back on webgl). */
  predictMs: number;
  totalMs: number;
}

const SIZE = 28;
let model: tfl.LayersModel | undefined;
let small: CanvasRenderingContext2D | undefined;

/** Starts the default backend, loads the app's model and runs it once. */
export async function loadNaive(modelUrl: string): Promise<NaiveReady> {
  const started = performance.now();
  await tf.ready();
  const backendReady = performance.now();
  model = await tfl.loadLayersModel(modelUrl);
  const loaded = performance.now();
  tf.tidy(() => (model!.predict(tf.zeros([1, SIZE, SIZE, 1])) as tf.Tensor).dataSync());
  const warmed = performance.now();
  return {
    backend: tf.getBackend(),
    backendMs: backendReady - started,
    modelMs: loaded - backendReady,
    firstCallMs: warmed - loaded,
    totalMs: warmed - started,
  };
}

/** Reads the whole canvas as one digit (ink is its alpha, as the app's pad paints it). */
export function readNaive(canvas: HTMLCanvasElement): NaiveReading {
  if (!model) throw new Error('loadNaive first');
  const started = performance.now();
  if (!small) {
    const c = document.createElement('canvas');
    c.width = SIZE;
    c.height = SIZE;
    small = c.getContext('2d', { willReadFrequently: true })!;
  }
  small.clearRect(0, 0, SIZE, SIZE);
  small.drawImage(canvas, 0, 0, SIZE, SIZE);
  const { data } = small.getImageData(0, 0, SIZE, SIZE);
  const pixels = new Float32Array(SIZE * SIZE);
  for (let i = 0; i < pixels.length; i++) pixels[i] = data[i * 4 + 3] / 255;
  const squashed = performance.now();
  const probabilities = tf.tidy(() => (model!.predict(tf.tensor4d(pixels, [1, SIZE, SIZE, 1])) as tf.Tensor).dataSync());
  let best = 0;
  for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[best]) best = i;
  const finished = performance.now();
  return { text: String(best), squashMs: squashed - started, predictMs: finished - squashed, totalMs: finished - started };
}
