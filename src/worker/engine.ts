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
import { countMats, type CountedOpenCv } from './count-mats';
import type { Recognition, RecognizerApi, RecognizerConfig, RecognizerReady, RecognizerStats } from './contract';

/** What the worker's entry started before this module loaded: OpenCV, and when things happened. */
export interface EarlyStart {
  /** OpenCV loading since the worker started. */
  opencv: Promise<CV>;
  /** performance.now() (ms since the worker's creation) when the entry script ran. */
  scriptMs: number;
  /** performance.now() when OpenCV's glue script had run (0 until then). */
  opencvScriptMs(): number;
}

let engine: Promise<{ cv: CV; classifier: DigitClassifier }> | undefined;
let recognitions = 0;
/** OpenCV as loaded, and counting its Mats (set once OpenCV is up). */
let openCv: { raw: CV; counted: CountedOpenCv } | undefined;
/** crashForTest('during-next-reading') was called. */
let crashDuringNextReading = false;
/** tfjs is on the wasm backend: its memory can be read without starting a backend with no wasm paths. */
let tfjsReady = false;

async function startEngine(config: RecognizerConfig, early: EarlyStart): Promise<{ cv: CV; classifier: DigitClassifier; ready: RecognizerReady }> {
  // OpenCV has been loading since the worker started; the model loads alongside: neither needs the other.
  const opencv = early.opencv.then(
    (value) => ({ value, ms: performance.now() }),
    (error: unknown) => {
      throw new Error(`OpenCV.js could not start: ${error instanceof Error ? error.message : String(error)}`);
    },
  );
  let tfjsBackendMs = 0;
  // The model's files need no backend: fetch them while the backend starts. Their errors surface
  // through loadDigitClassifier, which says that the model could not be loaded.
  const modelHttp = tf.io.http(config.modelUrl);
  const modelFiles = modelHttp.load ? modelHttp.load() : Promise.reject(new Error('tfjs cannot load models over HTTP'));
  modelFiles.catch(() => undefined);
  // The threaded build is left out: threads need cross-origin isolation, which a static host rarely gives.
  const model = useWasmBackend({
    'tfjs-backend-wasm.wasm': wasmPlainUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  })
    .then(() => {
      tfjsBackendMs = performance.now();
      return loadDigitClassifier({ load: () => modelFiles });
    })
    .then((value) => ({ value, ms: performance.now() }));
  const [cv, classifier] = await Promise.all([opencv, model]);
  tfjsReady = true;
  return {
    cv: countedOpenCv(cv.value),
    classifier: classifier.value,
    ready: {
      backend: tf.getBackend(),
      createdAt: performance.timeOrigin,
      loadMs: {
        script: early.scriptMs,
        opencvScript: early.opencvScriptMs(),
        opencv: cv.ms,
        tfjsBackend: tfjsBackendMs,
        model: classifier.ms,
        total: performance.now(),
      },
    },
  };
}

/** The pipeline gets OpenCV through a Mat counter, so stats() can say that none are left alive. */
function countedOpenCv(raw: CV): CV {
  openCv ??= { raw, counted: countMats(raw) };
  return openCv.counted.cv;
}

/** Size of OpenCV's wasm memory, read through a probe Mat's view of it (0 before OpenCV is up). */
function opencvHeapBytes(): number {
  if (!openCv) return 0;
  const probe = new openCv.raw.Mat(1, 1, openCv.raw.CV_8UC1);
  try {
    return probe.data.buffer.byteLength;
  } finally {
    probe.delete();
  }
}

/** Size of the tfjs wasm backend's memory (0 before it is up). */
function tfjsHeapBytes(): number {
  if (!tfjsReady) return 0;
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return backend.wasm?.HEAPU8?.buffer.byteLength ?? 0;
}

/** The recogniser's API on top of what the entry started (see recognizer.worker.ts). */
export function createRecognizerApi(early: EarlyStart): RecognizerApi {
  return {
    async init(config) {
      const starting = startEngine(config, early);
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
      if (crashDuringNextReading) {
        crashDuringNextReading = false;
        crash();
        return new Promise<never>(() => undefined); // A crashed worker never answers.
      }
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
        timings: {
          segmentMs: segmented - started,
          inferMs: finished - segmented,
          totalMs: finished - started,
          startedAt: performance.timeOrigin + started,
          finishedAt: performance.timeOrigin + finished,
        },
      };
      // Transfer, not copy; a Set because two crops could share one buffer.
      return Comlink.transfer(result, [...new Set(digits.map((d) => d.crop.buffer as ArrayBuffer))]);
    },

    async stats(): Promise<RecognizerStats> {
      const mats = openCv?.counted.counts() ?? { created: 0, live: 0 };
      return {
        recognitions,
        numTensors: tfjsReady ? tf.memory().numTensors : 0,
        liveMats: mats.live,
        matsCreated: mats.created,
        opencvHeapBytes: opencvHeapBytes(),
        tfjsHeapBytes: tfjsHeapBytes(),
      };
    },

    async crashForTest(when) {
      if (when === 'now') crash();
      else crashDuringNextReading = true;
    },
  };
}

/** An uncaught error, outside comlink's reach (which would return it to the caller). */
function crash(): void {
  setTimeout(() => {
    throw new Error('Crash requested by a test');
  });
}
