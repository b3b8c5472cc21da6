import { READING_WEIGHTS, pathDigits, scoredBestPath, type Lattice, type ReadingWeights } from '../pipeline/lattice';
import type { Box } from '../pipeline/types';
import type { DigitPrediction } from './classifier';
import { formatReading, readDigits, type DigitReading } from './read-digits';

/** One digit of a number read: what is shown, where it is, and the crop the model saw. */
export interface PlacedReading extends DigitReading {
  box: Box;
  crop: Float32Array;
}

/** A number read from a lattice. */
export interface NumberReading {
  digits: PlacedReading[];
  /** The digits read, "?" for pieces that are not a confident digit. */
  text: string;
  /** More digits were written than are read at once. */
  truncated: boolean;
}

/** A number read, and its path's score (the sum of its log-scores): readings of the same ink compare by it. */
export interface ScoredReading {
  reading: NumberReading;
  score: number;
}

/**
 * Picks the lattice's best path with the model's readings of all its candidates (one prediction
 * per candidate, in order) and turns the chosen candidates into the digits shown ("?" for those
 * read as not a digit, or not confidently a digit).
 */
export function chooseReading(lattice: Lattice, predictions: readonly DigitPrediction[], maxDigits?: number, weights: Readonly<ReadingWeights> = READING_WEIGHTS): NumberReading {
  return chooseScoredReading(lattice, predictions, maxDigits, weights).reading;
}

/** {@link chooseReading} with the chosen path's score. */
export function chooseScoredReading(lattice: Lattice, predictions: readonly DigitPrediction[], maxDigits?: number, weights: Readonly<ReadingWeights> = READING_WEIGHTS): ScoredReading {
  if (predictions.length !== lattice.candidates.length) {
    throw new Error(`Expected ${lattice.candidates.length} predictions, got ${predictions.length}`);
  }
  const { path, score } = scoredBestPath(
    lattice,
    predictions.map((p) => p.confidence),
    predictions.map((p) => p.notDigit),
    predictions.map((p) => p.mark),
    weights,
  );
  const { steps, truncated } = pathDigits(path, maxDigits);
  // A candidate the path reads as a mark that is not a digit shows "?" whatever its best digit.
  const readings = readDigits(steps.map((step) => predictions[step.candidate]), weights).map((r, k) => (steps[k].asDigit ? r : { ...r, digit: null }));
  const digits = steps.map((step, k) => ({ ...readings[k], box: lattice.candidates[step.candidate].box, crop: lattice.candidates[step.candidate].pixels }));
  return { reading: { digits, text: formatReading(readings), truncated }, score };
}
