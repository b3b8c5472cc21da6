import type { CV } from './opencv-types';
import type { InkBlob, InkImage, LabelImage } from './types';

/** Blobs found in a binary image and the label image that says which pixel belongs to which. */
export interface InkBlobs {
  blobs: InkBlob[];
  labels: LabelImage;
}

/**
 * Finds the 8-connected blobs of a binary image (connectedComponentsWithStats), labelling only
 * within the bounding box of the ink: on a pad that is mostly background this is several times
 * faster than labelling the whole image.
 */
export function findInkBlobs(cv: CV, binary: InkImage): InkBlobs {
  const { width, height } = binary;
  const labelled = new Int32Array(width * height);
  const result: InkBlobs = { blobs: [], labels: { width, height, labels: labelled } };
  if (width * height === 0) return result;
  const src = new cv.Mat(height, width, cv.CV_8UC1);
  const labels = new cv.Mat();
  const stats = new cv.Mat();
  const centroids = new cv.Mat();
  let inked: InstanceType<CV['Mat']> | undefined;
  try {
    src.data.set(binary.data.subarray(0, width * height));
    const ink = cv.boundingRect(src);
    if (ink.width === 0 || ink.height === 0) return result;
    inked = src.roi(ink);
    const count = cv.connectedComponentsWithStats(inked, labels, stats, centroids, 8, cv.CV_32S);
    const s = stats.data32S;
    const columns = stats.cols;
    // Read the embind constants once: property access on the module is slow in a hot loop.
    const [left, top, across, down, pixels] = [cv.CC_STAT_LEFT, cv.CC_STAT_TOP, cv.CC_STAT_WIDTH, cv.CC_STAT_HEIGHT, cv.CC_STAT_AREA].map(Number);
    for (let label = 1; label < count; label++) {
      const row = label * columns;
      result.blobs.push({
        label,
        box: { x: s[row + left] + ink.x, y: s[row + top] + ink.y, width: s[row + across], height: s[row + down] },
        area: s[row + pixels],
      });
    }
    const local = labels.data32S;
    for (let y = 0; y < ink.height; y++) {
      labelled.set(local.subarray(y * ink.width, (y + 1) * ink.width), (y + ink.y) * width + ink.x);
    }
    return result;
  } finally {
    inked?.delete();
    src.delete();
    labels.delete();
    stats.delete();
    centroids.delete();
  }
}
