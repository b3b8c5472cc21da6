import type { FloatImage } from '../pipeline/types';
import type { Random } from './create-random';

/** Ink level above which a pixel may be chosen as the centre of a break. */
const BREAK_CENTRE_INK = 0.5;

/**
 * Erases a disc of ink of the given radius (pixels, soft one-pixel edge) centred on a randomly
 * chosen inked pixel, so a stroke is broken as when a pen lifts for a moment: a 5's hat or a 4's
 * top that does not meet the rest, an 8 or 0 left open. Returns a new image; an image with no
 * ink comes back unchanged.
 */
export function breakStroke(image: FloatImage, random: Random, radius: number): FloatImage {
  const { width, height, data } = image;
  let inked = 0;
  for (let i = 0; i < data.length; i++) if (data[i] > BREAK_CENTRE_INK) inked++;
  if (inked === 0) return image;
  let pick = random.int(inked);
  let centre = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] <= BREAK_CENTRE_INK) continue;
    if (pick-- === 0) {
      centre = i;
      break;
    }
  }
  const cx = centre % width;
  const cy = Math.floor(centre / width);
  const out = new Float32Array(data);
  const reach = Math.ceil(radius + 1);
  for (let y = Math.max(0, cy - reach); y <= Math.min(height - 1, cy + reach); y++) {
    for (let x = Math.max(0, cx - reach); x <= Math.min(width - 1, cx + reach); x++) {
      // Kept share of the ink: 0 inside the radius, rising to 1 one pixel beyond it.
      const keep = Math.min(1, Math.max(0, Math.hypot(x - cx, y - cy) - radius));
      out[y * width + x] *= keep;
    }
  }
  return { width, height, data: out };
}
