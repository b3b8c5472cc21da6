import type { Lattice } from '../pipeline/lattice';
import type { DigitPrediction } from './classifier';
import { chooseReading, type NumberReading } from './read-number';

/**
 * Reads lines of writing, each its own lattice, from the model's predictions for all their
 * candidates in order (one batched call over every line): each line's best path, the digits top
 * to bottom, the text one number per line ("\n" between lines; lines that read as nothing left out).
 */
export function chooseLineReadings(lines: readonly Lattice[], predictions: readonly DigitPrediction[]): NumberReading {
  const total = lines.reduce((n, l) => n + l.candidates.length, 0);
  if (predictions.length !== total) throw new Error(`Expected ${total} predictions, got ${predictions.length}`);
  let from = 0;
  const readings = lines.map((lattice) => {
    const reading = chooseReading(lattice, predictions.slice(from, from + lattice.candidates.length));
    from += lattice.candidates.length;
    return reading;
  });
  return {
    digits: readings.flatMap((r) => r.digits),
    text: readings.map((r) => r.text).filter((text) => text !== '').join('\n'),
    truncated: readings.some((r) => r.truncated),
  };
}
