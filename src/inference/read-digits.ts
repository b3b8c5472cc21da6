import { READING_WEIGHTS, type ReadingWeights } from '../pipeline/lattice';
import type { DigitPrediction } from './classifier';

/**
 * Below this share of the digits' probability a digit is shown as "?": the model cannot tell which
 * digit it is. Set when the model had digits only (0.4 turned 0.08% of the training writers' pen
 * digits into "?"); with "not a digit" beside them it applies to the digits' share.
 */
export const UNSURE_BELOW = 0.4;

/** A runner-up at least this likely is worth showing next to the answer. */
export const CLOSE_RUNNER_UP = 0.1;

/** A prediction turned into what the person is shown. */
export interface DigitReading {
  /** The digit read, or null when the model is not confident enough to say. */
  digit: number | null;
  /** The best class, even when unsure, for the detail view. */
  best: number;
  confidence: number;
  /** Shown when it is close enough to matter. */
  runnerUp: { digit: number; confidence: number } | null;
}

/** Decides, per digit, whether to answer or say "?", and whether the runner-up is worth showing. */
export function readDigits(predictions: readonly DigitPrediction[], weights: Readonly<ReadingWeights> = READING_WEIGHTS): DigitReading[] {
  return predictions.map((p) => ({
    // Unsure between digits (its share of the digits' probability), or not a digit at all: "?".
    digit: p.confidence / Math.max(1e-9, 1 - p.notDigit) >= UNSURE_BELOW && outweighsNotADigit(p, weights) ? p.digit : null,
    best: p.digit,
    confidence: p.confidence,
    runnerUp: p.runnerUp.confidence >= CLOSE_RUNNER_UP ? p.runnerUp : null,
  }));
}

/** Whether the best digit outweighs both "a wrong cut" and "a mark", each weighed as the lattice's path weighs it. */
export function outweighsNotADigit(p: DigitPrediction, weights: Readonly<ReadingWeights> = READING_WEIGHTS): boolean {
  return p.confidence >= weights.wrongCut * (p.notDigit - p.mark) && p.confidence >= weights.mark * p.mark;
}

/** The text of a number read: digits, with "?" for each unsure one. */
export function formatReading(readings: readonly DigitReading[]): string {
  return readings.map((r) => (r.digit === null ? '?' : String(r.digit))).join('');
}
