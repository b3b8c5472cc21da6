import { rasterizeStrokes, type Stroke } from '../../src/pipeline/rasterize-strokes';
import type { InkImage } from '../../src/pipeline/types';

/** Strokes drawn in a unit box (0..1, y down), placed at (x, y) and scaled to `size` pixels. */
export function place(unitStrokes: Stroke[], x: number, y: number, size: number): Stroke[] {
  return unitStrokes.map((s) => s.map(([u, v]) => [x + u * size, y + v * size]));
}

/** Renders strokes on a pad like the canvas does. */
export function pad(strokes: Stroke[], width = 600, height = 400, pen = 8): InkImage {
  return rasterizeStrokes(strokes, width, height, pen);
}

/** A closed oval filling the unit box: a 0. */
function ring(): Stroke {
  return Array.from({ length: 33 }, (_, i) => {
    const angle = (i / 32) * 2 * Math.PI;
    return [0.5 + 0.35 * Math.sin(angle), 0.5 - 0.5 * Math.cos(angle)];
  });
}

/** Unit-box shapes for grouping fixtures; each entry is one digit's strokes. */
export const SHAPES = {
  one: [[[0.45, 0.0], [0.5, 1.0]]],
  seven: [[[0.1, 0.05], [0.9, 0.05], [0.4, 1.0]]],
  zero: [ring()],
  two: [[[0.15, 0.25], [0.4, 0.0], [0.75, 0.1], [0.7, 0.45], [0.1, 1.0], [0.9, 1.0]]],
  three: [[[0.15, 0.1], [0.6, 0.0], [0.75, 0.25], [0.4, 0.5], [0.8, 0.7], [0.6, 1.0], [0.1, 0.9]]],
  /** A 5 whose hat is a separate stroke starting near the body's top and running right. */
  fiveWithHat: [
    [[0.2, 0.12], [0.15, 0.45], [0.5, 0.4], [0.75, 0.6], [0.7, 0.85], [0.4, 1.0], [0.1, 0.9]],
    [[0.26, 0.03], [1.0, 0.0]],
  ],
  /** A 7 in two strokes: the bar, then the diagonal starting just below its right end. */
  sevenTwoStrokes: [
    [[0.05, 0.05], [0.85, 0.05]],
    [[0.9, 0.14], [0.4, 1.0]],
  ],
  /** A 7 whose crossbar stops short of the diagonal. */
  sevenWithCrossbar: [
    [[0.1, 0.05], [0.9, 0.05], [0.4, 1.0]],
    [[0.3, 0.55], [0.52, 0.55]],
  ],
  /** An open 4: an L, then a stem on the right that starts lower and hangs below it. */
  fourOpen: [
    [[0.45, 0.0], [0.05, 0.65], [0.66, 0.65]],
    [[0.76, 0.3], [0.73, 1.0]],
  ],
  /** A 4 whose stem starts below the bar: the bar spans right over it. */
  fourStemBelowBar: [
    [[0.5, 0.0], [0.1, 0.6], [0.95, 0.6]],
    [[0.75, 0.7], [0.75, 1.0]],
  ],
  /** A 1 with a separate base below it. */
  oneWithBase: [
    [[0.5, 0.0], [0.5, 0.88]],
    [[0.25, 1.0], [0.75, 1.0]],
  ],
  /** A 0 with a dot drawn inside it. */
  zeroWithDot: [
    ring(),
    [[0.5, 0.5]],
  ],
} satisfies Record<string, Stroke[]>;
