import type { Box, InkImage } from '../pipeline/types';
import { clearInk, paintStroke, prepareInk, readAlpha } from './paint';
import type { InkContext } from './paint';
import type { Stroke } from './types';

/** Clear pixels kept around the ink in {@link inkRegion}, beyond the pen's reach and its anti-aliasing. */
export const INK_REGION_MARGIN = 4;

/**
 * The smallest whole-pixel rectangle of a width×height pad that holds all the ink: the points'
 * bounds grown by half the pen and `margin`, clipped to the pad. Smoothed segments are quadratic
 * curves through points and midpoints, so they never leave the points' bounds. Null without ink.
 */
export function inkRegion(
  strokes: readonly Stroke[],
  width: number,
  height: number,
  penWidth: number,
  margin = INK_REGION_MARGIN,
): Box | null {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const stroke of strokes) {
    for (const { x, y } of stroke) {
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      left = Math.min(left, x);
      top = Math.min(top, y);
      right = Math.max(right, x);
      bottom = Math.max(bottom, y);
    }
  }
  const reach = penWidth / 2 + margin;
  const x0 = Math.max(0, Math.floor(left - reach));
  const y0 = Math.max(0, Math.floor(top - reach));
  const x1 = Math.min(Math.round(width), Math.ceil(right + reach));
  const y1 = Math.min(Math.round(height), Math.ceil(bottom + reach));
  if (!(x1 > x0 && y1 > y0)) return null;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * Rasterises strokes for recognition with the pad's own geometry at 1 CSS px = 1 image px: one
 * byte per pixel, 0 background, 255 ink, anti-aliased edges in between. `data` owns its buffer,
 * so it can be transferred to the worker. Sides are rounded; a zero side gives an empty image.
 * With `region` (whole pixels inside the pad), only that part is drawn: the same pixels as the
 * whole image has there, for a fraction of the work when the ink covers little of the pad.
 */
export function renderInkImage(
  strokes: readonly Stroke[],
  width: number,
  height: number,
  penWidth: number,
  region?: Box,
): InkImage {
  if (!(width >= 0) || !(height >= 0) || !Number.isFinite(width) || !Number.isFinite(height)) {
    throw new RangeError(`renderInkImage needs a finite, non-negative size, got ${width}×${height}`);
  }
  if (!(penWidth > 0) || !Number.isFinite(penWidth)) {
    throw new RangeError(`renderInkImage needs a positive pen width, got ${penWidth}`);
  }
  const w = region ? region.width : Math.round(width);
  const h = region ? region.height : Math.round(height);
  if (w === 0 || h === 0) return { width: w, height: h, data: new Uint8ClampedArray(0) };

  const ctx = createContext(w, h);
  clearInk(ctx);
  // Any opaque colour will do: only alpha is read, so the UI's ink colour cannot change the input.
  prepareInk(ctx, 1, 1, penWidth, '#000');
  // Whole-pixel shifts keep every pixel's coverage exactly what the whole-pad image has.
  if (region) ctx.setTransform(1, 0, 0, 1, -region.x, -region.y);
  for (const stroke of strokes) paintStroke(ctx, stroke, penWidth);
  return { width: w, height: h, data: readAlpha(ctx, w, h) };
}

/** A 2D context of w×h: OffscreenCanvas where there is one (workers, all current browsers), else a detached <canvas>. */
function createContext(w: number, h: number): InkContext {
  // willReadFrequently keeps the canvas on the CPU: we draw once and read back once, and a
  // GPU-backed canvas would make getImageData wait for a GPU readback.
  const settings: CanvasRenderingContext2DSettings = { willReadFrequently: true };
  if (typeof OffscreenCanvas !== 'undefined') {
    const ctx = new OffscreenCanvas(w, h).getContext('2d', settings);
    if (ctx) return ctx;
  }
  if (typeof document !== 'undefined') {
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d', settings);
    if (ctx) return ctx;
  }
  throw new Error('renderInkImage needs OffscreenCanvas or a document to draw on');
}
