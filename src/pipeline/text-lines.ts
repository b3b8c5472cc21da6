import { horizontalOverlap, unionBox, verticalOverlap } from './boxes';
import { estimateDigitHeight } from './estimate-digit-height';
import { findInkBlobs } from './find-ink-blobs';
import type { CV } from './opencv-types';
import { MAJOR_HEIGHT_FRACTION } from './options';
import { LINE_ATTACH_GAP, LINE_MARGIN, LINE_OVERLAP_FRACTION, MAX_LINES, STACKED_PART_ASPECT, STACKED_PART_GAP } from './photo-options';
import type { Box, InkBlob, InkImage } from './types';

/** One line of writing: its ink alone, cut out, and where that cut-out lies in the whole image. */
export interface TextLine {
  /** The cut-out's place in the image (the line's ink plus a margin). */
  box: Box;
  /** The line's ink only (other lines' ink that reaches into the box is left out). */
  image: InkImage;
}

/**
 * Splits binary ink into lines of writing, top to bottom: digit-sized blobs whose vertical extents
 * overlap are one line (a number's digits stand side by side); smaller blobs (a 5's hat, a 7's bar,
 * a dot) join the line they lie in or, within half a digit, the nearest; others are dropped. Two
 * one-blob lines that are one character's stacked parts are joined first.
 */
export function findTextLines(cv: CV, ink: InkImage): TextLine[] {
  const { blobs, labels } = findInkBlobs(cv, ink);
  const digitHeight = estimateDigitHeight(blobs);
  if (digitHeight === 0) return [];
  const major = blobs.filter((b) => b.box.height >= MAJOR_HEIGHT_FRACTION * digitHeight).sort((a, b) => centreY(a.box) - centreY(b.box));
  const lines: { box: Box; blobs: InkBlob[] }[] = [];
  for (const blob of major) {
    let best: (typeof lines)[number] | undefined;
    let bestShare = LINE_OVERLAP_FRACTION;
    for (const line of lines) {
      // Against the line's own digits, not its whole extent: a slanted line's extent grows tall.
      for (const other of line.blobs) {
        const share = verticalOverlap(blob.box, other.box) / Math.max(1, Math.min(blob.box.height, other.box.height));
        if (other.box.height >= MAJOR_HEIGHT_FRACTION * digitHeight && share >= bestShare) {
          best = line;
          bestShare = share;
        }
      }
    }
    if (best) {
      best.blobs.push(blob);
      best.box = unionBox(best.box, blob.box);
    } else lines.push({ box: blob.box, blobs: [blob] });
  }
  joinStackedParts(lines);
  for (const blob of blobs) {
    if (blob.box.height >= MAJOR_HEIGHT_FRACTION * digitHeight) continue;
    let best: (typeof lines)[number] | undefined;
    let bestGap = LINE_ATTACH_GAP * digitHeight;
    for (const line of lines) {
      const gap = Math.max(0, -verticalOverlap(blob.box, line.box), Math.abs(centreY(blob.box) - centreY(line.box)) - line.box.height / 2);
      if (gap <= bestGap) {
        best = line;
        bestGap = gap;
      }
    }
    if (best) best.blobs.push(blob); // The box stays the digits': a hat above may stick out of it.
  }
  const lineOf = new Int32Array(blobs.length + 1).fill(-1);
  const ordered = lines.sort((a, b) => centreY(a.box) - centreY(b.box)).slice(0, MAX_LINES);
  ordered.forEach((line, index) => line.blobs.forEach((b) => (lineOf[b.label] = index)));
  return ordered.map((line, index) => cutOut(line.blobs.map((b) => b.box).reduce(unionBox), index, lineOf, labels.labels, ink));
}

/** Joins, in place, each pair of neighbouring one-blob lines that are one character's parts stacked (STACKED_PART_GAP). */
function joinStackedParts(lines: { box: Box; blobs: InkBlob[] }[]): void {
  lines.sort((a, b) => centreY(a.box) - centreY(b.box));
  for (let i = 0; i + 1 < lines.length; i++) {
    const [upper, lower] = [lines[i], lines[i + 1]];
    if (upper.blobs.length !== 1 || lower.blobs.length !== 1) continue;
    const [a, b] = [upper.box, lower.box];
    const gap = b.y - (a.y + a.height);
    const union = unionBox(a, b);
    const stacked =
      gap <= STACKED_PART_GAP * Math.min(a.height, b.height) &&
      horizontalOverlap(a, b) >= 0.5 * Math.min(a.width, b.width) &&
      union.height <= STACKED_PART_ASPECT * union.width;
    if (!stacked) continue;
    lines.splice(i, 2, { box: union, blobs: [...upper.blobs, ...lower.blobs] });
  }
}

function centreY(box: Box): number {
  return box.y + box.height / 2;
}

/** The ink of line `index` inside `inkBox` plus a margin, as an image of its own. */
function cutOut(inkBox: Box, index: number, lineOf: Int32Array, labels: Int32Array, ink: InkImage): TextLine {
  const x0 = Math.max(0, inkBox.x - LINE_MARGIN);
  const y0 = Math.max(0, inkBox.y - LINE_MARGIN);
  const x1 = Math.min(ink.width, inkBox.x + inkBox.width + LINE_MARGIN);
  const y1 = Math.min(ink.height, inkBox.y + inkBox.height + LINE_MARGIN);
  const width = x1 - x0;
  const height = y1 - y0;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const from = (y + y0) * ink.width + x0;
    for (let x = 0; x < width; x++) {
      const label = labels[from + x];
      if (label > 0 && lineOf[label] === index) data[y * width + x] = 255;
    }
  }
  return { box: { x: x0, y: y0, width, height }, image: { width, height, data } };
}
