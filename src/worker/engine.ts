import * as Comlink from 'comlink';
import type { DigitPrediction } from '../inference/classifier';
import { chooseLineReadings } from '../inference/read-lines';
import { chooseScoredReading, type NumberReading } from '../inference/read-number';
import { betterReading, uprightLookFor } from '../inference/upright-look';
import { buildLattice, type Lattice } from '../pipeline/lattice';
import type { CV } from '../pipeline/opencv-types';
import { buildPhotoLattices } from '../pipeline/photo-lattice';
import { warmUpInk } from '../pipeline/warm-up-ink';
import type { InkImage, RgbaImage } from '../pipeline/types';
import { countMats, type CountedOpenCv } from './count-mats';
import { crashLater, TEST_CRASH_MESSAGE } from './crash-later';
import { answerBuffers, correctionBuffers } from './transfer';
import type { ClassifierApi, ImageRecognition, Recognition, RecognizerApi, RecognizerConfig, RecognizerReady, RecognizerStats } from './contract';

/** What the worker's entry started before the API was made: OpenCV, and when. */
export interface EarlyStart {
  /** OpenCV loading since the worker started. */
  opencv: Promise<CV>;
  /** performance.now() (ms since the worker's creation) when the entry script ran. */
  scriptMs: number;
  /** performance.now() when OpenCV's glue script had run (0 until then). */
  opencvScriptMs(): number;
}

let engine: Promise<{ cv: CV }> | undefined;
/** The classifier worker (tfjs and the model) on its own thread, reached through the port init brings. */
let classifierRemote: Comlink.Remote<ClassifierApi> | undefined;
let recognitions = 0;
/** OpenCV as loaded, and counting its Mats (set once OpenCV is up). */
let openCv: { raw: CV; counted: CountedOpenCv } | undefined;
/** crashForTest('during-next-reading') was called. */
let crashDuringNextReading = false;

/** The classifier worker's API; throws before init has connected it. */
function classifier(): Comlink.Remote<ClassifierApi> {
  if (!classifierRemote) throw new Error('The recogniser is not started');
  return classifierRemote;
}

async function startEngine({ classifierPort, ...config }: RecognizerConfig, early: EarlyStart): Promise<{ cv: CV; ready: RecognizerReady }> {
  // OpenCV has been loading since the worker started, the classifier's backend likewise on its
  // own thread; the model loads there now. Neither needs the other.
  classifierRemote ??= Comlink.wrap<ClassifierApi>(classifierPort);
  const opencv = early.opencv.then(
    (value) => ({ value, ms: performance.now() }),
    (error: unknown) => {
      throw new Error(`OpenCV.js could not start: ${error instanceof Error ? error.message : String(error)}`);
    },
  );
  const [cv, loaded] = await Promise.all([opencv, classifier().init(config)]);
  // The classifier's times, from its own creation, put on this worker's clock.
  const fromClassifier = (ms: number) => loaded.createdAt + ms - performance.timeOrigin;
  return {
    cv: countedOpenCv(cv.value),
    ready: {
      backend: loaded.backend,
      createdAt: performance.timeOrigin,
      loadMs: {
        script: early.scriptMs,
        opencvScript: early.opencvScriptMs(),
        opencv: cv.ms,
        classifierScript: fromClassifier(loaded.scriptMs),
        tfjsBackend: fromClassifier(loaded.tfjsBackendMs),
        modelFiles: fromClassifier(loaded.modelFilesMs),
        model: fromClassifier(loaded.modelMs),
        total: performance.now(),
      },
    },
  };
}

/** How long after the start the lattice warms up, unless a reading has come first. */
const WARM_UP_AFTER_MS = 300;
let warmUpTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Reads a made-up number once, soon after the start: the first reading otherwise compiles the
 * lattice's code and takes several times longer than later ones. Not during the start (it takes
 * ~80 ms in Chromium and would delay the first recognition) and not right after it, when the page
 * hands over the stored corrections and reads any ink already drawn. A reading that comes first
 * warms the code itself, so it cancels this. A failure here is not a failure of the start.
 */
function warmUpLatticeSoon(cv: CV): void {
  warmUpTimer = setTimeout(() => {
    warmUpTimer = undefined;
    try {
      buildLattice(cv, warmUpInk());
    } catch (error) {
      console.warn('The lattice warm-up failed:', error);
    }
  }, WARM_UP_AFTER_MS);
}

