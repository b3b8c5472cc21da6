import { indexByWriter, loadPendigits, type PenDigit } from '../../scripts/lib/pendigits';
import { renderPhoto, type PhotoSpec, type RenderedPhoto } from '../../scripts/lib/render-photo';

/** Digits of the `writer`-th pendigits writer, each label's samples taken in turn. */
export function digitsOf(writer: number, labels: readonly number[]): PenDigit[] {
  const perLabel = [...indexByWriter(loadPendigits()).values()][writer];
  return labels.map((label, i) => perLabel[label][i % perLabel[label].length]);
}

/**
 * Named photos of real pen strokes (scripts/lib/render-photo.ts): ink on paper with uneven light
 * and a soft shadow, ruled lines touching the digits' feet, sensor noise; squared paper; one on a dark board;
 * one whose page is turned 8.4° in the picture (counter-clockwise) and one seen tilted, perspective.
 */
export const PHOTOS = {
  twoLines: { width: 800, height: 600, lines: [digitsOf(0, [3, 1, 4]), digitsOf(0, [2, 7, 1, 8])], seed: 1 },
  grainyShade: { width: 640, height: 480, lines: [digitsOf(3, [5, 0, 9, 6])], seed: 2, shade: 0.5, noise: 10 },
  squaredPaper: { width: 800, height: 500, lines: [digitsOf(4, [6, 0, 2, 9])], seed: 5, grid: 50 },
  rotated: { width: 800, height: 600, lines: [digitsOf(5, [4, 0, 7, 2, 9, 3])], seed: 8, rotate: 10 },
  tilted: { width: 800, height: 600, lines: [digitsOf(6, [8, 1, 6, 5]), digitsOf(6, [2, 0, 3])], seed: 5, rotate: 6, tilt: 20 },
  chalkboard: { width: 700, height: 500, lines: [digitsOf(7, [9, 4, 7])], seed: 4, paper: [40, 60, 50], ink: [230, 230, 225], ruled: false },
} satisfies Record<string, PhotoSpec>;

/** Renders one of {@link PHOTOS} (or any spec). */
export function photo(spec: PhotoSpec): RenderedPhoto {
  return renderPhoto(spec);
}
