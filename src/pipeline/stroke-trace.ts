import type { Box, StrokeTrace } from './types';

/** A point of a stroke in pad pixels (the pad's points carry more, such as time). */
export interface PenPoint {
  x: number;
  y: number;
}

/**
 * The strokes in the coordinates of an image of `region` (or of the whole pad): what lets the
 * recogniser tell two touching digits apart by the strokes that drew them. Points that are not
 * finite are left out, and strokes left with none.
 */
export function strokeTrace(strokes: readonly (readonly PenPoint[])[], penWidth: number, region?: Box): StrokeTrace {
  const dx = region?.x ?? 0;
  const dy = region?.y ?? 0;
  const kept = strokes.map((s) => s.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))).filter((s) => s.length > 0);
  const starts = new Uint32Array(kept.length);
  const points = new Float32Array(kept.reduce((n, s) => n + 2 * s.length, 0));
  let at = 0;
  kept.forEach((stroke, k) => {
    starts[k] = at / 2;
    for (const p of stroke) {
      points[at++] = p.x - dx;
      points[at++] = p.y - dy;
    }
  });
  return { points, starts, penWidth };
}
