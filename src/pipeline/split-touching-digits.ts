import { measureStrokeWidth } from './measure-stroke-width';
import type { CV } from './opencv-types';
import {
  MAJOR_HEIGHT_FRACTION,
  SPLIT_ALONE_MIN_WIDTH,
  SPLIT_MAX_BRIDGE,
  SPLIT_MAX_BRIDGE_LENGTH,
  SPLIT_MIN_WIDTH,
  SPLIT_MIN_WIDTH_RATIO,
  SPLIT_SEARCH_MARGIN,
} from './options';
import type { DigitGroup, LabelImage } from './types';

/**
 * Splits groups that are digits written touching: a group wide for a digit (see the width
 * constants in options.ts) is cut at the weakest column of its vertical projection (searched in its middle),
 * if that column holds no more ink than a single stroke crossing, that thin stretch is short, and
 * both sides are digit-sized (a 7's bar or a 5's long hat alone is not). Parts are split again
 * while they stay that wide. Digits touching along a long stroke, or crossing, stay joined.
 */
export function splitTouchingDigits(cv: CV, groups: readonly DigitGroup[], labels: LabelImage, digitHeight: number): DigitGroup[] {
  const out: DigitGroup[] = [];
  const pending = [...groups];
  const widths = groups.map((g) => g.box.width).sort((a, b) => a - b);
  // With other digits to compare, a pair must also be much wider than they are; a lone group
  // (one digit, or all touching) must be wider still, so wide single 0s and 2s stay whole.
  const minWidth =
    groups.length > 1
      ? Math.max(SPLIT_MIN_WIDTH * digitHeight, SPLIT_MIN_WIDTH_RATIO * widths[Math.floor(widths.length / 2)])
      : SPLIT_ALONE_MIN_WIDTH * digitHeight;
  while (pending.length > 0) {
    const group = pending.shift()!;
    const parts = group.box.width >= minWidth ? splitOnce(cv, group, labels, digitHeight) : undefined;
    if (parts) pending.unshift(...parts);
    else out.push(group);
  }
  return out;
}

/** The two halves of a group cut at its weakest column, or undefined where no cut is credible. */
function splitOnce(cv: CV, group: DigitGroup, labels: LabelImage, digitHeight: number): [DigitGroup, DigitGroup] | undefined {
  const { x, y, width, height } = group.box;
  const member = new Set(group.labels);
  const mask = new Uint8Array(width * height);
  const columns = new Int32Array(width);
  for (let row = 0; row < height; row++) {
    const offset = (y + row) * labels.width + x;
    for (let col = 0; col < width; col++) {
      if (!member.has(labels.labels[offset + col])) continue;
      mask[row * width + col] = 255;
      columns[col]++;
    }
  }
  const from = Math.floor(width * SPLIT_SEARCH_MARGIN);
  const to = Math.ceil(width * (1 - SPLIT_SEARCH_MARGIN));
  let cut = -1;
  for (let col = from; col < to; col++) {
    // Weakest column; among equals, the one nearest the middle.
    if (cut < 0 || columns[col] < columns[cut] || (columns[col] === columns[cut] && Math.abs(col - width / 2) < Math.abs(cut - width / 2))) cut = col;
  }
  if (cut <= 0) return undefined;
  const stroke = measureStrokeWidth(cv, { width, height, data: mask });
  const thin = SPLIT_MAX_BRIDGE * stroke;
  if (columns[cut] > thin) return undefined;
  // Where digits touch, the thin part is short; a long one is a stroke of one digit running
  // sideways (the bottom of a 0 open at the top, a 7's bar, a 5's hat).
  let first = cut;
  let last = cut;
  while (first > 0 && columns[first - 1] <= thin) first--;
  while (last < width - 1 && columns[last + 1] <= thin) last++;
  if (last - first + 1 > SPLIT_MAX_BRIDGE_LENGTH * stroke) return undefined;
  const left = part(group, mask, width, height, 0, cut);
  const right = part(group, mask, width, height, cut, width);
  // Each side must be digit-sized: tall enough, and more than a sliver of one stroke.
  const minHeight = MAJOR_HEIGHT_FRACTION * digitHeight;
  const digitSized = (p: DigitGroup | undefined): p is DigitGroup =>
    p !== undefined && p.box.height >= minHeight && p.box.width >= 2 * stroke;
  if (!digitSized(left) || !digitSized(right)) return undefined;
  return [left, right];
}

/** The group restricted to mask columns [from, to), its box tightened to the ink there. */
function part(group: DigitGroup, mask: Uint8Array, width: number, height: number, from: number, to: number): DigitGroup | undefined {
  let top = height;
  let bottom = -1;
  let left = to;
  let right = from - 1;
  let area = 0;
  for (let row = 0; row < height; row++) {
    for (let col = from; col < to; col++) {
      if (!mask[row * width + col]) continue;
      area++;
      if (row < top) top = row;
      bottom = row;
      if (col < left) left = col;
      if (col > right) right = col;
    }
  }
  if (area === 0) return undefined;
  const { x, y } = group.box;
  return { labels: group.labels, box: { x: x + left, y: y + top, width: right - left + 1, height: bottom - top + 1 }, area };
}
