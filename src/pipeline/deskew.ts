import { mapBoxCorners } from './boxes';
import type { CV } from './opencv-types';
import { DESKEW_MAX_DEGREES, DESKEW_STEP_DEGREES } from './photo-options';
import type { Box, InkImage } from './types';

/**
 * The angle (degrees, counter-clockwise as seen) that the writing in `ink` is turned by: the one
 * whose horizontal projection profile is sharpest (Σ rows' ink²), searched within ±maxDegrees. A
 * level line of digits piles its ink into the fewest rows. 0 for empty ink.
 */
export function estimateSkew(ink: InkImage, maxDegrees = DESKEW_MAX_DEGREES, stepDegrees = DESKEW_STEP_DEGREES): number {
  const { width, height, data } = ink;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (data[y * width + x]) xs.push(x - width / 2), ys.push(y - height / 2);
  if (xs.length === 0) return 0;
  const reach = Math.ceil(Math.hypot(width, height) / 2) + 1;
  const rows = new Float64Array(2 * reach + 1);
  let best = 0;
  let bestScore = -1;
  const steps = Math.round(maxDegrees / stepDegrees);
  for (let k = -steps; k <= steps; k++) {
    const degrees = k * stepDegrees;
    const radians = (degrees * Math.PI) / 180;
    const [cos, sin] = [Math.cos(radians), Math.sin(radians)];
    rows.fill(0);
    // The row a pixel falls in once the image is turned back by `degrees` (y grows downwards).
    for (let i = 0; i < xs.length; i++) rows[Math.round(ys[i] * cos + xs[i] * sin) + reach]++;
    let score = 0;
    for (const n of rows) score += n * n;
    // Ties (and near ties) go to the smaller angle: turning is only worth it when it sharpens.
    if (score > bestScore * (1 + 1e-9) || (score >= bestScore && Math.abs(degrees) < Math.abs(best))) {
      best = degrees;
      bestScore = score;
    }
  }
  return best;
}

/** Ink turned level, and how to take a box in it back to the ink it came from. */
export interface LevelledInk {
  image: InkImage;
  /** The bounding box, in the original ink's pixels, of a box in `image`. */
  toOriginal(box: Box): Box;
}

/**
 * `ink` made level: writing turned by `degrees` is turned back about the ink's centre ('rotate'),
 * or its columns slid up or down so the line is level and upright strokes stay upright ('shear');
 * on a canvas grown to hold all of it, resampled bilinearly and thresholded at half.
 */
export function levelInk(cv: CV, ink: InkImage, degrees: number, how: 'rotate' | 'shear' = 'rotate'): LevelledInk {
  const { width, height } = ink;
  const radians = (degrees * Math.PI) / 180;
  const [cos, sin, tan] = [Math.cos(radians), Math.sin(radians), Math.tan(radians)];
  // [a b c; d e f] maps ink pixels to the levelled canvas; first about the ink's centre, then moved
  // so the canvas holds it all. A point u right of the centre of writing turned counter-clockwise
  // lies u·sin higher: turning by −degrees (or sliding it down by u·tan) levels it.
  const [a, b, d, e] = how === 'rotate' ? [cos, -sin, sin, cos] : [1, 0, tan, 1];
  const w = Math.ceil(Math.abs(a) * width + Math.abs(b) * height);
  const h = Math.ceil(Math.abs(d) * width + Math.abs(e) * height);
  const c = w / 2 - (a * width) / 2 - (b * height) / 2;
  const f = h / 2 - (d * width) / 2 - (e * height) / 2;
  const source = new cv.Mat(height, width, cv.CV_8UC1);
  const turned = new cv.Mat();
  const matrix = cv.matFromArray(2, 3, cv.CV_64F, [a, b, c, d, e, f]);
  try {
    source.data.set(ink.data.subarray(0, width * height));
    cv.warpAffine(source, turned, matrix, new cv.Size(w, h), cv.INTER_LINEAR, cv.BORDER_CONSTANT, new cv.Scalar(0));
    cv.threshold(turned, turned, 127, 255, cv.THRESH_BINARY);
    const image: InkImage = { width: w, height: h, data: new Uint8Array(turned.data) };
    const det = a * e - b * d;
    const back = (x: number, y: number): [number, number] => [(e * (x - c) - b * (y - f)) / det, (-d * (x - c) + a * (y - f)) / det];
    const toOriginal = (box: Box): Box => mapBoxCorners(box, back, ink);
    return { image, toOriginal };
  } finally {
    source.delete();
    turned.delete();
    matrix.delete();
  }
}
