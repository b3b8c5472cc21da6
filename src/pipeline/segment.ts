import { binarize } from './binarize';
import { scaleBox } from './boxes';
import { cropDigit } from './crop-digit';
import { dropNoise } from './drop-noise';
import { estimateDigitHeight } from './estimate-digit-height';
import { findInkBlobs } from './find-ink-blobs';
import { groupStrokes } from './group-strokes';
import { isWellFormed } from './lattice';
import { limitResolution } from './limit-resolution';
import { normalizeToMnist } from './normalize';
import { normalizeStrokeWidth } from './normalize-stroke-width';
import type { CV } from './opencv-types';
import {
  INK_THRESHOLD,
  MAX_BLOBS,
  MAX_DIGITS,
  MAX_SEGMENT_SIDE,
  STROKE_WIDTH_TARGET,
  SPECK_FRACTION,
  STRAY_FRACTION,
} from './options';
import { orderDigits } from './order-digits';
import { splitTouchingDigits } from './split-touching-digits';
import type { InkImage, Segmentation } from './types';

/** Knobs for `segmentDigits`; every one has a default from options.ts. */
export interface SegmentOptions {
  /** Ink level (0–255) above which a pixel is ink. */
  inkThreshold?: number;
  /** Most digits read; more set `truncated`. */
  maxDigits?: number;
  /** Stroke width the crops are redrawn at (see STROKE_WIDTH_TARGET); 0 keeps the pen's own width. */
  strokeWidth?: number;
}

/**
 * Finds the handwritten digits in an ink image and returns them in reading order (left to right)
 * as MNIST-style 28×28 crops with their boxes in image pixels. A malformed image (bad size, short
 * data) reads as empty; well-formed ones of any content are handled (tested up to 16000×16000).
 */
export function segmentDigits(cv: CV, image: InkImage, options: SegmentOptions = {}): Segmentation {
  const { inkThreshold = INK_THRESHOLD, maxDigits = MAX_DIGITS, strokeWidth = STROKE_WIDTH_TARGET } = options;
  if (!isWellFormed(image)) return { digits: [], truncated: false };
  const threshold = Number.isFinite(inkThreshold) ? Math.min(254, Math.max(0, inkThreshold)) : INK_THRESHOLD;
  const limit = Number.isFinite(maxDigits) ? Math.max(0, Math.floor(maxDigits)) : MAX_DIGITS;

  const { image: work, scale } = limitResolution(cv, image, MAX_SEGMENT_SIDE);
  const { blobs, labels } = findInkBlobs(cv, binarize(cv, work, threshold));
  const digitHeight = estimateDigitHeight(blobs);
  const strokes = dropNoise(blobs, SPECK_FRACTION * digitHeight, MAX_BLOBS);
  const grouped = dropNoise(groupStrokes(strokes, labels, digitHeight), STRAY_FRACTION * digitHeight);
  const groups = orderDigits(splitTouchingDigits(cv, grouped, labels, digitHeight));

  const digits = groups.slice(0, limit).map((group) => {
    const crop = cropDigit(work, labels, group);
    const redrawn = strokeWidth > 0 ? normalizeStrokeWidth(cv, crop, strokeWidth) : crop;
    return { box: scaleBox(group.box, scale, image), pixels: normalizeToMnist(redrawn) };
  });
  return { digits, truncated: groups.length > limit };
}
