import { MODEL_INPUT_SIZE } from './model-shape';
import { shiftCrop } from './read-crops';

const PIXELS = MODEL_INPUT_SIZE * MODEL_INPUT_SIZE;

/** Which views of a corrected crop become prototypes beside the crop itself. */
export interface AugmentOptions {
  /** Whole-pixel moves along each axis: [1] gives the four one-pixel shifts. */
  shifts?: readonly number[];
  /** Rotations in degrees about the crop's centre, each both ways. */
  rotations?: readonly number[];
  /** Add a view with every stroke one pixel thicker (a 3×3 cross dilation). */
  thicker?: boolean;
}

/**
 * The views of a corrected crop that speak for it: the same digit written a little off-centre, at a
 * slant or with a thicker pen, which a person's next digit often is. Chosen on training writers
 * (`npm run eval:personal -- --writers training --shifts … --rotations … --thicker …`, README):
 * this set fixed 2 of their 49 later errors and cost no more general accuracy than none.
 */
export const CORRECTION_VIEWS: AugmentOptions = { shifts: [1, 2], rotations: [8, 15], thicker: true };

/** The crop a corrected crop stands for, then its augmented views (each 784 values, new arrays). */
export function augmentCrop(crop: Float32Array, { shifts = [], rotations = [], thicker = false }: AugmentOptions = CORRECTION_VIEWS): Float32Array[] {
  if (crop.length !== PIXELS) throw new Error(`A crop must have ${PIXELS} values, got ${crop.length}`);
  const views: Float32Array[] = [crop.slice()];
  for (const s of shifts) {
    for (const [dx, dy] of [[s, 0], [-s, 0], [0, s], [0, -s]] as const) views.push(shiftCrop(crop, dx, dy));
  }
  for (const degrees of rotations) views.push(rotateCrop(crop, degrees), rotateCrop(crop, -degrees));
  if (thicker) views.push(thickenCrop(crop));
  return views;
}

/** A 28×28 crop turned `degrees` clockwise about its centre, bilinear; what turns in from outside is blank. */
export function rotateCrop(crop: Float32Array, degrees: number): Float32Array {
  const size = MODEL_INPUT_SIZE;
  const centre = (size - 1) / 2;
  const cos = Math.cos((degrees * Math.PI) / 180);
  const sin = Math.sin((degrees * Math.PI) / 180);
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= size || y >= size ? 0 : crop[y * size + x]);
  const out = new Float32Array(PIXELS);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // The source of each output pixel: the inverse turn.
      const sx = cos * (x - centre) + sin * (y - centre) + centre;
      const sy = -sin * (x - centre) + cos * (y - centre) + centre;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      out[y * size + x] = (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) + fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1));
    }
  }
  return out;
}

/** A 28×28 crop with each pixel the brightest of itself and its four neighbours: strokes a pixel thicker. */
export function thickenCrop(crop: Float32Array): Float32Array {
  const size = MODEL_INPUT_SIZE;
  const out = new Float32Array(PIXELS);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      out[i] = Math.max(crop[i], x > 0 ? crop[i - 1] : 0, x < size - 1 ? crop[i + 1] : 0, y > 0 ? crop[i - size] : 0, y < size - 1 ? crop[i + size] : 0);
    }
  }
  return out;
}
