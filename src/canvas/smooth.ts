/** A position in CSS pixels. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A quadratic Bézier piece of a smoothed stroke: from → to, pulled towards control. */
export interface QuadSegment {
  readonly from: Point;
  readonly control: Point;
  readonly to: Point;
}

/** How many segments `smoothSegment` yields for a stroke of `pointCount` points (one fewer). */
export function smoothSegmentCount(pointCount: number): number {
  return Math.max(0, pointCount - 1);
}

/**
 * How many leading segments are final: they stay the same whatever points are appended, so the
 * pad paints them as they settle. Only the last segment (a straight tail to the newest point)
 * changes when the stroke grows.
 */
export function settledSegmentCount(pointCount: number): number {
  return Math.max(0, pointCount - 2);
}

/**
 * Segment `index` of the midpoint-smoothed path through `points`: each sample is a control point
 * and the curve runs between the midpoints of neighbouring samples, so corners between noisy
 * samples become curves while the stroke still starts and ends exactly on its first and last
 * points. The last segment is a straight line (its control is its own midpoint).
 */
export function smoothSegment(points: readonly Point[], index: number): QuadSegment {
  const count = smoothSegmentCount(points.length);
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`Segment ${index} does not exist in a stroke of ${points.length} points`);
  }
  const from = index === 0 ? points[0] : midpoint(points[index], points[index + 1]);
  if (index === count - 1) {
    const to = points[index + 1];
    return { from, control: midpoint(from, to), to };
  }
  return { from, control: points[index + 1], to: midpoint(points[index + 1], points[index + 2]) };
}

/** Every segment of the smoothed path through `points`, in order; empty for fewer than 2 points. */
export function smoothSegments(points: readonly Point[]): QuadSegment[] {
  const segments: QuadSegment[] = [];
  const count = smoothSegmentCount(points.length);
  for (let i = 0; i < count; i++) segments.push(smoothSegment(points, i));
  return segments;
}

/** Halfway between a and b. */
export function midpoint(a: Point, b: Point): Point {
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}
