import type { Box, DigitGroup, FloatImage, InkImage, LabelImage } from './types';

/** Ink of one blob inside a box: the whole blob, or the columns of it that a cut leaves on one side. */
export interface InkPiece {
  label: number;
  box: Box;
}

/**
 * Cuts one digit out of the image as intensities in [0, 1]: pixels of the group's blobs inside
 * its box, plus the faint anti-aliased rim around them (below the ink threshold, so unlabelled),
 * while ink of other digits that reaches into the box is left out.
 */
export function cropDigit(image: InkImage, labelImage: LabelImage, group: DigitGroup): FloatImage {
  return cropPieces(image, labelImage, group.labels.map((label) => ({ label, box: group.box })), group.box);
}

/**
 * Cuts out the ink of `pieces` (each a blob's pixels inside the piece's box) within `box`, plus
 * the unlabelled anti-aliased rim that touches them, as intensities in [0, 1].
 */
export function cropPieces(image: InkImage, labelImage: LabelImage, pieces: readonly InkPiece[], box: Box): FloatImage {
  const { labels } = labelImage;
  // One pixel around the box holds the rim of the outermost strokes.
  const x0 = Math.max(0, box.x - 1);
  const y0 = Math.max(0, box.y - 1);
  const x1 = Math.min(image.width, box.x + box.width + 1);
  const y1 = Math.min(image.height, box.y + box.height + 1);
  const width = Math.max(0, x1 - x0);
  const height = Math.max(0, y1 - y0);
  const data = new Float32Array(width * height);
  const inBox = (b: Box, x: number, y: number): boolean => x >= b.x && x < b.x + b.width && y >= b.y && y < b.y + b.height;
  const isMember = (x: number, y: number): boolean => {
    if (x < 0 || y < 0 || x >= image.width || y >= image.height) return false;
    const label = labels[y * image.width + x];
    if (label === 0) return false;
    for (const piece of pieces) if (piece.label === label && inBox(piece.box, x, y)) return true;
    return false;
  };

  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * image.width + x;
      const label = labels[i];
      let keep = label !== 0 && inBox(box, x, y) && isMember(x, y);
      if (!keep && label === 0 && image.data[i] > 0) {
        keep =
          isMember(x - 1, y) || isMember(x + 1, y) || isMember(x, y - 1) || isMember(x, y + 1) ||
          isMember(x - 1, y - 1) || isMember(x + 1, y - 1) || isMember(x - 1, y + 1) || isMember(x + 1, y + 1);
      }
      if (keep) data[(y - y0) * width + (x - x0)] = image.data[i] / 255;
    }
  }
  return { width, height, data };
}
