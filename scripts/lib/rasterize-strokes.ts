import type { InkImage, StrokeTrace } from '../../src/pipeline/types';

/** A polyline of [x, y] points in pad pixels; one point draws a dot. */
export type Stroke = number[][];

/**
 * Draws thick polylines with round caps and joins into an anti-aliased ink image, like a browser
 * canvas with `lineCap = lineJoin = 'round'`: each pixel's coverage comes from its distance to the
 * nearest segment (1 inside, a 1-px linear ramp across the edge, 0 outside). The image carries the
 * strokes too, as the app's pad sends them.
 */
export function rasterizeStrokes(strokes: Stroke[], width: number, height: number, penWidth: number): InkImage {
  const w = Math.max(0, Math.floor(width));
  const h = Math.max(0, Math.floor(height));
  const data = new Uint8ClampedArray(w * h);
  const radius = Math.max(0.5, penWidth / 2);
  for (const stroke of strokes) {
    const points = stroke.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
    if (points.length === 0) continue;
    if (points.length === 1) drawSegment(data, w, h, points[0], points[0], radius);
    for (let i = 1; i < points.length; i++) drawSegment(data, w, h, points[i - 1], points[i], radius);
  }
  return { width: w, height: h, data, strokes: traceOf(strokes, penWidth) };
}

/** The strokes as the app's pad hands them to the recogniser with its image: points in order, stroke by stroke. */
export function traceOf(strokes: Stroke[], penWidth: number): StrokeTrace {
  const kept = strokes.map((s) => s.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]))).filter((s) => s.length > 0);
  const starts = new Uint32Array(kept.length);
  const points = new Float32Array(kept.reduce((n, s) => n + 2 * s.length, 0));
  let at = 0;
  kept.forEach((stroke, k) => {
    starts[k] = at / 2;
    for (const [x, y] of stroke) {
      points[at++] = x;
      points[at++] = y;
    }
  });
  return { points, starts, penWidth: Math.max(1, penWidth) };
}

/** Paints one capsule (segment with round ends), keeping the darker value where strokes overlap. */
function drawSegment(data: Uint8ClampedArray, w: number, h: number, a: number[], b: number[], radius: number): void {
  const [ax, ay] = a;
  const [bx, by] = b;
  const reach = radius + 1;
  const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - reach));
  const x1 = Math.min(w - 1, Math.ceil(Math.max(ax, bx) + reach));
  const y0 = Math.max(0, Math.floor(Math.min(ay, by) - reach));
  const y1 = Math.min(h - 1, Math.ceil(Math.max(ay, by) + reach));
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSq = dx * dx + dy * dy;
  for (let y = y0; y <= y1; y++) {
    // Pixel centres sit at +0.5, as on a canvas.
    const py = y + 0.5 - ay;
    for (let x = x0; x <= x1; x++) {
      const px = x + 0.5 - ax;
      const t = lengthSq > 0 ? Math.min(1, Math.max(0, (px * dx + py * dy) / lengthSq)) : 0;
      const ex = px - t * dx;
      const ey = py - t * dy;
      const coverage = radius + 0.5 - Math.sqrt(ex * ex + ey * ey);
      if (coverage <= 0) continue;
      const value = Math.round(Math.min(1, coverage) * 255);
      const i = y * w + x;
      if (value > data[i]) data[i] = value;
    }
  }
}
