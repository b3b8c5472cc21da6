import { rasterizeStrokes, type Stroke } from './rasterize-strokes';
import type { InkImage } from './types';

/** Digit height of the made-up number, in pixels: a typical digit on a desktop pad. */
const HEIGHT = 120;

/**
 * A made-up number that takes the lattice down its paths: a "2" and a "3" written without lifting
 * the pen (a cut at the pen's join), an open "4" in two strokes (strokes merged into one digit) and
 * a "5" whose hat comes last. Reading it once at start-up compiles the code a person's first
 * number needs, so that number is not the one that waits for the JIT (in Node, the first three
 * pendigits inks of the bench read in 32–47 ms each without it, 9–19 ms after one warm-up).
 */
export function warmUpInk(height = HEIGHT, penWidth = 8): InkImage {
  const scale = height / 150;
  const twoThree: Stroke = [
    [20, 40], [40, 22], [70, 20], [90, 40], [85, 70], [40, 120], [25, 140], [95, 140], // 2
    [120, 120], [130, 40], [150, 22], [185, 25], [195, 50], [170, 78], [150, 80], // join, 3's top
    [190, 95], [200, 125], [180, 140], [140, 138], // 3's belly
  ];
  const fourLeft: Stroke = [[250, 20], [232, 95], [300, 95]];
  const fourStem: Stroke = [[285, 40], [288, 145]];
  const fiveBody: Stroke = [[345, 22], [340, 75], [370, 65], [395, 85], [395, 120], [370, 142], [335, 132]];
  const fiveHat: Stroke = [[352, 20], [405, 18]];
  const strokes = [twoThree, fourLeft, fourStem, fiveBody, fiveHat].map((s) => s.map(([x, y]) => [x * scale + penWidth, y * scale + penWidth]));
  return rasterizeStrokes(strokes, Math.ceil(420 * scale + 2 * penWidth), Math.ceil(150 * scale + 2 * penWidth), penWidth);
}
