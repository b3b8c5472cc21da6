import { horizontalOverlap, unionBox, verticalOverlap } from './boxes';
import { estimateDigitHeight } from './estimate-digit-height';
import { findInkBlobs } from './find-ink-blobs';
import type { CV } from './opencv-types';
import { MAJOR_HEIGHT_FRACTION } from './options';
import { LINE_ATTACH_GAP, LINE_MARGIN, LINE_OVERLAP_FRACTION, MAX_LINE_SIZES, MAX_LINES, SMALLER_LINE_FRACTION, STACKED_PART_ASPECT, STACKED_PART_GAP } from './photo-options';
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
 * a dot) join the line they lie in or, within half a digit, the nearest. A one-blob line that is
 * the stacked part of a character in the next line is joined to it first. What is left, if it is
 * a row of smaller digits (a number written smaller than the rest of the page), is split into lines
 * the same way, at its own size; the rest is dropped.
 */
export function findTextLines(cv: CV, ink: InkImage): TextLine[] {
  const { blobs, labels } = findInkBlobs(cv, ink);
  const pageDigitHeight = estimateDigitHeight(blobs);
  const lines: WritingLine[] = [];
  let remaining = blobs;
  for (let size = 0; size < MAX_LINE_SIZES && remaining.length > 0; size++) {
    const digitHeight = estimateDigitHeight(remaining);
    if (digitHeight < SMALLER_LINE_FRACTION * pageDigitHeight) break;
    const grouped = groupIntoLines(remaining, digitHeight);
    // A smaller size's line must hold a row of digits: one mark left over is not a number.
    lines.push(...(size === 0 ? grouped.lines : grouped.lines.filter((line) => line.majorCount >= 2)));
    remaining = grouped.leftover;
  }
  const lineOf = new Int32Array(blobs.length + 1).fill(-1);
  const ordered = lines.sort((a, b) => centreY(a.box) - centreY(b.box)).slice(0, MAX_LINES);
  ordered.forEach((line, index) => line.blobs.forEach((b) => (lineOf[b.label] = index)));
  return ordered.map((line, index) => cutOut(line.blobs.map((b) => b.box).reduce(unionBox), index, lineOf, labels.labels, ink));
}

/** A line of writing being found: its digit-sized blobs' extent, all its blobs, how many are digit-sized. */
interface WritingLine {
  box: Box;
  blobs: InkBlob[];
  majorCount: number;
}

/** Groups blobs into lines at one digit height (findTextLines); `leftover` is what joined none. */
function groupIntoLines(blobs: readonly InkBlob[], digitHeight: number): { lines: WritingLine[]; leftover: InkBlob[] } {
  const isMajor = (blob: InkBlob) => blob.box.height >= MAJOR_HEIGHT_FRACTION * digitHeight;
  const major = blobs.filter(isMajor).sort((a, b) => centreY(a.box) - centreY(b.box));
  const lines: WritingLine[] = [];
  for (const blob of major) {
    let best: WritingLine | undefined;
    let bestShare = LINE_OVERLAP_FRACTION;
    for (const line of lines) {
      // Against the line's own digits, not its whole extent: a slanted line's extent grows tall.
      for (const other of line.blobs) {
        const share = verticalOverlap(blob.box, other.box) / Math.max(1, Math.min(blob.box.height, other.box.height));
        if (isMajor(other) && share >= bestShare) {
          best = line;
          bestShare = share;
        }
      }
    }
    if (best) {
      best.blobs.push(blob);
      best.box = unionBox(best.box, blob.box);
      best.majorCount++;
    } else lines.push({ box: blob.box, blobs: [blob], majorCount: 1 });
  }
  joinStackedParts(lines);
  const leftover: InkBlob[] = [];
  for (const blob of blobs) {
    if (isMajor(blob)) continue;
    let best: WritingLine | undefined;
    let bestGap = LINE_ATTACH_GAP * digitHeight;
    for (const line of lines) {
      const gap = Math.max(0, -verticalOverlap(blob.box, line.box), Math.abs(centreY(blob.box) - centreY(line.box)) - line.box.height / 2);
      if (gap <= bestGap) {
        best = line;
        bestGap = gap;
      }
    }
    if (best) best.blobs.push(blob); // The box stays the digits': a hat above may stick out of it.
    else leftover.push(blob);
  }
  return { lines, leftover };
}

/**
 * Joins, in place, a one-blob line to its neighbour above or below (the closer, if both) when that
 * blob and one of the neighbour's are one character's parts stacked (STACKED_PART_GAP): an 8 whose
 * loops do not touch, alone or inside a number.
 */
function joinStackedParts(lines: WritingLine[]): void {
  lines.sort((a, b) => centreY(a.box) - centreY(b.box));
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].blobs.length !== 1) continue;
    const part = lines[i].blobs[0].box;
    const above = i > 0 ? stackedGap(lines[i - 1].blobs.map((b) => b.box), [part]) : Infinity;
    const below = i + 1 < lines.length ? stackedGap([part], lines[i + 1].blobs.map((b) => b.box)) : Infinity;
    if (above === Infinity && below === Infinity) continue;
    const first = above <= below ? i - 1 : i;
    const [upper, lower] = [lines[first], lines[first + 1]];
    lines.splice(first, 2, { box: unionBox(upper.box, lower.box), blobs: [...upper.blobs, ...lower.blobs], majorCount: upper.majorCount + lower.majorCount });
    i = first - 1; // The joined line may now stand next to another stacked part.
  }
}

/** The smallest gap between a box of `uppers` and one of `lowers` that are one character's stacked parts, or Infinity. */
function stackedGap(uppers: Box[], lowers: Box[]): number {
  let best = Infinity;
  for (const a of uppers) for (const b of lowers) if (areStackedParts(a, b)) best = Math.min(best, b.y - (a.y + a.height));
  return best;
}

/** Whether box `a` above box `b` look like the two parts of one character: close, overlapping, not too tall together. */
function areStackedParts(a: Box, b: Box): boolean {
  const gap = b.y - (a.y + a.height);
  const union = unionBox(a, b);
  return (
    gap <= STACKED_PART_GAP * Math.min(a.height, b.height) &&
    horizontalOverlap(a, b) >= 0.5 * Math.min(a.width, b.width) &&
    union.height <= STACKED_PART_ASPECT * union.width
  );
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