/** A reading has come: the warm-up is not needed any more. */
function cancelWarmUp(): void {
  clearTimeout(warmUpTimer);
  warmUpTimer = undefined;
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

/** The recogniser's API on top of what the entry started (see recognizer.worker.ts). */
export function createRecognizerApi(early: EarlyStart): RecognizerApi {
  /** OpenCV once the engine is up; a pending test crash happens here, and never answers. */
  async function ready(): Promise<{ cv: CV }> {
    if (!engine) throw new Error('The recogniser is not started');
    const started = await engine;
    if (crashDuringNextReading) {
      crashDuringNextReading = false;
      crashLater(TEST_CRASH_MESSAGE);
      return new Promise<never>(() => undefined); // A crashed worker never answers.
    }
    return started;
  }

  /** A reading as the page gets it, its crops' buffers transferred; `times`: started, segmented, finished. */
  function answer(reading: NumberReading, lattice: Recognition['lattice'], [started, segmented, finished]: number[]): Recognition {
    recognitions++;
    const { digits, text, truncated } = reading;
    const result: Recognition = {
      digits,
      text,
      truncated,
      lattice,
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
  }

  return {
    async init(config) {
      const starting = startEngine(config, early);
      engine = starting;
      starting.then(({ cv }) => warmUpLatticeSoon(cv), () => undefined);
      starting.catch(() => {
        // A failed start may be retried by a later init (e.g. after the model file comes back).
        if (engine === starting) engine = undefined;
      });
      return (await starting).ready;
    },

    async recognize(image: InkImage): Promise<Recognition> {
      cancelWarmUp();
      const { cv } = await ready();
      const started = performance.now();
      const lattice = buildLattice(cv, image);
      const segmented = performance.now();
      // Every candidate in one batched call. Copied, not transferred: the chosen crops go back to the page.
      const classify = async (l: Lattice): Promise<DigitPrediction[]> => (l.candidates.length === 0 ? [] : await classifier().classify(l.candidates.map((c) => c.pixels)));
      const asWritten = chooseScoredReading(lattice, await classify(lattice));
      const ink = uprightLookFor(image, asWritten);
      if (!ink) return answer(asWritten.reading, { atoms: lattice.atomCount, candidates: lattice.candidates.length }, [started, segmented, performance.now()]);
      // Leaning writing read with doubt: a second look at it redrawn upright, the better reading kept.
      const secondStarted = performance.now();
      const upright = buildLattice(cv, ink.image);
      const secondSegmented = performance.now();
      const reading = betterReading(asWritten, chooseScoredReading(upright, await classify(upright)), ink);
      const size = { atoms: lattice.atomCount + upright.atomCount, candidates: lattice.candidates.length + upright.candidates.length };
      // The timings count both lattices as segmentation and both batches as inference.
      return answer(reading, size, [started, segmented + (secondSegmented - secondStarted), performance.now()]);
    },

    async recognizeImage(photo: RgbaImage): Promise<ImageRecognition> {
      cancelWarmUp();
      const { cv } = await ready();
      const started = performance.now();
      const found = buildPhotoLattices(cv, photo);
      const segmented = performance.now();
      const candidates = found.lines.flatMap((line) => line.candidates);
      // All lines' candidates in one batched call, as for ink.
      const predictions: DigitPrediction[] = candidates.length === 0 ? [] : await classifier().classify(candidates.map((c) => c.pixels));
      const reading = chooseLineReadings(found.lines, predictions);
      const result = answer(reading, { atoms: found.atomCount, candidates: candidates.length }, [started, segmented, performance.now()]);
      return Object.assign(result, { lines: reading.text === '' ? 0 : reading.text.split('\n').length, work: found.work });
    },

    async stats(): Promise<RecognizerStats> {
      const mats = openCv?.counted.counts() ?? { created: 0, live: 0 };
      const tfjs = await classifier().memory();
      return {
        recognitions,
        numTensors: tfjs.numTensors,
        liveMats: mats.live,
        matsCreated: mats.created,
        opencvHeapBytes: opencvHeapBytes(),
        tfjsHeapBytes: tfjs.heapBytes,
      };
    },

    // Crops and prototypes are passed on, and the prototypes computed passed back, transferred both ways.
    async learnCorrections(corrections) {
      await ready();
      const answer = await classifier().learnCorrections(Comlink.transfer(corrections, correctionBuffers(corrections)));
      return Comlink.transfer(answer, answerBuffers(answer));
    },

    async setCorrections(corrections) {
      await ready();
      const answer = await classifier().setCorrections(Comlink.transfer(corrections, correctionBuffers(corrections)));
      return Comlink.transfer(answer, answerBuffers(answer));
    },

    async crashForTest(when) {
      if (when === 'now') crashLater(TEST_CRASH_MESSAGE);
      else if (when === 'classifier') await classifier().crashForTest();
      else crashDuringNextReading = true;
    },
  };
}
