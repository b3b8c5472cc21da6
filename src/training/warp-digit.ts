import type { FloatImage } from '../pipeline/types';
import type { Random } from './create-random';

/** A 2×2 linear map followed by a shift, in output pixels, about the canvas centre. */
export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  /** Shift in output pixels. */
  tx: number;
  ty: number;
}

/** A smooth random displacement field: coarse random offsets, smoothly interpolated. */
export interface ElasticField {
  /** Nodes per side of the coarse grid. */
  grid: number;
  /** grid × grid (dx, dy) pairs, in output pixels. */
  offsets: Float32Array;
}

/** The identity map: no rotation, scale, shear or shift. */
export const IDENTITY: Affine = { a: 1, b: 0, c: 0, d: 1, tx: 0, ty: 0 };

/**
 * Builds rotation · shear · scale (+ shift). Angles in radians, shift in output pixels; shear
 * slants x with y like italic handwriting.
 */
export function composeAffine(rotation: number, shear: number, scaleX: number, scaleY: number, tx = 0, ty = 0): Affine {
  const cos = Math.cos(rotation);
  const sin = Math.sin(rotation);
  // [cos −sin; sin cos] · [1 shear; 0 1] · [sx 0; 0 sy]
  return {
    a: cos * scaleX,
    b: (cos * shear - sin) * scaleY,
    c: sin * scaleX,
    d: (sin * shear + cos) * scaleY,
    tx,
    ty,
  };
}

/** Draws a random elastic field with offsets up to ±amplitude output pixels. */
export function randomElasticField(random: Random, amplitude: number, grid = 4): ElasticField {
  const offsets = new Float32Array(grid * grid * 2);
  for (let i = 0; i < offsets.length; i++) offsets[i] = random.uniform(-amplitude, amplitude);
  return { grid, offsets };
}

/** Smoothstep: makes the bilinear blend of the coarse grid C¹-smooth, so strokes bend, not kink. */
const smooth = (t: number) => t * t * (3 - 2 * t);

/**
 * Renders a square grey source image (e.g. a 28×28 MNIST digit, values in [0, 1]) into a larger
 * canvas at `zoom`× resolution through an affine map and an optional elastic field, sampling the
 * source bilinearly. Working at 2× keeps thin strokes intact through rotation and lets stroke-width
 * changes be finer than one MNIST pixel; the pipeline's normalisation then brings it back to 28×28.
 */
export function warpDigit(
  source: FloatImage,
  {
    size,
    zoom,
    affine = IDENTITY,
    elastic,
    contrast = 1,
  }: { size: number; zoom: number; affine?: Affine; elastic?: ElasticField; contrast?: number },
): FloatImage {
  const out = new Float32Array(size * size);
  const { a, b, c, d, tx, ty } = affine;
  const det = a * d - b * c;
  // Inverse map: for each output pixel find where it comes from.
  const ia = d / det;
  const ib = -b / det;
  const ic = -c / det;
  const id = a / det;
  const centre = size / 2;
  const srcCx = source.width / 2;
  const srcCy = source.height / 2;
  // contrast > 1 steepens the edges bilinear upsampling softens, so that after the normalisation
  // averages back down the strokes are as crisp as MNIST's (and as the app's crops), not blurrier.
  const cell = elastic ? size / (elastic.grid - 1) : 1;

  // Zero border of one pixel so the bilinear taps need no bounds checks.
  const pw = source.width + 2;
  const ph = source.height + 2;
  const padded = new Float32Array(pw * ph);
  for (let y = 0; y < source.height; y++) {
    padded.set(source.data.subarray(y * source.width, (y + 1) * source.width), (y + 1) * pw + 1);
  }
  const o = elastic?.offsets;
  const grid = elastic?.grid ?? 0;

  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let px = x + 0.5 - centre - tx;
      let py = y + 0.5 - centre - ty;
      if (o) {
        const gx = Math.min((x + 0.5) / cell, grid - 1.000001);
        const gy = Math.min((y + 0.5) / cell, grid - 1.000001);
        const x0 = Math.floor(gx);
        const y0 = Math.floor(gy);
        const fx = smooth(gx - x0);
        const fy = smooth(gy - y0);
        const i00 = (y0 * grid + x0) * 2;
        const i10 = i00 + 2;
        const i01 = i00 + grid * 2;
        const i11 = i01 + 2;
        px += (o[i00] * (1 - fx) + o[i10] * fx) * (1 - fy) + (o[i01] * (1 - fx) + o[i11] * fx) * fy;
        py += (o[i00 + 1] * (1 - fx) + o[i10 + 1] * fx) * (1 - fy) + (o[i01 + 1] * (1 - fx) + o[i11 + 1] * fx) * fy;
      }
      // Source coordinates with pixel centres at integers, shifted by the one-pixel border.
      const sx = (ia * px + ib * py) / zoom + srcCx + 0.5;
      const sy = (ic * px + id * py) / zoom + srcCy + 0.5;
      if (sx < 0 || sy < 0 || sx >= pw - 1 || sy >= ph - 1) continue;
      const x0 = sx | 0;
      const y0 = sy | 0;
      const fx = sx - x0;
      const fy = sy - y0;
      const i = y0 * pw + x0;
      const top = padded[i] + (padded[i + 1] - padded[i]) * fx;
      const bottom = padded[i + pw] + (padded[i + pw + 1] - padded[i + pw]) * fx;
      const v = (top + (bottom - top) * fy - 0.5) * contrast + 0.5;
      out[y * size + x] = v <= 0 ? 0 : v >= 1 ? 1 : v;
    }
  }
  return { width: size, height: size, data: out };
}

