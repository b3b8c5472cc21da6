import type { CV } from './opencv-types';
import type { InkImage } from './types';

/**
 * Mean stroke width, in pixels, of the ink in a binary image (non-zero = ink). Treats the ink as
 * round-capped strokes: area A = ℓw + πw²/4 and perimeter P = 2ℓ + πw give
 * w = (P − √(P² − 4πA)) / π, which is exact for one capsule and within a few percent for digits
 * (it falls back to 2A/P when the shape is rounder than a capsule). 0 for an empty image.
 */
export function measureStrokeWidth(cv: CV, binary: InkImage): number {
  const { width, height } = binary;
  if (width * height === 0) return 0;
  const src = new cv.Mat(height, width, cv.CV_8UC1);
  const contours = new cv.MatVector();
  const hierarchy = new cv.Mat();
  try {
    src.data.set(binary.data.subarray(0, width * height));
    const area = cv.countNonZero(src);
    if (area === 0) return 0;
    // Every boundary, holes included: the perimeter of a 0 or an 8 counts its inner edge too.
    cv.findContours(src, contours, hierarchy, cv.RETR_LIST, cv.CHAIN_APPROX_NONE);
    let perimeter = 0;
    // 4.5's typings call MatVector.size() a Size; at run time it is the number of contours.
    const count = contours.size() as unknown as number;
    for (let i = 0; i < count; i++) {
      const contour = contours.get(i);
      try {
        perimeter += cv.arcLength(contour, true);
      } finally {
        contour.delete();
      }
    }
    // A single pixel has a zero-length contour: call it one pixel wide.
    if (perimeter <= 0) return 1;
    const discriminant = perimeter * perimeter - 4 * Math.PI * area;
    return discriminant > 0 ? (perimeter - Math.sqrt(discriminant)) / Math.PI : (2 * area) / perimeter;
  } finally {
    src.delete();
    contours.delete();
    hierarchy.delete();
  }
}
