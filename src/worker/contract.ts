import type { DigitPrediction, LabelledCrop, LearnResult } from '../inference/classifier';
import type { DigitReading } from '../inference/read-digits';
import type { Box, InkImage, RgbaImage } from '../pipeline/types';

/** Where the classifier finds the model; URLs are resolved by the page so sub-path deploys work. */
export interface ClassifierConfig {
  modelUrl: string;
}

/** The recogniser's start: the model's address, and its end of the channel to the classifier worker. */
export interface RecognizerConfig extends ClassifierConfig {
  /** Transferred; the classifier worker serves {@link ClassifierApi} on the other end. */
  classifierPort: MessagePort;
}

/**
 * The one message the page posts to a new classifier worker: the port it serves its API on (the
 * recogniser holds the other end). The page starts both workers, so neither waits for the other's script.
 */
export interface ClassifierConnection {
  port: MessagePort;
}

/** What the worker reports once OpenCV and the model are loaded and warmed up. */
export interface RecognizerReady {
  backend: string;
  /** When the worker was created (its performance.timeOrigin, ms since the epoch). */
  createdAt: number;
  loadMs: {
    // Each from the worker's creation (the worker's performance.now()).
    /** The worker's entry script downloaded and run: OpenCV starts loading here. */
    script: number;
    /** OpenCV's glue script run (its wasm is then still compiling). */
    opencvScript: number;
    /** OpenCV ready. */
    opencv: number;
    /** The classifier worker's script run (tfjs's backend starts here). */
    classifierScript: number;
    /** tfjs's wasm backend up, in the classifier worker (which the page starts with this one). */
    tfjsBackend: number;
    /** The model's files fetched (while the backend starts). */
    modelFiles: number;
    /** The model loaded, checked and warmed up. */
    model: number;
    /** Both ready. */
    total: number;
  };
}

/** One digit found and read. */
export interface RecognizedDigit extends DigitReading {
  box: Box;
  /** The 28×28 crop the model saw, values in [0, 1]. */
  crop: Float32Array;
}

/** The worker's answer for one image of ink. */
export interface Recognition {
  digits: RecognizedDigit[];
  /** The digits read, "?" for unsure ones. */
  text: string;
  /** More digits were written than are read at once. */
  truncated: boolean;
  /** Size of the lattice read: atoms of ink, and candidate digits (all read in one batched call). */
  lattice: { atoms: number; candidates: number };
  timings: RecognitionTimings;
}

/** The worker's answer for a picture: as for ink, one number per line of writing. */
export interface ImageRecognition extends Recognition {
  /** Lines of writing read (the text holds one line per number, joined by "\n"). */
  lines: number;
  /** The size the picture was read at (boxes are in the picture's own pixels, as sent). */
  work: { width: number; height: number };
}

/** Where the worker's time went for one image (ms), for the UI's performance marks and `npm run bench`. */
export interface RecognitionTimings {
  segmentMs: number;
  inferMs: number;
  totalMs: number;
  /**
   * When the worker began and finished this image, as `performance.timeOrigin + performance.now()`:
   * comparable across threads, so the page can tell the time spent handing the image over and back.
   */
  startedAt: number;
  finishedAt: number;
}

/** Counters that tests use to prove nothing leaks; sizes in bytes. */
export interface RecognizerStats {
  /** Images read since the worker started. */
  recognitions: number;
  /** Live tfjs tensors (the model's weights included): constant between recognitions. */
  numTensors: number;
  /** OpenCV Mats and MatVectors the pipeline made and has not deleted: 0 between recognitions. */
  liveMats: number;
  /** All it ever made, so a test can tell that `liveMats` counted something. */
  matsCreated: number;
  /** OpenCV's wasm memory: it never shrinks, so a leak shows as growth. */
  opencvHeapBytes: number;
  /** The tfjs wasm backend's memory: likewise. (The worker's JS heap is measured from outside: no browser tells a worker.) */
  tfjsHeapBytes: number;
}

