import type { CV } from './opencv-types';
import type { InkImage } from './types';

/** An image to segment and the factor that maps its pixels back to the original's. */
export interface ScaledImage {
  image: InkImage;
  /** Original pixels per pixel of `image` (1 when it was not downscaled). */
  scale: number;
}

/**
 * Area-downscales an image whose longer side exceeds `maxSide` (ink is averaged, so thin strokes
 * fade rather than vanish); smaller images come back as they are, without a copy.
 */
export function limitResolution(cv: CV, image: InkImage, maxSide: number): ScaledImage {
  const { width, height } = image;
  const longSide = Math.max(width, height);
  if (longSide <= maxSide || width * height === 0) return { image, scale: 1 };
  const factor = maxSide / longSide;
  const outWidth = Math.max(1, Math.round(width * factor));
  const outHeight = Math.max(1, Math.round(height * factor));
  const src = new cv.Mat(height, width, cv.CV_8UC1);
  const dst = new cv.Mat();
  try {
    src.data.set(image.data.subarray(0, width * height));
    cv.resize(src, dst, new cv.Size(outWidth, outHeight), 0, 0, cv.INTER_AREA);
    return { image: { width: outWidth, height: outHeight, data: dst.data.slice() }, scale: width / outWidth };
  } finally {
    src.delete();
    dst.delete();
  }
}
