import type { CV } from './opencv-types';
import type { InkBlob, InkImage, LabelImage } from './types';

/** Blobs found in a binary image and the label image that says which pixel belongs to which. */
export interface InkBlobs {
  blobs: InkBlob[];
  labels: LabelImage;
}

/** Finds the 8-connected blobs of a binary image (one pass of connectedComponentsWithStats). */
export function findInkBlobs(cv: CV, binary: InkImage): InkBlobs {
  const { width, height } = binary;
  const src = new cv.Mat(height, width, cv.CV_8UC1);
  const labels = new cv.Mat();
  const stats = new cv.Mat();
  const centroids = new cv.Mat();
  try {
    src.data.set(binary.data.subarray(0, width * height));
    const count = cv.connectedComponentsWithStats(src, labels, stats, centroids, 8, cv.CV_32S);
    const s = stats.data32S;
    const columns = stats.cols;
    const blobs: InkBlob[] = [];
    for (let label = 1; label < count; label++) {
      const row = label * columns;
      blobs.push({
        label,
        box: {
          x: s[row + cv.CC_STAT_LEFT],
          y: s[row + cv.CC_STAT_TOP],
          width: s[row + cv.CC_STAT_WIDTH],
          height: s[row + cv.CC_STAT_HEIGHT],
        },
        area: s[row + cv.CC_STAT_AREA],
      });
    }
    return { blobs, labels: { width, height, labels: labels.data32S.slice() } };
  } finally {
    src.delete();
    labels.delete();
    stats.delete();
    centroids.delete();
  }
}
