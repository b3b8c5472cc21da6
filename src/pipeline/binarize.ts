import type { CV } from './opencv-types';
import type { InkImage } from './types';

/** Thresholds an ink image: 255 where ink exceeds `threshold` (0–255), else 0. */
export function binarize(cv: CV, image: InkImage, threshold: number): InkImage {
  const { width, height } = image;
  const src = new cv.Mat(height, width, cv.CV_8UC1);
  const dst = new cv.Mat();
  try {
    src.data.set(image.data.subarray(0, width * height));
    cv.threshold(src, dst, threshold, 255, cv.THRESH_BINARY);
    return { width, height, data: dst.data.slice() };
  } finally {
    src.delete();
    dst.delete();
  }
}
