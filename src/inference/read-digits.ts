import type { DigitPrediction } from './classifier';

/**
 * Below this probability a digit is shown as "?": the ink is not a confident digit. The model is
 * trained with label smoothing, so even clear digits top out near 0.9; `npm run eval` sweeps this
 * on the training writers' pen digits: 0.4 turns 0.08% into "?" and keeps 99.72% right, while
 * 0.6 would turn 0.6% into "?" (most of them read right) to avoid 0.12% wrong answers.
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
export function readDigits(predictions: readonly DigitPrediction[]): DigitReading[] {
  return predictions.map((p) => ({
    // "Not a digit" is an answer of its own: when it outweighs the best digit, show "?".
    digit: p.confidence >= UNSURE_BELOW && p.confidence > p.notDigit ? p.digit : null,
    best: p.digit,
    confidence: p.confidence,
    runnerUp: p.runnerUp.confidence >= CLOSE_RUNNER_UP ? p.runnerUp : null,
  }));
}

/** The text of a number read: digits, with "?" for each unsure one. */
export function formatReading(readings: readonly DigitReading[]): string {
  return readings.map((r) => (r.digit === null ? '?' : String(r.digit))).join('');
}
