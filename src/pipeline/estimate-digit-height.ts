import type { InkBlob } from './types';

/**
 * Typical digit height in pixels: the area-weighted median of blob heights, so a few large strokes
 * outweigh many specks, and a 5's hat or a stray dot barely moves it. 0 when there is no ink.
 */
export function estimateDigitHeight(blobs: readonly InkBlob[]): number {
  if (blobs.length === 0) return 0;
  const byHeight = [...blobs].sort((a, b) => b.box.height - a.box.height);
  const total = byHeight.reduce((sum, b) => sum + b.area, 0);
  let seen = 0;
  for (const blob of byHeight) {
    seen += blob.area;
    if (seen * 2 >= total) return blob.box.height;
  }
  return byHeight[byHeight.length - 1].box.height;
}
