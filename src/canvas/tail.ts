import { MAX_PREDICTION_REACH } from './options';
import { clearInk, paintSegments } from './paint';
import type { InkContext } from './paint';
import { smoothSegmentCount } from './smooth';
import type { Point } from './smooth';
import type { Stroke } from './types';

/**
 * Clears the tail layer and paints on it what the pad's own canvas does not show yet: segments
 * [from, end) of the stroke in progress (the last one is never final until pen-up), then the
 * predicted pen positions, cut at `maxReach` of path length beyond the stroke's last point. The
 * context must be prepared like the pad's (prepareInk), so the tail looks like the ink it leads.
 */
export function paintTail(
  ctx: InkContext,
  stroke: Stroke,
  from: number,
  predicted: readonly Point[],
  maxReach: number = MAX_PREDICTION_REACH,
): void {
  clearInk(ctx);
  const last = stroke[stroke.length - 1];
  if (!last) return;
  paintSegments(ctx, stroke, from, smoothSegmentCount(stroke.length));
  const guess = withinReach(last, predicted, maxReach);
  if (guess.length === 0) return;
  // A path of its own from the last real point: the round caps hide the join with the stroke.
  ctx.beginPath();
  ctx.moveTo(last.x, last.y);
  for (const point of guess) ctx.lineTo(point.x, point.y);
  ctx.stroke();
}

/**
 * The predicted points after `start` up to `maxReach` of path length from it, the last one moved
 * back along its segment to land exactly at the limit; stops at the first non-finite point.
 */
export function withinReach(start: Point, predicted: readonly Point[], maxReach: number): Point[] {
  const kept: Point[] = [];
  let left = maxReach;
  let at = start;
  for (const next of predicted) {
    if (!Number.isFinite(next.x) || !Number.isFinite(next.y) || !(left > 0)) break;
    const step = Math.hypot(next.x - at.x, next.y - at.y);
    if (step > left) {
      const share = left / step;
      kept.push({ x: at.x + (next.x - at.x) * share, y: at.y + (next.y - at.y) * share });
      break;
    }
    kept.push({ x: next.x, y: next.y });
    left -= step;
    at = next;
  }
  return kept;
}
