import { MAX_POINTS_PER_STROKE, MAX_STROKES, MIN_POINT_DISTANCE } from './options';
import type { InkPoint, Size, Stroke } from './types';

/** What became of a point offered to the ink: kept, dropped as invalid or redundant, or refused by a cap. */
export type AddResult = 'added' | 'skipped' | 'limit';

/** The caps an `Ink` enforces; the defaults come from options.ts. */
export interface InkLimits {
  maxPointsPerStroke: number;
  maxStrokes: number;
  minPointDistance: number;
}

/**
 * The pure stroke model behind the pad: strokes of clamped, finite CSS-pixel points, the stroke
 * being drawn (if any) last, with undo, clear and caps. No DOM, so it is tested in Node.
 */
export class Ink {
  private readonly list: InkPoint[][] = [];
  /** True while the last stroke in `list` is still being drawn. */
  private open = false;
  private area: Size;
  private readonly limits: InkLimits;

  constructor(size: Size, limits: Partial<InkLimits> = {}) {
    const {
      maxPointsPerStroke = MAX_POINTS_PER_STROKE,
      maxStrokes = MAX_STROKES,
      minPointDistance = MIN_POINT_DISTANCE,
    } = limits;
    if (!(maxPointsPerStroke >= 1) || !(maxStrokes >= 1) || !(minPointDistance >= 0)) {
      throw new RangeError('Ink limits must be at least 1 point, 1 stroke and a distance ≥ 0');
    }
    this.limits = { maxPointsPerStroke, maxStrokes, minPointDistance };
    this.area = checkSize(size);
  }

  /** All strokes, oldest first; while drawing, the last one is the stroke in progress. */
  get strokes(): readonly Stroke[] {
    return this.list;
  }

  /** True between `begin` and `end`/`cancel` (unless undo or clear dropped the stroke). */
  get drawing(): boolean {
    return this.open;
  }

  /** The area points are clamped to, in CSS pixels. */
  get size(): Size {
    return this.area;
  }

  /** True when no stroke holds a point. */
  isEmpty(): boolean {
    return this.list.every((stroke) => stroke.length === 0);
  }

  /** Total number of points in all strokes. */
  pointCount(): number {
    return this.list.reduce((sum, stroke) => sum + stroke.length, 0);
  }

  /**
   * Opens a new stroke at `point`. 'limit' when the ink already holds `maxStrokes` and 'skipped'
   * when the area has a zero side (nothing is opened in either case); 'skipped' too for a
   * non-finite point, but then the stroke is opened so later points of the same pen-down land in it.
   */
  begin(point: InkPoint): AddResult {
    // A pen-down whose pen-up was lost (it should not happen) closes the old stroke, keeping its ink.
    if (this.open) this.end();
    if (this.list.length >= this.limits.maxStrokes) return 'limit';
    if (this.area.width <= 0 || this.area.height <= 0) return 'skipped';
    this.list.push([]);
    this.open = true;
    return this.extend(point);
  }

  /**
   * Appends `point` to the open stroke, clamped to the area. 'skipped' for a non-finite point, one
   * within `minPointDistance` of the previous point, or no open stroke; 'limit' when the stroke
   * already holds `maxPointsPerStroke`.
   */
  extend(point: InkPoint): AddResult {
    if (!this.open) return 'skipped';
    const clean = this.clamp(point);
    if (!clean) return 'skipped';
    const stroke = this.list[this.list.length - 1];
    const last = stroke[stroke.length - 1];
    if (last && Math.hypot(clean.x - last.x, clean.y - last.y) < this.limits.minPointDistance) {
      return 'skipped';
    }
    if (stroke.length >= this.limits.maxPointsPerStroke) return 'limit';
    stroke.push(clean);
    return 'added';
  }

  /** Closes the open stroke; true if it was kept (a stroke with no valid point is dropped). */
  end(): boolean {
    if (!this.open) return false;
    this.open = false;
    if (this.list[this.list.length - 1].length === 0) {
      this.list.pop();
      return false;
    }
    return true;
  }

  /** Drops the open stroke (pointercancel); true if there was one. */
  cancel(): boolean {
    if (!this.open) return false;
    this.open = false;
    this.list.pop();
    return true;
  }

  /** Removes the last stroke that holds ink (the one in progress, if any); true if ink was removed. */
  undo(): boolean {
    if (this.open) {
      this.open = false;
      const dropped = this.list.pop();
      if (dropped && dropped.length > 0) return true;
    }
    return this.list.pop() !== undefined;
  }

  /** Removes every stroke, the one in progress included; true if there was any ink. */
  clear(): boolean {
    const had = !this.isEmpty();
    this.list.length = 0;
    this.open = false;
    return had;
  }

  /**
   * Sets a new area. If the ink no longer fits, it is scaled down about the top-left corner until
   * it does: turning a phone makes a wide pad narrow, and cropping would silently drop digits on
   * the right while stretching would change their shape. True if any point moved. An area with a
   * zero side (a hidden pad) is recorded but leaves the ink alone.
   */
  resize(size: Size): boolean {
    this.area = checkSize(size);
    const { width, height } = this.area;
    if (width <= 0 || height <= 0) return false;
    let maxX = 0;
    let maxY = 0;
    for (const stroke of this.list) {
      for (const p of stroke) {
        if (p.x > maxX) maxX = p.x;
        if (p.y > maxY) maxY = p.y;
      }
    }
    const scale = Math.min(1, maxX > 0 ? width / maxX : 1, maxY > 0 ? height / maxY : 1);
    if (scale >= 1) return false;
    for (const stroke of this.list) {
      for (let i = 0; i < stroke.length; i++) {
        const p = stroke[i];
        // min() guards the last ulp: x * (width / x) can land a hair above width.
        stroke[i] = { x: Math.min(width, p.x * scale), y: Math.min(height, p.y * scale), t: p.t };
      }
    }
    return true;
  }

  /** The point clamped into the area, or null when any coordinate is NaN or infinite. */
  private clamp(point: InkPoint): InkPoint | null {
    const { x, y, t } = point;
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(t)) return null;
    return {
      x: Math.min(Math.max(x, 0), this.area.width),
      y: Math.min(Math.max(y, 0), this.area.height),
      t,
    };
  }
}

function checkSize(size: Size): Size {
  const { width, height } = size;
  if (!(width >= 0) || !(height >= 0) || !Number.isFinite(width) || !Number.isFinite(height)) {
    throw new RangeError(`Ink area must be finite and non-negative, got ${width}×${height}`);
  }
  return { width, height };
}
