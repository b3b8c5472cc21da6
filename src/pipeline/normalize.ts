import { MNIST_BOX, MNIST_CENTRE, MNIST_SIZE } from './options';
import type { FloatImage } from './types';

/** Intensity above which a pixel counts as ink when finding the bounding box. */
const INK_THRESHOLD = 0.05;

/**
 * Normalises a grey crop the way MNIST was built: fit the ink's bounding box into 20×20 keeping
 * its aspect ratio (area-averaged, so strokes stay anti-aliased), then shift it so the centre of
 * mass sits at (14, 14) of a 28×28 image. Returns 784 intensities in [0, 1]; all zeros if no ink.
 */
export function normalizeToMnist(image: FloatImage): Float32Array {
  const out = new Float32Array(MNIST_SIZE * MNIST_SIZE);
  const bounds = findInkBounds(image);
  if (!bounds) return out;

  const scale = MNIST_BOX / Math.max(bounds.width, bounds.height);
  const fitted = resampleArea(image, bounds, scale);
  const { cx, cy } = centreOfMass(fitted);
  if (!Number.isFinite(cx) || !Number.isFinite(cy)) return out;

  // MNIST puts the centre of mass on pixel index 14, i.e. 14.5 in the pixel-centre coordinates
  // centreOfMass returns (the 60k training digits average 14.50, 14.49); aiming at 14.0 would
  // shift every crop half a pixel up-left of what the model was trained on.
  const dx = Math.round(MNIST_CENTRE + 0.5 - cx);
  const dy = Math.round(MNIST_CENTRE + 0.5 - cy);
  for (let y = 0; y < fitted.height; y++) {
    const ty = y + dy;
    if (ty < 0 || ty >= MNIST_SIZE) continue;
    for (let x = 0; x < fitted.width; x++) {
      const tx = x + dx;
      if (tx < 0 || tx >= MNIST_SIZE) continue;
      out[ty * MNIST_SIZE + tx] = Math.min(1, fitted.data[y * fitted.width + x]);
    }
  }
  return out;
}

/** Tight bounding box of pixels above the ink threshold, or null for an empty image. */
export function findInkBounds(image: FloatImage): { x: number; y: number; width: number; height: number } | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -1;
  let maxY = -1;
  const { width, height, data } = image;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[y * width + x] > INK_THRESHOLD) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  if (maxX < 0) return null;
  return { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

/**
 * Resamples a region by exact area averaging (each output pixel is the mean of the source area it
 * covers), which anti-aliases like the MNIST preprocessing. Works for up- and down-scaling.
 */
function resampleArea(
  image: FloatImage,
  region: { x: number; y: number; width: number; height: number },
  scale: number,
): FloatImage {
  const outW = Math.max(1, Math.round(region.width * scale));
  const outH = Math.max(1, Math.round(region.height * scale));
  // Exact per-axis scales so the region maps onto whole output pixels.
  const sx = region.width / outW;
  const sy = region.height / outH;
  const xSpans = axisSpans(outW, sx, region.x);
  const ySpans = axisSpans(outH, sy, region.y);
  const data = new Float32Array(outW * outH);
  for (let oy = 0; oy < outH; oy++) {
    const ys = ySpans[oy];
    for (let ox = 0; ox < outW; ox++) {
      const xs = xSpans[ox];
      let sum = 0;
      for (let i = 0; i < ys.indices.length; i++) {
        const row = ys.indices[i] * image.width;
        const wy = ys.weights[i];
        for (let j = 0; j < xs.indices.length; j++) {
          sum += image.data[row + xs.indices[j]] * wy * xs.weights[j];
        }
      }
      data[oy * outW + ox] = sum / (sx * sy);
    }
  }
  return { width: outW, height: outH, data };
}

interface Span {
  indices: number[];
  weights: number[];
}

/** For each output pixel along one axis: the source pixels it covers and how much of each. */
function axisSpans(outLength: number, step: number, origin: number): Span[] {
  const spans: Span[] = [];
  for (let o = 0; o < outLength; o++) {
    const start = o * step;
    const end = start + step;
    const indices: number[] = [];
    const weights: number[] = [];
    for (let s = Math.floor(start); s < Math.ceil(end - 1e-9); s++) {
      const overlap = Math.min(end, s + 1) - Math.max(start, s);
      if (overlap > 1e-9) {
        indices.push(origin + s);
        weights.push(overlap);
      }
    }
    spans.push({ indices, weights });
  }
  return spans;
}

/** Intensity-weighted centre of mass, in pixel-centre coordinates (NaN for an empty image). */
export function centreOfMass(image: FloatImage): { cx: number; cy: number } {
  let total = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const v = image.data[y * image.width + x];
      total += v;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
    }
  }
  return { cx: sx / total, cy: sy / total };
}
