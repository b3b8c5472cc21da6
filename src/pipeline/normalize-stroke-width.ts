import { measureStrokeWidth } from './measure-stroke-width';
import { findInkBounds } from './normalize';
import { MNIST_BOX, STROKE_WIDTH_TARGET, STROKE_WORK_SIZE } from './options';
import type { CV } from './opencv-types';
import type { FloatImage } from './types';

/** Widest target accepted, in pixels of the 20-px box: wider would fill the box with ink. */
const MAX_TARGET = MNIST_BOX / 4;

/** Thinnest stroke, in work pixels, that erosion may leave, so thin parts do not vanish. */
const MIN_WORK_STROKE = 1.5;

/**
 * Redraws a digit crop so that once `normalizeToMnist` fits it into the 20-px box its strokes are
 * as wide as MNIST's (`targetWidth` px, default calibrated for that), whatever the pad size, pen
 * width or writing size. The crop is
 * resampled so its ink's long side is STROKE_WORK_SIZE, thresholded at half its peak ink (thin
 * strokes shrunk below a pixel survive), its width measured, then grown or shrunk by the distance
 * transform (exact round pen, cost independent of the radius) with a one-pixel soft edge; it is
 * never thinned below the target where its typical stroke is (a filled loop must not erase the rest).
 * Returns the work image (ink in [0, 1]); an empty crop comes back unchanged.
 */
export function normalizeStrokeWidth(cv: CV, crop: FloatImage, targetWidth: number = STROKE_WIDTH_TARGET): FloatImage {
  const bounds = findInkBounds(crop);
  if (!bounds || !(targetWidth > 0)) return crop;
  const target = Math.min(targetWidth, MAX_TARGET);
  // Room around the ink for the widest stroke this target can ask for, plus the soft edge.
  const margin = Math.ceil((target * STROKE_WORK_SIZE) / (MNIST_BOX - target) / 2) + 2;
  const scale = STROKE_WORK_SIZE / Math.max(bounds.width, bounds.height);
  const workWidth = Math.max(1, Math.round(bounds.width * scale));
  const workHeight = Math.max(1, Math.round(bounds.height * scale));

  const src = new cv.Mat(crop.height, crop.width, cv.CV_32FC1);
  const region = new cv.Mat();
  const resized = new cv.Mat();
  const padded = new cv.Mat();
  const binary = new cv.Mat();
  const distance = new cv.Mat();
  try {
    src.data32F.set(crop.data);
    const roi = src.roi(new cv.Rect(bounds.x, bounds.y, bounds.width, bounds.height));
    try {
      roi.copyTo(region);
    } finally {
      roi.delete();
    }
    // Area averaging when shrinking keeps every stroke's ink; bilinear when enlarging is smooth.
    const interpolation = scale < 1 ? cv.INTER_AREA : cv.INTER_LINEAR;
    cv.resize(region, resized, new cv.Size(workWidth, workHeight), 0, 0, interpolation);
    cv.copyMakeBorder(resized, padded, margin, margin, margin, margin, cv.BORDER_CONSTANT, new cv.Scalar(0));
    let peak = 0;
    for (const v of resized.data32F) if (v > peak) peak = v;
    if (!(peak > 0)) return crop;
    cv.threshold(padded, binary, peak / 2, 255, cv.THRESH_BINARY);
    binary.convertTo(binary, cv.CV_8U);

    const width = padded.cols;
    const height = padded.rows;
    const mask: Uint8Array = binary.data.slice();
    const current = measureStrokeWidth(cv, { width, height, data: mask });
    const rect = cv.boundingRect(binary);
    const longSide = Math.max(rect.width, rect.height);
    // The fitted box grows with the stroke: solve W / (longSide − w + W) · MNIST_BOX = target for W.
    const wanted = Math.max(
      Math.min(current, MIN_WORK_STROKE),
      (target * Math.max(0, longSide - current)) / (MNIST_BOX - target),
    );
    // A blob as thick as half its size is a smudge, not strokes: leave its width alone.
    const radius = current * 2 >= longSide ? 0 : (wanted - current) / 2;
    const out = new Float32Array(width * height);
    if (radius >= 0) {
      // Distance from each background pixel to the nearest ink: 1 for a direct neighbour.
      cv.bitwise_not(binary, binary);
      cv.distanceTransform(binary, distance, cv.DIST_L2, cv.DIST_MASK_PRECISE);
      const d = distance.data32F;
      for (let i = 0; i < out.length; i++) out[i] = mask[i] ? 1 : clamp01(radius + 1 - d[i]);
    } else {
      // Distance from each ink pixel to the nearest background: 1 on the edge.
      cv.distanceTransform(binary, distance, cv.DIST_L2, cv.DIST_MASK_PRECISE);
      const d = distance.data32F;
      // The mean width overstates strokes when a small loop has filled with ink (a thick pen on a
      // small 8): eroding by it would cut the real strokes away. Never thin the typical stroke
      // below the wanted width.
      const depth = Math.min(-radius, Math.max(0, (typicalStrokeWidth(cv, distance) - wanted) / 2));
      for (let i = 0; i < out.length; i++) out[i] = mask[i] ? clamp01(d[i] - depth) : 0;
    }
    return { width, height, data: out };
  } finally {
    src.delete();
    region.delete();
    resized.delete();
    padded.delete();
    binary.delete();
    distance.delete();
  }
}

/**
 * Width of the typical stroke, from the distance transform of the ink (distance to background,
 * 1 on the edge): the median over the ridge pixels (local maxima, the strokes' centre lines) of
 * 2d − 1, which is a stroke's width in whole pixels. Filled blobs add few ridge pixels, so they
 * barely move it, unlike an area-based mean. 0 without ink.
 */
function typicalStrokeWidth(cv: CV, distance: InstanceType<CV['Mat']>): number {
  const dilated = new cv.Mat();
  const kernel = cv.Mat.ones(3, 3, cv.CV_8U);
  try {
    cv.dilate(distance, dilated, kernel);
    const d = distance.data32F;
    const peak = dilated.data32F;
    const ridge: number[] = [];
    for (let i = 0; i < d.length; i++) if (d[i] > 0 && d[i] >= peak[i]) ridge.push(d[i]);
    if (ridge.length === 0) return 0;
    ridge.sort((a, b) => a - b);
    return 2 * ridge[Math.floor(ridge.length / 2)] - 1;
  } finally {
    dilated.delete();
    kernel.delete();
  }
}

function clamp01(v: number): number {
  return v <= 0 ? 0 : v >= 1 ? 1 : v;
}
