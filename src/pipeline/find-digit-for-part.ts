import { horizontalOverlap, verticalOverlap } from './boxes';
import { inkDistance } from './ink-distance';
import {
  ATTACH_MAX_GAP_FRACTION,
  ATTACH_OVERLAP_FRACTION,
  DOT_FRACTION,
  FLAT_ASPECT,
  MERGE_OVERLAP_FRACTION,
  SMALL_DIGIT_FRACTION,
  TOUCH_GAP_FRACTION,
} from './options';
import { sideBySide } from './side-by-side';
import { formHatOfFive, formOpenFour } from './stroke-pairs';
import type { Box, InkBlob, LabelImage } from './types';

/** A digit formed by digit-sized blobs, which small parts may join. */
export interface DigitCandidate {
  box: Box;
  blobs: InkBlob[];
}

/**
 * Picks the digit (its key in `digits`) a small part belongs to, or undefined. A candidate must
 * cover enough of the part's width (a flat stroke needs ATTACH_OVERLAP_FRACTION, a compact one
 * MERGE_OVERLAP_FRACTION) and bring its ink within ATTACH_MAX_GAP_FRACTION × digit height, or, for
 * a flat stroke, within TOUCH_GAP_FRACTION whatever the overlap (a 5's hat off to the right). A
 * part tall enough to be a small digit may not sit level beside the candidate's strokes, unless it
 * completes a 5 or an open 4 with one of them; a dot is judged by boxes alone. The nearest ink
 * wins, then the larger share.
 */
export function findDigitForPart(
  part: InkBlob,
  digits: Map<number, DigitCandidate>,
  labels: LabelImage,
  digitHeight: number,
): number | undefined {
  const maxGap = ATTACH_MAX_GAP_FRACTION * digitHeight;
  const touchGap = TOUCH_GAP_FRACTION * digitHeight;
  const flat = part.box.height * FLAT_ASPECT <= part.box.width;
  const mayBeDigit = !flat && part.box.height >= SMALL_DIGIT_FRACTION * digitHeight;
  const dot = Math.max(part.box.width, part.box.height) < DOT_FRACTION * digitHeight;
  const minShare = flat ? ATTACH_OVERLAP_FRACTION : MERGE_OVERLAP_FRACTION;
  let best: number | undefined;
  let bestShare = -Infinity;
  let bestGap = Infinity;
  for (const [root, digit] of digits) {
    if (-verticalOverlap(part.box, digit.box) > maxGap || -horizontalOverlap(part.box, digit.box) > maxGap) continue;
    const share = horizontalOverlap(part.box, digit.box) / Math.max(1, part.box.width);
    // A 5's hat curving down beside the body's top, or an open 4's stem hanging below its L,
    // completes the digit although it sits beside it like a small digit.
    const completes = digit.blobs.some(
      (blob) => formHatOfFive(labels, part, blob, digitHeight) || formOpenFour(labels, part, blob, digitHeight),
    );
    if (!completes && share < minShare && !flat) continue;
    // Otherwise a part tall enough to be a small digit, level with a digit's stroke and not
    // reaching above it (as hats do), is a small digit beside it.
    const level = part.box.y >= digit.box.y;
    if (!completes && mayBeDigit && level && digit.blobs.some((blob) => sideBySide(labels, part, blob))) continue;
    // A dot is judged by boxes: one over or inside a digit's span joins it however its ink lies.
    const gap = dot ? Math.max(0, -verticalOverlap(part.box, digit.box)) : inkDistance(labels, part, digit.blobs, maxGap);
    if (!completes && !(share >= minShare ? gap <= maxGap : gap <= touchGap)) continue;
    if (gap < bestGap || (gap === bestGap && share > bestShare)) {
      best = root;
      bestShare = share;
      bestGap = gap;
    }
  }
  return best;
}
