import type { DigitGroup, FloatImage, InkImage, LabelImage } from './types';

/**
 * Cuts one digit out of the image as intensities in [0, 1]: pixels of the group's blobs inside
 * its box, plus the faint anti-aliased rim around them (below the ink threshold, so unlabelled),
 * while ink of other digits that reaches into the box is left out.
 */
export function cropDigit(image: InkImage, labelImage: LabelImage, group: DigitGroup): FloatImage {
  const { box } = group;
  const { labels } = labelImage;
  // One pixel around the box holds the rim of the outermost strokes.
  const x0 = Math.max(0, box.x - 1);
  const y0 = Math.max(0, box.y - 1);
  const x1 = Math.min(image.width, box.x + box.width + 1);
  const y1 = Math.min(image.height, box.y + box.height + 1);
  const width = Math.max(0, x1 - x0);
  const height = Math.max(0, y1 - y0);
  const data = new Float32Array(width * height);
  const maxLabel = Math.max(0, ...group.labels);
  const member = new Uint8Array(maxLabel + 1);
  for (const label of group.labels) if (label > 0) member[label] = 1;
  const has = (label: number): boolean => label <= maxLabel && member[label] === 1;
  const inBox = (x: number, y: number): boolean =>
    x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height;
  const isMember = (x: number, y: number): boolean =>
    x >= 0 && y >= 0 && x < image.width && y < image.height && inBox(x, y) && has(labels[y * image.width + x]);

  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * image.width + x;
      const label = labels[i];
      let keep = label !== 0 && inBox(x, y) && has(label);
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
