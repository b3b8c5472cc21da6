import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs-core';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import { useWasmBackend } from '../inference/backend';
import { loadDigitClassifier, type DigitClassifier } from '../inference/classifier';
import { formatReading, readDigits } from '../inference/read-digits';
import { segmentDigits } from '../pipeline/segment';
import type { CV } from '../pipeline/opencv-types';
import type { InkImage } from '../pipeline/types';
import { loadOpenCv } from './load-opencv';
import type { Recognition, RecognizerApi, RecognizerConfig, RecognizerReady, RecognizerStats } from './contract';

let engine: Promise<{ cv: CV; classifier: DigitClassifier }> | undefined;
let recognitions = 0;

async function startEngine(config: RecognizerConfig): Promise<{ cv: CV; classifier: DigitClassifier; ready: RecognizerReady }> {
  const started = performance.now();
  // OpenCV and the model load in parallel: neither needs the other.
  const opencv = timed(loadOpenCv());
  // The threaded build is left out: threads need cross-origin isolation, which a static host rarely gives.
  const model = timed(
    useWasmBackend({
      'tfjs-backend-wasm.wasm': wasmPlainUrl,
      'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    }).then(() => loadDigitClassifier(config.modelUrl)),
  );
  const [cv, classifier] = await Promise.all([opencv, model]);
  return {
    cv: cv.value,
    classifier: classifier.value,
    ready: {
      backend: tf.getBackend(),
      loadMs: { opencv: cv.ms, model: classifier.ms, total: performance.now() - started },
    },
  };
}

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work;
  return { value, ms: performance.now() - started };
}

const api: RecognizerApi = {
  async init(config) {
    const starting = startEngine(config);
    engine = starting;
    starting.catch(() => {
      // A failed start may be retried by a later init (e.g. after the model file comes back).
      if (engine === starting) engine = undefined;
    });
    return (await starting).ready;
  },

  async recognize(image: InkImage): Promise<Recognition> {
    if (!engine) throw new Error('The recogniser is not started');
    const { cv, classifier } = await engine;
    const started = performance.now();
    const segmentation = segmentDigits(cv, image);
    const segmented = performance.now();
    const readings = readDigits(classifier.predict(segmentation.digits.map((d) => d.pixels)));
    const finished = performance.now();
    recognitions++;
    const digits = segmentation.digits.map((d, i) => ({ ...readings[i], box: d.box, crop: d.pixels }));
    const result: Recognition = {
      digits,
      text: formatReading(readings),
      truncated: segmentation.truncated,
      timings: { segmentMs: segmented - started, inferMs: finished - segmented, totalMs: finished - started },
    };
    // Transfer, not copy; a Set because two crops could share one buffer.
    return Comlink.transfer(result, [...new Set(digits.map((d) => d.crop.buffer as ArrayBuffer))]);
  },

  stats(): RecognizerStats {
    return {
      numTensors: tf.memory().numTensors,
      recognitions,
      wasmHeapBytes: (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
    };
  },
};

Comlink.expose(api);
