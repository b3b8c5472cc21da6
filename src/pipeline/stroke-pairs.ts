import { horizontalOverlap, unionBox, verticalOverlap } from './boxes';
import { inkDistance } from './ink-distance';
import {
  HAT_MAX_BOTTOM,
  HAT_MAX_GAP,
  HAT_MAX_TOP_DROP,
  MERGE_OVERLAP_FRACTION,
  OPEN_FOUR_BOTTOM_DROP,
  OPEN_FOUR_MAX_ASPECT,
  OPEN_FOUR_MAX_GAP,
  OPEN_FOUR_STEM_MAX_LOOP_ROWS,
  OPEN_FOUR_TOP_DROP,
} from './options';
import { sideBySide } from './side-by-side';
import type { Box, InkBlob, LabelImage } from './types';

/** Two strokes of one digit: mostly sharing columns, close vertically, and not side by side. */
export function belongTogether(labels: LabelImage, a: InkBlob, b: InkBlob, maxGap: number): boolean {
  const narrower = Math.min(a.box.width, b.box.width);
  return (
    horizontalOverlap(a.box, b.box) >= MERGE_OVERLAP_FRACTION * narrower &&
    -verticalOverlap(a.box, b.box) <= maxGap &&
    !sideBySide(labels, a, b)
  );
}

/**
 * The two strokes of an open 4: side by side and nearly touching, the right one (the stem) is one
 * stroke hanging lower at both ends, and together they are no wider than one narrow digit. Two
 * digits written next to each other share a baseline and make a wider pair.
 */
export function formOpenFour(labels: LabelImage, a: InkBlob, b: InkBlob, digitHeight: number): boolean {
  const [left, stem] = a.box.x + a.box.width / 2 <= b.box.x + b.box.width / 2 ? [a, b] : [b, a];
  const both = unionBox(a.box, b.box);
  const bottom = (box: Box): number => box.y + box.height;
  return (
    both.width <= OPEN_FOUR_MAX_ASPECT * both.height &&
    stem.box.y - left.box.y >= OPEN_FOUR_TOP_DROP * both.height &&
    bottom(stem.box) - bottom(left.box) >= OPEN_FOUR_BOTTOM_DROP * both.height &&
    inkDistance(labels, left, [stem], OPEN_FOUR_MAX_GAP * digitHeight) < Infinity &&
    isOneStroke(labels, stem)
  );
}

/**
 * True when at most OPEN_FOUR_STEM_MAX_LOOP_ROWS of a blob's rows hold more than one run of its
 * ink: one stroke, straight or slanted, like a 4's stem, not a digit with a loop (a 9 whose tail
 * sweeps under a 4 comes as close to it as a stem).
 */
function isOneStroke({ width, labels }: LabelImage, blob: InkBlob): boolean {
  const { x: x0, y: y0, width: w, height: h } = blob.box;
  let rowsWithTwoRuns = 0;
  for (let y = y0; y < y0 + h; y++) {
    let runs = 0;
    let inside = false;
    for (let x = x0; x < x0 + w; x++) {
      const ink = labels[y * width + x] === blob.label;
      if (ink && !inside) runs++;
      inside = ink;
    }
    if (runs > 1) rowsWithTwoRuns++;
  }
  return rowsWithTwoRuns <= OPEN_FOUR_STEM_MAX_LOOP_ROWS * h;
}

/**
 * A 5's hat and its body, however tall the hat: the hat starts near the body's top, ends in its
 * upper part, shares half the narrower one's columns, and its ink nearly meets the body's. A digit
 * beside another, even smaller or raised on a slanted line, reaches further down its neighbour.
 */
export function formHatOfFive(labels: LabelImage, hat: InkBlob, body: InkBlob, digitHeight: number): boolean {
  const narrower = Math.min(hat.box.width, body.box.width);
  return (
    hat.box.y <= body.box.y + HAT_MAX_TOP_DROP * body.box.height &&
    hat.box.y + hat.box.height <= body.box.y + HAT_MAX_BOTTOM * body.box.height &&
    horizontalOverlap(hat.box, body.box) >= MERGE_OVERLAP_FRACTION * narrower &&
    inkDistance(labels, hat, [body], HAT_MAX_GAP * digitHeight) < Infinity
  );
}
