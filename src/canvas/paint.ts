import { smoothSegment, smoothSegmentCount } from './smooth';
import type { Point } from './smooth';
import type { Stroke } from './types';

/**
 * The slice of a 2D context that ink painting uses; both CanvasRenderingContext2D (the pad) and
 * OffscreenCanvasRenderingContext2D (the rasteriser) fit, so both draw the same geometry.
 */
export interface InkContext
  extends Pick<
    CanvasRenderingContext2D,
    | 'save'
    | 'restore'
    | 'setTransform'
    | 'clearRect'
    | 'beginPath'
    | 'moveTo'
    | 'lineTo'
    | 'quadraticCurveTo'
    | 'arc'
    | 'fill'
    | 'stroke'
    | 'getImageData'
    | 'lineWidth'
    | 'lineCap'
    | 'lineJoin'
    | 'strokeStyle'
    | 'fillStyle'
  > {
  readonly canvas: { readonly width: number; readonly height: number };
}

/**
 * Sets the pen: CSS pixels scaled to backing-store pixels (scaleX/scaleY = devicePixelRatio, kept
 * per axis because the backing store is rounded), round caps and joins, and the ink colour.
 * Must be called again after the canvas is resized, which resets all context state.
 */
export function prepareInk(ctx: InkContext, scaleX: number, scaleY: number, penWidth: number, colour: string): void {
  ctx.setTransform(scaleX, 0, 0, scaleY, 0, 0);
  ctx.lineWidth = penWidth;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.strokeStyle = colour;
  ctx.fillStyle = colour;
}

/** Erases the whole backing store, whatever the transform. */
export function clearInk(ctx: InkContext): void {
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.restore();
}

/**
 * Paints a round dot of the pen's width. Used for a tap: the canvas spec prunes zero-length
 * segments before stroking, so a one-point path would paint nothing in engines that follow it.
 */
export function paintDot(ctx: InkContext, point: Point, penWidth: number): void {
  ctx.beginPath();
  ctx.arc(point.x, point.y, penWidth / 2, 0, Math.PI * 2);
  ctx.fill();
}

/**
 * Paints smoothed segments [from, to) of `stroke` as one path. Painting a stroke in several such
 * runs gives the same shape as painting it at once, because round caps cover the joins.
 */
export function paintSegments(ctx: InkContext, stroke: Stroke, from: number, to: number): void {
  const end = Math.min(to, smoothSegmentCount(stroke.length));
  if (from >= end) return;
  ctx.beginPath();
  const first = smoothSegment(stroke, from);
  ctx.moveTo(first.from.x, first.from.y);
  for (let i = from; i < end; i++) {
    const { control, to: target } = i === from ? first : smoothSegment(stroke, i);
    ctx.quadraticCurveTo(control.x, control.y, target.x, target.y);
  }
  ctx.stroke();
}

/** Paints a whole stroke: a dot for a single point, else its smoothed path. */
export function paintStroke(ctx: InkContext, stroke: Stroke, penWidth: number): void {
  if (stroke.length === 0) return;
  if (stroke.length === 1) paintDot(ctx, stroke[0], penWidth);
  else paintSegments(ctx, stroke, 0, smoothSegmentCount(stroke.length));
}

/** The alpha channel of the context's top-left width×height pixels, one byte per pixel, in a buffer of its own (so it can be transferred). */
export function readAlpha(ctx: InkContext, width: number, height: number): Uint8ClampedArray {
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const alpha = new Uint8ClampedArray(width * height);
  for (let i = 0; i < alpha.length; i++) alpha[i] = rgba[i * 4 + 3];
  return alpha;
}
