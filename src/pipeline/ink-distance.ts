import type { InkBlob, LabelImage } from './types';

/**
 * Approximate shortest distance, in pixels, between a part's ink and a digit's ink, looking at
 * most `reach` pixels away (Infinity beyond). Each column's ink is taken as the span from its top
 * to its bottom pixel, so a part inside a digit's loop or between its strokes counts as touching
 * it. Unlike a box test, a part beside a digit's overhang (a small 7 under an 8's tail) stays
 * apart, and a 5's hat just right of the body's top is found close. Scans only the columns
 * within `reach` of the part.
 */
export function inkDistance(labels: LabelImage, part: InkBlob, digit: readonly InkBlob[], reach: number): number {
  const r = Math.max(0, Math.ceil(reach));
  const x0 = Math.max(0, part.box.x - r);
  const x1 = Math.min(labels.width, part.box.x + part.box.width + r);
  const columns = x1 - x0;
  if (columns <= 0) return Infinity;
  const partTop = new Int32Array(columns).fill(-1);
  const partBottom = new Int32Array(columns).fill(-1);
  scanColumns(labels, part, x0, x1, partTop, partBottom);
  const top = new Int32Array(columns).fill(-1);
  const bottom = new Int32Array(columns).fill(-1);
  for (const blob of digit) scanColumns(labels, blob, x0, x1, top, bottom);

  let best = Infinity;
  for (let c = 0; c < columns; c++) {
    if (partTop[c] < 0) continue;
    const from = Math.max(0, c - r);
    const to = Math.min(columns - 1, c + r);
    for (let d = from; d <= to; d++) {
      if (top[d] < 0) continue;
      const dx = d - c;
      const dy = Math.max(0, partTop[c] - bottom[d], top[d] - partBottom[c]);
      const distance = Math.sqrt(dx * dx + dy * dy);
      if (distance < best) best = distance;
    }
  }
  return best <= reach ? best : Infinity;
}

/** Widens per-column top/bottom ink rows (columns counted from x0) with one blob's pixels. */
function scanColumns({ width, labels }: LabelImage, blob: InkBlob, x0: number, x1: number, top: Int32Array, bottom: Int32Array): void {
  const from = Math.max(x0, blob.box.x);
  const to = Math.min(x1, blob.box.x + blob.box.width);
  if (from >= to) return;
  for (let y = blob.box.y; y < blob.box.y + blob.box.height; y++) {
    const row = y * width;
    for (let x = from; x < to; x++) {
      if (labels[row + x] !== blob.label) continue;
      const c = x - x0;
      if (top[c] < 0 || y < top[c]) top[c] = y;
      if (y > bottom[c]) bottom[c] = y;
    }
  }
}
