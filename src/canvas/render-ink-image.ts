import type { InkImage } from '../pipeline/types';
import { clearInk, paintStroke, prepareInk, readAlpha } from './paint';
import type { InkContext } from './paint';
import type { Stroke } from './types';

/**
 * Rasterises strokes for recognition with the pad's own geometry at 1 CSS px = 1 image px: one
 * byte per pixel, 0 background, 255 ink, anti-aliased edges in between. `data` owns its buffer,
 * so it can be transferred to the worker. Sides are rounded; a zero side gives an empty image.
 */
export function renderInkImage(strokes: readonly Stroke[], width: number, height: number, penWidth: number): InkImage {
  if (!(width >= 0) || !(height >= 0) || !Number.isFinite(width) || !Number.isFinite(height)) {
    throw new RangeError(`renderInkImage needs a finite, non-negative size, got ${width}×${height}`);
  }
  if (!(penWidth > 0) || !Number.isFinite(penWidth)) {
    throw new RangeError(`renderInkImage needs a positive pen width, got ${penWidth}`);
  }
  const w = Math.round(width);
  const h = Math.round(height);
  if (w === 0 || h === 0) return { width: w, height: h, data: new Uint8ClampedArray(0) };

  const ctx = createContext(w, h);
  clearInk(ctx);
  // Any opaque colour will do: only alpha is read, so the UI's ink colour cannot change the input.
  prepareInk(ctx, 1, 1, penWidth, '#000');
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
