import type { Box } from '../pipeline/types';

/** Where a picture is drawn in the pad's place: its top-left and its CSS px per picture px. */
export interface PhotoFit {
  x: number;
  y: number;
  scale: number;
}

/** Fits a picture inside an area, whole and not stretched, centred (CSS object-fit: contain). */
export function fitPicture(picture: { width: number; height: number }, area: { width: number; height: number }): PhotoFit {
  const scale = Math.min(area.width / Math.max(1, picture.width), area.height / Math.max(1, picture.height));
  return { x: (area.width - picture.width * scale) / 2, y: (area.height - picture.height * scale) / 2, scale };
}

/** A box in the picture's pixels as CSS px over the area it is fitted in. */
export function placeBox(box: Box, fit: PhotoFit): Box {
  return { x: fit.x + box.x * fit.scale, y: fit.y + box.y * fit.scale, width: box.width * fit.scale, height: box.height * fit.scale };
}

/**
 * Draws a picture fitted into `canvas` (which covers the pad), at the device's pixel density,
 * and returns the fit; the canvas is shown.
 */
export function drawPhoto(canvas: HTMLCanvasElement, bitmap: ImageBitmap): PhotoFit {
  canvas.hidden = false;
  const { width, height } = canvas.getBoundingClientRect();
  const dpr = globalThis.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(width * dpr));
  canvas.height = Math.max(1, Math.round(height * dpr));
  const fit = fitPicture(bitmap, { width, height });
  const context = canvas.getContext('2d');
  if (context) {
    context.setTransform(dpr, 0, 0, dpr, 0, 0);
    context.clearRect(0, 0, width, height);
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, fit.x, fit.y, bitmap.width * fit.scale, bitmap.height * fit.scale);
  }
  return fit;
}

/** Hides the picture and frees its canvas memory. */
export function hidePhoto(canvas: HTMLCanvasElement): void {
  canvas.hidden = true;
  canvas.width = 0;
  canvas.height = 0;
}
