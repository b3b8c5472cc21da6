import { mapBoxCorners } from './boxes';
import { rasterizeStrokes, type Stroke } from './rasterize-strokes';
import { isReadableTrace } from './stroke-labels';
import type { Box, InkImage, StrokeTrace } from './types';

/** Leans are measured and undone within ±this (x moved by lean × height): beyond it is not writing. */
export const MAX_LEAN = 1;

/**
 * The writing's lean from its pen path: how far right x moves per unit of height going up, fitted
 * (least squares) over the path's segments steeper than 45°, which are the digits' upright
 * strokes; flat ones (bars, hats, joins) do not vote. 0 when nothing is steep.
 */
export function estimateLean(trace: StrokeTrace): number {
  const pointCount = Math.floor(trace.points.length / 2);
  let sumDxDy = 0;
  let sumDy2 = 0;
  for (let k = 0; k < trace.starts.length; k++) {
    const end = k + 1 < trace.starts.length ? trace.starts[k + 1] : pointCount;
    for (let i = trace.starts[k] + 1; i < end; i++) {
      const dx = trace.points[2 * i] - trace.points[2 * i - 2];
      const dy = trace.points[2 * i + 1] - trace.points[2 * i - 1];
      if (!(Math.abs(dy) > Math.abs(dx))) continue;
      sumDxDy += dx * dy;
      sumDy2 += dy * dy;
    }
  }
  // y grows downwards: a stroke leaning right goes up (dy < 0) as it goes right (dx > 0).
  const lean = sumDy2 > 0 ? -sumDxDy / sumDy2 : 0;
  return Math.max(-MAX_LEAN, Math.min(MAX_LEAN, lean));
}

/** Ink redrawn upright, and how to take a box in it back to the ink it came from. */
export interface UprightInk {
  image: InkImage;
  /** The lean undone. */
  lean: number;
  /** The bounding box, in the original ink's pixels, of a box in `image`. */
  toOriginal(box: Box): Box;
}

/**
 * `image` redrawn from its strokes with `lean` (within ±{@link MAX_LEAN}) undone: each point moved
 * left by lean × its height above the writing's middle, drawn with the same pen on a canvas as tall
 * and as wide as needed (at most the image's width plus its height); the writing keeps its place
 * where it fits. Undefined without readable strokes (a picture, a malformed trace).
 */
export function uprightInk(image: InkImage, lean: number): UprightInk | undefined {
  const trace = image.strokes;
  const sized = Number.isInteger(image.width) && Number.isInteger(image.height) && image.width > 0 && image.height > 0;
  if (!sized || !isReadableTrace(trace) || trace.points.length < 2 || !(Math.abs(lean) <= MAX_LEAN)) return undefined;
  const pointCount = Math.floor(trace.points.length / 2);
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < pointCount; i++) {
    minY = Math.min(minY, trace.points[2 * i + 1]);
    maxY = Math.max(maxY, trace.points[2 * i + 1]);
  }
  const middle = (minY + maxY) / 2;
  const strokes: Stroke[] = [];
  let minX = Infinity;
  let maxX = -Infinity;
  for (let k = 0; k < trace.starts.length; k++) {
    const end = k + 1 < trace.starts.length ? trace.starts[k + 1] : pointCount;
    const stroke: Stroke = [];
    for (let i = trace.starts[k]; i < end; i++) {
      const x = trace.points[2 * i] + lean * (trace.points[2 * i + 1] - middle);
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      stroke.push([x, trace.points[2 * i + 1]]);
    }
    strokes.push(stroke);
  }
  // Room for the pen on both sides; the canvas grows only if the upright writing is wider than it.
  const margin = 2 * Math.max(1, trace.penWidth);
  // Bounded, so a trace with points far outside its image cannot ask for a huge canvas.
  const width = Math.min(image.width + image.height + 2 * margin, Math.max(image.width, Math.ceil(maxX - minX + 2 * margin)));
  const shift = minX < margin ? margin - minX : maxX > width - margin ? width - margin - maxX : 0;
  for (const stroke of strokes) for (const p of stroke) p[0] += shift;
  const upright = rasterizeStrokes(strokes, width, image.height, trace.penWidth);
  // A point's x in the original: moved back by the shift, then leaned again at its height.
  const toOriginal = (box: Box): Box => mapBoxCorners(box, (x, y) => [x - shift - lean * (y - middle), y], image);
  return { image: upright, lean, toOriginal };
}
