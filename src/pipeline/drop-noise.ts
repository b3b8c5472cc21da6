import type { Box } from './types';

/**
 * Drops items smaller than `minSize` pixels in both directions, then keeps at most `maxCount` of
 * the rest (the largest by area), preserving their order.
 */
export function dropNoise<T extends { box: Box; area: number }>(items: readonly T[], minSize: number, maxCount = Infinity): T[] {
  const kept = items.filter((item) => Math.max(item.box.width, item.box.height) >= minSize);
  if (kept.length <= maxCount) return kept;
  const largest = new Set([...kept].sort((a, b) => b.area - a.area).slice(0, Math.max(0, maxCount)));
  return kept.filter((item) => largest.has(item));
}
