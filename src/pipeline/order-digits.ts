import type { DigitGroup } from './types';

/**
 * Puts digits in reading order, left to right by the centre of their boxes: centres stay in order
 * when slanted neighbours share a few columns, where left edges may not.
 */
export function orderDigits(groups: readonly DigitGroup[]): DigitGroup[] {
  const centre = (g: DigitGroup): number => g.box.x + g.box.width / 2;
  return [...groups].sort((a, b) => centre(a) - centre(b) || a.box.y - b.box.y);
}
