import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs-core';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import { useWasmBackend } from '../src/inference/backend';
import { loadDigitClassifier, type DigitClassifier } from '../src/inference/classifier';
import type { CV } from '../src/pipeline/opencv-types';
import { buildLattice } from '../src/pipeline/lattice';
import type { InkImage } from '../src/pipeline/types';
import { loadOpenCv } from '../src/worker/load-opencv';
import { takeSteps, type StepTime } from './step-timer';

/** One pass of the app's worker work over an image, taken apart. */
export interface ImageProfile {
  /** buildLattice as a whole, and each step it called (this build times them: vite.config.ts). */
  segmentMs: number;
  steps: StepTime[];
  /** classifier.predict on every candidate's crop (batching, tfjs, ranking). */
  predictMs: number;
  /** tf.profile of one predict: time per tfjs kernel (first pass only). */
  kernels: StepTime[];
  /** Candidates read (the classifier's batch). */
  digits: number;
}

/** The profiling worker's API (a second worker, like the app's, loaded by the bench only). */
export interface ProfileApi {
  init(modelUrl: string): Promise<void>;
  profile(image: InkImage, repeats: number): Promise<ImageProfile[]>;
}

let engine: { cv: CV; classifier: DigitClassifier } | undefined;

const api: ProfileApi = {
  async init(modelUrl) {
    const [cv, classifier] = await Promise.all([
      loadOpenCv(),
      useWasmBackend({ 'tfjs-backend-wasm.wasm': wasmPlainUrl, 'tfjs-backend-wasm-simd.wasm': wasmSimdUrl }).then(() =>
        loadDigitClassifier(modelUrl),
      ),
    ]);
    engine = { cv, classifier };
  },

  async profile(image, repeats) {
    if (!engine) throw new Error('profile worker: init first');
    const { cv, classifier } = engine;
    const passes: ImageProfile[] = [];
    for (let r = 0; r < repeats; r++) {
      takeSteps();
      const started = performance.now();
      const { candidates } = buildLattice(cv, image);
      const segmented = performance.now();
      const steps = takeSteps();
      const crops = candidates.map((c) => c.pixels);
      classifier.predict(crops);
      const predicted = performance.now();
      let kernels: StepTime[] = [];
      if (r === 0 && crops.length > 0) {
        const info = await tf.profile(() => {
          classifier.predict(crops);
          return [];
        });
        const byName = new Map<string, StepTime>();
        // tf.profile lists ops ("fusedConv2d__op") and the kernels they run: keep the kernels.
        for (const kernel of info.kernels.filter((k) => !k.name.endsWith('__op'))) {
          const entry = byName.get(kernel.name) ?? { name: kernel.name, ms: 0, calls: 0 };
          entry.ms += Number(await kernel.kernelTimeMs) || 0;
          entry.calls++;
          byName.set(kernel.name, entry);
        }
        kernels = [...byName.values()];
      }
      passes.push({ segmentMs: segmented - started, steps, predictMs: predicted - segmented, kernels, digits: candidates.length });
    }
    return passes;
  },
};

Comlink.expose(api);
