import type { LearnReport, RecognitionTimings, RecognizerReady } from '../worker/contract';

/**
 * User Timing entries the app leaves on the page's performance timeline, so DevTools and
 * `npm run bench` can see where a reading's time went without any bench code in the app.
 */
export const MARKS = {
  /** The pad takes ink: pointer listeners attached and a backing store sized (detail: PadReadyDetail). */
  padReady: 'digitpad:pad-ready',
  /** OpenCV and the model are loaded in the worker (detail: RecognizerReady); reading starts at correctionsTaken. */
  recognizerReady: 'digitpad:recognizer-ready',
  /** A measure from the read timer firing to the result being in the DOM (detail: ReadDetail). */
  read: 'digitpad:read',
  /** A mark when a correction was learned (detail: LearnReport, with the classifier worker's time). */
  learned: 'digitpad:correction-learned',
  /**
   * The worker holds the stored corrections, so reading starts (after recognizer-ready, at every
   * start of the worker; detail: LearnReport, or null when they could not be given).
   */
  correctionsTaken: 'digitpad:corrections-taken',
  /** A measure from an image being chosen (pasted, dropped) to its reading shown (detail: PictureReadDetail). */
  pictureRead: 'digitpad:picture-read',
} as const;

/** Detail of the picture-read measure. */
export interface PictureReadDetail {
  /** The picture's size as decoded (bounded: src/ui/decode-image.ts). */
  width: number;
  height: number;
  /** Choosing → the picture decoded and shown in the pad's place. */
  decodeMs: number;
  /** Decoded → its reading in the DOM (to the worker, lines, lattices, the model, the view). */
  readMs: number;
  /** Digits shown. */
  digits: number;
}

/** Detail of the pad-ready mark. */
export interface PadReadyDetail {
  /** Backing-store size in device pixels (0 when the pad was not laid out yet). */
  width: number;
  height: number;
}

/** Detail of the read measure: its parts, in ms, in the order they happen. */
export interface ReadDetail {
  /** Digits shown. */
  digits: number;
  /** Atoms of ink and candidate digits in the lattice (the candidates are the model's batch). */
  atoms: number;
  candidates: number;
  /** Rasterising the strokes into the image sent to the worker (main thread). */
  snapshotMs: number;
  /** From posting the image to the worker starting on it: a request in flight ahead of it, messaging, transfer. */
  toWorkerMs: number;
  /** Segmentation (OpenCV) in the worker. */
  segmentMs: number;
  /** The model in the worker (tfjs). */
  inferMs: number;
  /** From the worker finishing to the page holding the answer. */
  fromWorkerMs: number;
  /** Building the result view (text, cards with crops, boxes). */
  displayMs: number;
}

/** Marks that the pad takes ink. */
export function markPadReady(canvas: HTMLCanvasElement): void {
  const detail: PadReadyDetail = { width: canvas.width, height: canvas.height };
  performance.mark(MARKS.padReady, { detail });
}

/** Marks that the recogniser is ready. */
export function markRecognizerReady(ready: RecognizerReady): void {
  performance.mark(MARKS.recognizerReady, { detail: ready });
}

/** Marks that the worker has the stored corrections (null: it reads without them). */
export function markCorrectionsTaken(report: LearnReport | null): void {
  performance.mark(MARKS.correctionsTaken, { detail: report });
}

/** Page-side times of one reading, from `performance.now()`. */
export interface ReadTimes {
  /** The read timer fired. */
  start: number;
  /** The image was rasterised and is being posted to the worker. */
  posted: number;
  /** The answer arrived. */
  answered: number;
  /** The result is in the DOM. */
  shown: number;
}

/** Records a reading as one measure; only the latest is kept, so the timeline does not grow with use. */
export function measureRead(times: ReadTimes, worker: RecognitionTimings, digits: number, lattice: { atoms: number; candidates: number }): void {
  const origin = performance.timeOrigin;
  const detail: ReadDetail = {
    digits,
    atoms: lattice.atoms,
    candidates: lattice.candidates,
    snapshotMs: times.posted - times.start,
    toWorkerMs: worker.startedAt - (origin + times.posted),
    segmentMs: worker.segmentMs,
    inferMs: worker.inferMs,
    fromWorkerMs: origin + times.answered - worker.finishedAt,
    displayMs: times.shown - times.answered,
  };
  performance.clearMeasures(MARKS.read);
  performance.measure(MARKS.read, { start: times.start, end: times.shown, detail });
}

/** Records a picture's reading as one measure; only the latest is kept. */
export function measurePictureRead(chosenAt: number, decodedAt: number, shownAt: number, picture: { width: number; height: number }, digits: number): void {
  const detail: PictureReadDetail = { width: picture.width, height: picture.height, decodeMs: decodedAt - chosenAt, readMs: shownAt - decodedAt, digits };
  performance.clearMeasures(MARKS.pictureRead);
  performance.measure(MARKS.pictureRead, { start: chosenAt, end: shownAt, detail });
}
