import type { DigitReading } from '../inference/read-digits';
import type { Box, InkImage } from '../pipeline/types';

/** Where the worker finds what it loads; URLs are resolved by the page so sub-path deploys work. */
export interface RecognizerConfig {
  modelUrl: string;
}

/** What the worker reports once OpenCV and the model are loaded and warmed up. */
export interface RecognizerReady {
  backend: string;
  loadMs: { opencv: number; model: number; total: number };
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
  timings: { segmentMs: number; inferMs: number; totalMs: number };
}

/** Counters that tests use to prove nothing leaks. */
export interface RecognizerStats {
  numTensors: number;
  recognitions: number;
  wasmHeapBytes: number;
}

/** The worker's API, exposed with comlink; the main thread imports only this type. */
export interface RecognizerApi {
  init(config: RecognizerConfig): Promise<RecognizerReady>;
  recognize(image: InkImage): Promise<Recognition>;
  stats(): RecognizerStats;
}
