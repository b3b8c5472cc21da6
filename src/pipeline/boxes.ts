import type { Box } from './types';

/** Smallest box holding both boxes. */
export function unionBox(a: Box, b: Box): Box {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}

/** Length of the shared horizontal extent; negative: the gap between the boxes. */
export function horizontalOverlap(a: Box, b: Box): number {
  return Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
}

/** Length of the shared vertical extent; negative: the gap between the boxes. */
export function verticalOverlap(a: Box, b: Box): number {
  return Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
}

/** Scales a box from one pixel grid to a finer or coarser one and clamps it inside `limit`. */
export function scaleBox(box: Box, scale: number, limit: { width: number; height: number }): Box {
  const x0 = Math.max(0, Math.min(limit.width, Math.floor(box.x * scale)));
  const y0 = Math.max(0, Math.min(limit.height, Math.floor(box.y * scale)));
  const x1 = Math.max(x0, Math.min(limit.width, Math.ceil((box.x + box.width) * scale)));
  const y1 = Math.max(y0, Math.min(limit.height, Math.ceil((box.y + box.height) * scale)));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * The bounding box, clamped inside `limit` and on whole pixels, of a box whose corners are taken
 * through `map` (back through a rotation or a shear, say).
 */
export function mapBoxCorners(box: Box, map: (x: number, y: number) => readonly [number, number], limit: { width: number; height: number }): Box {
  const corners = [map(box.x, box.y), map(box.x + box.width, box.y), map(box.x, box.y + box.height), map(box.x + box.width, box.y + box.height)];
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  const x0 = clamp(Math.floor(Math.min(...corners.map((p) => p[0]))), 0, limit.width);
  const y0 = clamp(Math.floor(Math.min(...corners.map((p) => p[1]))), 0, limit.height);
  const x1 = clamp(Math.ceil(Math.max(...corners.map((p) => p[0]))), x0, limit.width);
  const y1 = clamp(Math.ceil(Math.max(...corners.map((p) => p[1]))), y0, limit.height);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}
