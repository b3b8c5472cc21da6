import { visitCapsule } from './stroke-labels';
import { strokeTrace } from './stroke-trace';
import type { InkImage, StrokeTrace } from './types';

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

/** The strokes as the app's pad hands them to the recogniser with its image (its own strokeTrace). */
export function traceOf(strokes: Stroke[], penWidth: number): StrokeTrace {
  return strokeTrace(
    strokes.map((s) => s.map(([x, y]) => ({ x, y, t: 0 }))),
    Math.max(1, penWidth),
  );
}

/** Paints one capsule (segment with round ends), keeping the darker value where strokes overlap. */
function drawSegment(data: Uint8ClampedArray, w: number, h: number, [ax, ay]: number[], [bx, by]: number[], radius: number): void {
  visitCapsule(w, h, ax, ay, bx, by, radius + 1, (i, distance) => {
    const coverage = radius + 0.5 - distance;
    if (coverage <= 0) return;
    const value = Math.round(Math.min(1, coverage) * 255);
    if (value > data[i]) data[i] = value;
  });
}
