import { MAX_PHOTO_SIDE } from '../pipeline/photo-options';
import type { RgbaImage } from '../pipeline/types';

/** Why a file could not be read, in words for the person. */
export class ImageReadError extends Error {}

const DAMAGED = 'it is not an image this browser can decode, or the file is damaged.';

/**
 * Decodes an image file off the main thread's critical path (createImageBitmap) straight to a
 * bounded working size, longest side ≤ MAX_PHOTO_SIDE, so a 48 MP photo is never kept at full
 * size. Rejects with an ImageReadError for what is not a picture, a corrupt or empty one.
 */
export async function decodeImage(file: Blob, maxSide = MAX_PHOTO_SIDE): Promise<ImageBitmap> {
  if (file.type !== '' && !file.type.startsWith('image/')) throw new ImageReadError(`it is not an image (${file.type}).`);
  if (file.size === 0) throw new ImageReadError('the file is empty.');
  // The size from the file's header, so that a large picture is decoded once, into a bitmap of the
  // working size: decoding it whole just to learn its size made a 1.6 GB bitmap of a 20000×20000
  // PNG and took 7 s more (Chromium, on a small machine).
  const header = await headerSize(file);
  if (header && Math.max(header.width, header.height) > maxSide) {
    // Only the width is asked for and the browser keeps the aspect ratio, so a picture it turns
    // (EXIF orientation) otherwise than the <img> did is never stretched, only found too large.
    const resizeWidth = header.width >= header.height ? maxSide : Math.max(1, Math.floor((header.width * maxSide) / header.height));
    const bitmap = await decode(file, { resizeWidth, resizeQuality: 'high' });
    if (Math.max(bitmap.width, bitmap.height) <= maxSide) return bitmap;
    bitmap.close();
  }
  const probe = await decode(file);
  const { width, height } = probe;
  if (width === 0 || height === 0) {
    probe.close();
    throw new ImageReadError('the image is empty (0×0).');
  }
  const factor = Math.min(1, maxSide / Math.max(width, height));
  let bitmap = probe;
  if (factor < 1) {
    // Decoded again at the working size (Chromium decodes PNG whole and then scales it).
    probe.close();
    bitmap = await decode(file, {
      resizeWidth: Math.max(1, Math.round(width * factor)),
      resizeHeight: Math.max(1, Math.round(height * factor)),
      resizeQuality: 'high',
    });
  }
  return bitmap;
}

async function decode(file: Blob, options?: ImageBitmapOptions): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(file, options);
  } catch {
    throw new ImageReadError(DAMAGED);
  }
}

/**
 * The picture's size as an <img> finds it in the file's header (it loads without decoding the
 * pixels until drawn), or undefined where it cannot say: the full decode then finds out.
 */
function headerSize(file: Blob): Promise<{ width: number; height: number } | undefined> {
  if (typeof Image !== 'function' || typeof URL.createObjectURL !== 'function') return Promise.resolve(undefined);
  const url = URL.createObjectURL(file);
  const image = new Image();
  return new Promise<{ width: number; height: number } | undefined>((resolve) => {
    image.onload = () => resolve(image.naturalWidth > 0 && image.naturalHeight > 0 ? { width: image.naturalWidth, height: image.naturalHeight } : undefined);
    image.onerror = () => resolve(undefined);
    image.src = url;
  }).finally(() => {
    image.onload = image.onerror = null;
    image.removeAttribute('src');
    URL.revokeObjectURL(url);
  });
}

/** A bitmap's RGBA pixels, read through an OffscreenCanvas (a fresh buffer each call, to transfer). */
export function bitmapPixels(bitmap: ImageBitmap): RgbaImage {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new ImageReadError('this browser cannot read pixels from it.');
  // On paper: a transparent background (a PNG of ink alone) reads as white, as a page shows it,
  // not as the black of its transparent pixels' colour values.
  context.fillStyle = '#fff';
  context.fillRect(0, 0, bitmap.width, bitmap.height);
  context.drawImage(bitmap, 0, 0);
  const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height);
  return { width: pixels.width, height: pixels.height, data: pixels.data };
}
