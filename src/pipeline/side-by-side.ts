import { SIDE_BY_SIDE_ROWS_FRACTION } from './options';
import type { InkBlob, LabelImage } from './types';

/**
 * True when two blobs share most of the shorter one's rows and, in every row where both have ink,
 * one blob's ink lies entirely left of the other's (always the same one): two digits written next
 * to each other, even slanted or under an 8's tail. Strokes of one digit cross, interleave, or
 * stack (a 5's hat, an 8's loops) sharing only a few rows.
 */
export function sideBySide(labels: LabelImage, a: InkBlob, b: InkBlob): boolean {
  const y0 = Math.max(a.box.y, b.box.y);
  const y1 = Math.min(a.box.y + a.box.height, b.box.y + b.box.height);
  if (y1 - y0 < SIDE_BY_SIDE_ROWS_FRACTION * Math.min(a.box.height, b.box.height)) return false;
  const ra = rowExtents(labels, a, y0, y1);
  const rb = rowExtents(labels, b, y0, y1);
  let aLeft = false;
  let bLeft = false;
  for (let i = 0; i < y1 - y0; i++) {
    if (ra.min[i] < 0 || rb.min[i] < 0) continue;
    if (ra.max[i] < rb.min[i]) aLeft = true;
    else if (rb.max[i] < ra.min[i]) bLeft = true;
    else return false;
    if (aLeft && bLeft) return false;
  }
  return true;
}

/** Leftmost and rightmost ink column of a blob in each row from y0 to y1 (-1: none). */
function rowExtents({ width, labels }: LabelImage, blob: InkBlob, y0: number, y1: number): { min: Int32Array; max: Int32Array } {
  const min = new Int32Array(y1 - y0).fill(-1);
  const max = new Int32Array(y1 - y0).fill(-1);
  const x0 = blob.box.x;
  const x1 = blob.box.x + blob.box.width;
  for (let y = y0; y < y1; y++) {
    const row = y * width;
    for (let x = x0; x < x1; x++) {
      if (labels[row + x] !== blob.label) continue;
      if (min[y - y0] < 0) min[y - y0] = x;
      max[y - y0] = x;
    }
  }
  return { min, max };
}