/** The worker's API, exposed with comlink; the main thread imports only this type. */
export interface RecognizerApi {
  init(config: RecognizerConfig): Promise<RecognizerReady>;
  recognize(image: InkImage): Promise<Recognition>;
  /**
   * Reads the handwriting in a decoded picture (RGBA, its buffer transferred): light evened out,
   * ruled lines and specks removed, read line by line with the pad's reader. The page decodes and
   * downscales it first (longest side ≤ MAX_PHOTO_SIDE); a larger one is downscaled here.
   */
  recognizeImage(photo: RgbaImage): Promise<ImageRecognition>;
  stats(): Promise<RecognizerStats>;
  /**
   * Learns a person's corrections (crops transferred) on top of those kept: from the next reading
   * on, crops near one are read as the person said. Passed on to the classifier worker.
   */
  learnCorrections(corrections: LabelledCrop[]): Promise<LearnAnswer>;
  /**
   * Replaces every correction kept (start-up, after a restart, an import; [] forgets them all).
   * Those sent with their prototypes from an earlier start (this model's, sound) are not embedded
   * again: a start-up with a full store is then arithmetic, not 2,800 crops through the model.
   */
  setCorrections(corrections: LabelledCrop[]): Promise<LearnAnswer>;
  /**
   * Throws an uncaught error in the worker, as a crash would, `now` or in the middle of the next
   * reading (which then never answers); the bridge restarts the worker. For tests: harmless, it
   * runs only the recovery a real crash needs.
   */
  crashForTest(when: CrashMoment): Promise<void>;
}

/** When `crashForTest` crashes the worker: `classifier` crashes the classifier worker it started instead. */
export type CrashMoment = 'now' | 'during-next-reading' | 'classifier';

/**
 * The classifier worker's API (tfjs and the model), which the recogniser worker calls with comlink
 * over a channel the page sets up: a thread of its own, so that tfjs and OpenCV start in parallel
 * on two cores. The page starts and watches it but never calls it.
 */
export interface ClassifierApi {
  /** Loads and warms up the model (the backend starts as soon as the worker runs). */
  init(config: ClassifierConfig): Promise<ClassifierReady>;
  /** Reads all crops (784 values each) in one batched call. */
  classify(crops: Float32Array[]): Promise<DigitPrediction[]>;
  /** See RecognizerApi.learnCorrections. */
  learnCorrections(corrections: LabelledCrop[]): Promise<LearnAnswer>;
  /** See RecognizerApi.setCorrections. */
  setCorrections(corrections: LabelledCrop[]): Promise<LearnAnswer>;
  /** tfjs's live tensors and wasm memory, for {@link RecognizerStats}. */
  memory(): Promise<{ numTensors: number; heapBytes: number }>;
  /** Throws an uncaught error in this worker, as a crash would (tests: see RecognizerApi.crashForTest). */
  crashForTest(): Promise<void>;
}

/** What the classifier reports once its model is ready; times in the classifier's performance.now(). */
export interface ClassifierReady {
  backend: string;
  /** The classifier worker's performance.timeOrigin, to put its times on the recogniser's clock. */
  createdAt: number;
  scriptMs: number;
  tfjsBackendMs: number;
  modelFilesMs: number;
  modelMs: number;
}

/** What learning corrections did, in the classifier worker. */
export interface LearnReport {
  /** Corrections the classifier now holds (the latest KEPT_PER_LABEL per label). */
  kept: number;
  /** The classifier worker's time to embed and keep them (ms). */
  learnMs: number;
  /** Why they were not learned (learning them would change how a generic reference digit reads); absent when learned. */
  refused?: string;
  /** Of those kept, how many came with their prototypes (cached on the device) and were not embedded again. */
  reused: number;
}

/** The classifier's answer to corrections: the report, and the prototypes it computed, for the page to keep with them. */
export interface LearnAnswer {
  report: LearnReport;
  /** By index in the list sent; their buffers are transferred (see LearnResult.computed). */
  computed: LearnResult['computed'];
}
