import { bestPath, pathDigits, type Lattice } from '../pipeline/lattice';
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

/**
 * Picks the lattice's best path with the model's readings of all its candidates (one prediction
 * per candidate, in order) and turns the chosen candidates into the digits shown.
 */
export function chooseReading(lattice: Lattice, predictions: readonly DigitPrediction[], maxDigits?: number): NumberReading {
  if (predictions.length !== lattice.candidates.length) {
    throw new Error(`Expected ${lattice.candidates.length} predictions, got ${predictions.length}`);
  }
  const path = bestPath(
    lattice,
    predictions.map((p) => p.confidence),
  );
  const { indices, truncated } = pathDigits(path, maxDigits);
  const readings = readDigits(indices.map((i) => predictions[i]));
  const digits = indices.map((i, k) => ({ ...readings[k], box: lattice.candidates[i].box, crop: lattice.candidates[i].pixels }));
  return { digits, text: formatReading(readings), truncated };
}
