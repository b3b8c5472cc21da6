import { strokesToRead } from '../pipeline/lattice';
import { estimateLean, uprightInk, type UprightInk } from '../pipeline/upright-ink';
import type { InkImage } from '../pipeline/types';
import type { NumberReading, ScoredReading } from './read-number';

/** Writing that leans less than this (|lean|) is read as written only. */
export const UPRIGHT_MIN_LEAN = 0.1;

/**
 * A first reading whose path scores at least this per piece read (its digits sure, the pieces
 * digit-shaped) is kept without a second look: so four in five numbers cost one look.
 */
export const UPRIGHT_LOOK_BELOW = -0.2;

/**
 * The ink redrawn upright for a second look, when the writing leans and its first reading left
 * doubt (a path score per piece below {@link UPRIGHT_LOOK_BELOW}); otherwise undefined. Italic
 * digits share columns with their neighbours, which the lattice, working left to right, cuts badly.
 */
export function uprightLookFor(image: InkImage, first: ScoredReading): UprightInk | undefined {
  const perPiece = first.score / Math.max(1, first.reading.digits.length);
  // Only strokes the lattice reads are redrawn: it reads the blobs of an unreadable or huge trace.
  const strokes = strokesToRead(image);
  if (!strokes || !(perPiece < UPRIGHT_LOOK_BELOW)) return undefined;
  const lean = estimateLean(strokes);
  return Math.abs(lean) < UPRIGHT_MIN_LEAN ? undefined : uprightInk(image, lean);
}

/**
 * The better of two readings of one ink, the first as written and the second of it redrawn
 * upright, by their paths' scores; the upright one's boxes are taken back to the ink as written.
 */
export function betterReading(asWritten: ScoredReading, upright: ScoredReading, ink: UprightInk): NumberReading {
  if (!(upright.score > asWritten.score)) return asWritten.reading;
  return { ...upright.reading, digits: upright.reading.digits.map((d) => ({ ...d, box: ink.toOriginal(d.box) })) };
}
