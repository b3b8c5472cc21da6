import type { StrokeTrace } from './types';

/** A pixel belongs to a stroke whose centre line is within half the pen plus this many pixels (smoothing, anti-aliasing). */
export const STROKE_LABEL_SLACK = 2;

/** Whether a trace can be read: finite points, strokes starting in order inside them, a positive pen. */
export function isReadableTrace(trace: StrokeTrace | undefined): trace is StrokeTrace {
  if (!trace || !(trace.points instanceof Float32Array) || !(trace.starts instanceof Uint32Array)) return false;
  if (!(trace.penWidth > 0) || !Number.isFinite(trace.penWidth)) return false;
  const pointCount = Math.floor(trace.points.length / 2);
  for (let k = 0; k < trace.starts.length; k++) {
    if (trace.starts[k] >= pointCount || (k > 0 && trace.starts[k] <= trace.starts[k - 1])) return false;
  }
  return trace.points.every(Number.isFinite);
}

/**
 * Which stroke drew each pixel of a width×height image: 0 for none, k + 1 for stroke k, the
 * stroke whose centre line is nearest where strokes overlap. The trace is in the pixels of an
 * image `scale` times larger (a downscaled work image has scale > 1).
 */
export function labelStrokes(trace: StrokeTrace, width: number, height: number, scale = 1): Int32Array {
  const labels = new Int32Array(width * height);
  const nearest = new Float32Array(width * height).fill(Infinity);
  const reach = trace.penWidth / scale / 2 + STROKE_LABEL_SLACK;
  const pointCount = Math.floor(trace.points.length / 2);
  const x = (i: number) => trace.points[2 * i] / scale;
  const y = (i: number) => trace.points[2 * i + 1] / scale;
  for (let k = 0; k < trace.starts.length; k++) {
    const first = trace.starts[k];
    const last = (k + 1 < trace.starts.length ? trace.starts[k + 1] : pointCount) - 1;
    // Each segment as a capsule of radius `reach`; a one-point stroke is a dot.
    if (first === last) paintSegment(labels, nearest, width, height, x(first), y(first), x(first), y(first), reach, k + 1);
    for (let i = first + 1; i <= last; i++) paintSegment(labels, nearest, width, height, x(i - 1), y(i - 1), x(i), y(i), reach, k + 1);
  }
  return labels;
}

/** Labels the pixels within `reach` of segment a→b that no nearer stroke has claimed (squared distances: the hot loop of the pipeline). */
function paintSegment(labels: Int32Array, nearest: Float32Array, width: number, height: number, ax: number, ay: number, bx: number, by: number, reach: number, label: number): void {
  const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - reach));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(ax, bx) + reach));
  const y0 = Math.max(0, Math.floor(Math.min(ay, by) - reach));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(ay, by) + reach));
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSq = dx * dx + dy * dy;
  const reachSq = reach * reach;
  for (let py = y0; py <= y1; py++) {
    const cy = py + 0.5 - ay;
    const row = py * width;
    for (let px = x0; px <= x1; px++) {
      const cx = px + 0.5 - ax;
      const t = lengthSq > 0 ? Math.min(1, Math.max(0, (cx * dx + cy * dy) / lengthSq)) : 0;
      const ex = cx - t * dx;
      const ey = cy - t * dy;
      const distanceSq = ex * ex + ey * ey;
      const i = row + px;
      if (distanceSq <= reachSq && distanceSq < nearest[i]) {
        nearest[i] = distanceSq;
        labels[i] = label;
      }
    }
  }
}

/**
 * Calls `visit(pixel index, distance)` for every pixel of a width×height image within `reach` of
 * the segment a→b's bounding box, with the distance from the pixel's centre (at +0.5, as on a
 * canvas) to the segment: the shared core of drawing a round-capped stroke and of labelling one.
 */
export function visitCapsule(width: number, height: number, ax: number, ay: number, bx: number, by: number, reach: number, visit: (i: number, distance: number) => void): void {
  const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - reach));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(ax, bx) + reach));
  const y0 = Math.max(0, Math.floor(Math.min(ay, by) - reach));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(ay, by) + reach));
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSq = dx * dx + dy * dy;
  for (let py = y0; py <= y1; py++) {
    const cy = py + 0.5 - ay;
    for (let px = x0; px <= x1; px++) {
      const cx = px + 0.5 - ax;
      const t = lengthSq > 0 ? Math.min(1, Math.max(0, (cx * dx + cy * dy) / lengthSq)) : 0;
      visit(py * width + px, Math.hypot(cx - t * dx, cy - t * dy));
    }
  }
}
