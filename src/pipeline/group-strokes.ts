import { horizontalOverlap, unionBox, verticalOverlap } from './boxes';
import { inkDistance } from './ink-distance';
import { sideBySide } from './side-by-side';
import {
  ATTACH_MAX_GAP_FRACTION,
  ATTACH_OVERLAP_FRACTION,
  DOT_FRACTION,
  FLAT_ASPECT,
  MAJOR_HEIGHT_FRACTION,
  MERGE_OVERLAP_FRACTION,
  OPEN_FOUR_BOTTOM_DROP,
  OPEN_FOUR_MAX_ASPECT,
  OPEN_FOUR_MAX_GAP,
  OPEN_FOUR_TOP_DROP,
  SMALL_DIGIT_FRACTION,
  TOUCH_GAP_FRACTION,
} from './options';
import type { Box, DigitGroup, InkBlob, LabelImage } from './types';

/**
 * Groups blobs into digits. Digit-sized blobs merge only when they overlap a lot horizontally and
 * are not side by side (a 4 in two strokes), or form an open 4; each small part (5's hat, 7's bar, 1's base, dot)
 * joins the digit that covers most of its width if that digit's ink comes close to it;
 * leftover small parts may pair up among themselves. Thresholds are fractions of `digitHeight`,
 * so they hold at any writing size.
 */
export function groupStrokes(blobs: readonly InkBlob[], labels: LabelImage, digitHeight: number): DigitGroup[] {
  const n = blobs.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const union = (i: number, j: number): void => {
    parent[find(i)] = find(j);
  };
  const maxGap = ATTACH_MAX_GAP_FRACTION * digitHeight;
  const major = blobs.map((b) => b.box.height >= MAJOR_HEIGHT_FRACTION * digitHeight);

  for (let i = 0; i < n; i++) {
    if (!major[i]) continue;
    for (let j = i + 1; j < n; j++) {
      if (!major[j]) continue;
      if (belongTogether(labels, blobs[i], blobs[j], maxGap) || openFour(labels, blobs[i], blobs[j], digitHeight)) union(i, j);
    }
  }

  const digits = new Map<number, Candidate>();
  for (let i = 0; i < n; i++) {
    if (!major[i]) continue;
    const root = find(i);
    const digit = digits.get(root);
    if (digit) {
      digit.box = unionBox(digit.box, blobs[i].box);
      digit.blobs.push(blobs[i]);
    } else {
      digits.set(root, { box: blobs[i].box, blobs: [blobs[i]] });
    }
  }

  const attachments: [number, number][] = [];
  const loose: number[] = [];
  for (let i = 0; i < n; i++) {
    if (major[i]) continue;
    const target = bestDigitFor(blobs[i], digits, labels, digitHeight);
    if (target === undefined) loose.push(i);
    else attachments.push([i, target]);
  }
  for (let a = 0; a < loose.length; a++) {
    for (let b = a + 1; b < loose.length; b++) {
      if (belongTogether(labels, blobs[loose[a]], blobs[loose[b]], maxGap)) union(loose[a], loose[b]);
    }
  }
  for (const [part, digit] of attachments) union(part, digit);

  const groups = new Map<number, DigitGroup>();
  for (let i = 0; i < n; i++) {
    const root = find(i);
    const group = groups.get(root);
    const blob = blobs[i];
    if (group) {
      group.labels.push(blob.label);
      group.box = unionBox(group.box, blob.box);
      group.area += blob.area;
    } else {
      groups.set(root, { labels: [blob.label], box: blob.box, area: blob.area });
    }
  }
  return [...groups.values()];
}

/** Two strokes of one digit: mostly sharing columns, close vertically, and not side by side. */
function belongTogether(labels: LabelImage, a: InkBlob, b: InkBlob, maxGap: number): boolean {
  const narrower = Math.min(a.box.width, b.box.width);
  return (
    horizontalOverlap(a.box, b.box) >= MERGE_OVERLAP_FRACTION * narrower &&
    -verticalOverlap(a.box, b.box) <= maxGap &&
    !sideBySide(labels, a, b)
  );
}

/**
 * The two strokes of an open 4: side by side and nearly touching, the right one (the stem) hangs
 * lower at both ends, and together they are no wider than one narrow digit. Two digits written
 * next to each other share a baseline and make a wider pair.
 */
function openFour(labels: LabelImage, a: InkBlob, b: InkBlob, digitHeight: number): boolean {
  const [left, stem] = a.box.x + a.box.width / 2 <= b.box.x + b.box.width / 2 ? [a, b] : [b, a];
  const both = unionBox(a.box, b.box);
  const bottom = (box: Box): number => box.y + box.height;
  return (
    both.width <= OPEN_FOUR_MAX_ASPECT * both.height &&
    stem.box.y - left.box.y >= OPEN_FOUR_TOP_DROP * both.height &&
    bottom(stem.box) - bottom(left.box) >= OPEN_FOUR_BOTTOM_DROP * both.height &&
    inkDistance(labels, left, [stem], OPEN_FOUR_MAX_GAP * digitHeight) < Infinity
  );
}

/** A digit formed by digit-sized blobs, which small parts may join. */
interface Candidate {
  box: Box;
  blobs: InkBlob[];
}

/**
 * The digit a small part belongs to: among digits whose ink comes within `maxGap` of the part and
 * that cover enough of its width (a flat stroke needs less; a compact shape, maybe a small digit,
 * needs most and, if tall enough to be a small digit, must not sit level beside the digit's
 * strokes), or whose ink all but touches a
 * flat stroke (a 5's hat off to the right), the one with the nearest ink, then the larger share.
 */
function bestDigitFor(
  part: InkBlob,
  digits: Map<number, Candidate>,
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
    if (share < minShare && !flat) continue;
    // A part tall enough to be a small digit, level with a digit's stroke and not reaching
    // above it (as hats do), is a small digit beside it.
    const level = part.box.y >= digit.box.y;
    if (mayBeDigit && level && digit.blobs.some((blob) => sideBySide(labels, part, blob))) continue;
    // A dot is judged by boxes: one over or inside a digit's span joins it however its ink lies.
    const gap = dot ? Math.max(0, -verticalOverlap(part.box, digit.box)) : inkDistance(labels, part, digit.blobs, maxGap);
    if (!(share >= minShare ? gap <= maxGap : gap <= touchGap)) continue;
    if (gap < bestGap || (gap === bestGap && share > bestShare)) {
      best = root;
      bestShare = share;
      bestGap = gap;
    }
  }
  return best;
}
