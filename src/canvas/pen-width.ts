import { MAX_PEN_WIDTH, MIN_PEN_WIDTH, PEN_WIDTH_FRACTION } from './options';
import type { Size } from './types';

/**
 * Pen width in CSS pixels for a pad of `size`: a fixed fraction of its smaller side, clamped, so
 * ink looks like writing on a phone and on a desktop alike. Stylus pressure is deliberately not
 * used: points carry no pressure, and the snapshot sent for recognition must match the screen.
 */
export function penWidthFor(size: Size): number {
  const side = Math.min(size.width, size.height);
  const width = Number.isFinite(side) && side > 0 ? side * PEN_WIDTH_FRACTION : MIN_PEN_WIDTH;
  return Math.min(MAX_PEN_WIDTH, Math.max(MIN_PEN_WIDTH, width));
}
