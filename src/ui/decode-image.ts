import { MAX_PHOTO_SIDE } from '../pipeline/photo-options';
import type { RgbaImage } from '../pipeline/types';

/** Why a file could not be read, in words for the person. */
export class ImageReadError extends Error {}

/**
 * Decodes an image file off the main thread's critical path (createImageBitmap) straight to a
 * bounded working size, longest side ≤ MAX_PHOTO_SIDE, so a 48 MP photo is never kept at full
 * size. Rejects with an ImageReadError for what is not a picture, a corrupt or empty one.
 */
export async function decodeImage(file: Blob, maxSide = MAX_PHOTO_SIDE): Promise<ImageBitmap> {
  if (file.type !== '' && !file.type.startsWith('image/')) throw new ImageReadError(`it is not an image (${file.type}).`);
  if (file.size === 0) throw new ImageReadError('the file is empty.');
  let probe: ImageBitmap;
  try {
    probe = await createImageBitmap(file);
  } catch {
    throw new ImageReadError('it is not an image this browser can decode, or the file is damaged.');
  }
  const { width, height } = probe;
  if (width === 0 || height === 0) {
    probe.close();
    throw new ImageReadError('the image is empty (0×0).');
  }
  const factor = Math.min(1, maxSide / Math.max(width, height));
  let bitmap = probe;
  if (factor < 1) {
    // Decoded again straight at the working size: the browser downsamples as it decodes.
    probe.close();
    bitmap = await createImageBitmap(file, {
      resizeWidth: Math.max(1, Math.round(width * factor)),
      resizeHeight: Math.max(1, Math.round(height * factor)),
      resizeQuality: 'high',
    });
  }
  return bitmap;
}

/** A bitmap's RGBA pixels, read through an OffscreenCanvas (a fresh buffer each call, to transfer). */
export function bitmapPixels(bitmap: ImageBitmap): RgbaImage {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new ImageReadError('this browser cannot read pixels from it.');
  context.drawImage(bitmap, 0, 0);
  const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height);
  return { width: pixels.width, height: pixels.height, data: pixels.data };
}
