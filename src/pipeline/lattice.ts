import { binarize } from './binarize';
import { scaleBox, unionBox } from './boxes';
import { cropPieces, type InkPiece } from './crop-digit';
import { dropNoise } from './drop-noise';
import { estimateDigitHeight } from './estimate-digit-height';
import { findInkBlobs } from './find-ink-blobs';
import { limitResolution } from './limit-resolution';
import { measureStrokeWidth } from './measure-stroke-width';
import { normalizeToMnist } from './normalize';
import { normalizeStrokeWidth } from './normalize-stroke-width';
import { cutTraceAtJoins, JoinPart, joinStretches } from './pen-joins';
import type { CV } from './opencv-types';
import { INK_THRESHOLD, MAJOR_HEIGHT_FRACTION, MAX_BLOBS, MAX_DIGITS, MAX_SEGMENT_SIDE, SPECK_FRACTION, STRAY_FRACTION, STROKE_WIDTH_TARGET } from './options';
import { isReadableTrace, labelStrokes } from './stroke-labels';
import type { Box, InkBlob, InkImage, LabelImage, StrokeTrace } from './types';

/** A digit is made of at most this many strokes or blobs (a 4 in two strokes, a 5 with its hat, a 0 cut off its tail). */
export const MAX_PIECES_PER_DIGIT = 4;

/**
 * …and of at most this many atoms: pieces of one stroke cut at its narrow columns count once
 * above, so a wide 0 cut into five is still a candidate whole. Bounds the candidates starting at
 * each atom.
 */
export const MAX_ATOMS_PER_DIGIT = 8;

/** A candidate wider than this × the digit height is never read as one digit (a wide 0 reaches 1.5). */
export const MAX_CANDIDATE_WIDTH = 1.7;

/** Atoms this far apart horizontally (× digit height, ink to ink) are never one digit. */
export const MAX_MERGE_GAP = 0.4;

/** A blob at least this wide (× digit height) may be digits joined by the pen: it is searched for cuts. */
export const CUT_MIN_WIDTH = 0.75;

/** A stroke at least this wide (× digit height) may be digits joined by the pen (ink known by its strokes). */
export const CUT_MIN_WIDTH_STROKE = 0.9;

/** From this width (× digit height) on, a stroke is cut where each digit should end, whatever its ink. */
export const CUT_WIDE_STROKE = 1.0;

/** From this width (× digit height) on, a blob is surely several digits: thicker necks are cut too. */
export const CUT_WIDE_BLOB = 0.85;

/** A blob gets at most one cut per this × digit height of its width, so one digit is a few atoms at most. */
export const CUT_SPACING = 0.4;

/** A typical digit's width (× its height; pendigits' median is 0.65): a wide blob holds width ÷ this digits. */
export const DIGIT_WIDTH = 0.65;

/** Around each expected boundary of a wide blob, its thinnest column this far (× digit height) either side is cut. */
export const CUT_SEARCH = 0.2;

/** A cut column holds at most this × the stroke width of ink: one stroke crossing (a ligature, a touch). */
export const CUT_MAX_INK = 1.5;

/** In a surely-joined blob, a cut column may hold this × the stroke width (two strokes touching). */
export const CUT_MAX_INK_WIDE = 3;

/** A cut leaves at least this × digit height of the blob on either side, and cuts are this far apart. */
export const CUT_MIN_PIECE = 0.15;

/** An atom smaller than this × digit height both ways may be left out of the reading (a stray dot). */
export const SKIPPABLE_FRACTION = STRAY_FRACTION;

/** Log-score of leaving a small atom out: worse than any confident digit, better than a "?" of its own. */
export const SKIP_SCORE = Math.log(0.2);

/**
 * How much "a wrong cut" (all of "not a digit", from a model without a mark class) counts against
 * the best digit: a candidate reads as a digit unless P(a wrong cut) × this outweighs P(best digit).
 * Training shows the model far more wrong cuts than a pad holds, so their raw odds are weighed
 * down. The app's "?" for a single crop (src/inference/read-digits.ts) uses the same weights.
 */
export const NOT_A_DIGIT_WEIGHT = 0.05;

/**
 * How much P(a mark) counts against the best digit (a model with that class): a whole letter or
 * symbol is a reading in its own right, so it is weighed down less than a wrong cut
 * ({@link NOT_A_DIGIT_WEIGHT}) and a whole letter can win over its pieces read as digits.
 */
export const MARK_WEIGHT = 0.2;

/**
 * How much P(a mark) counts for a candidate of two or more atoms ({@link ReadingWeights.markOfSeveralAtoms}):
 * more than for one crop, so an n or a v cut at its joins reads as one "?" more often than as
 * 17 or 11; more still would lose numbers joined by the pen (docs/experiments.md, session 28).
 */
export const MARK_OF_SEVERAL_ATOMS_WEIGHT = 0.3;

/**
 * How much P(best digit) of a crop without a join's connector counts: a cursive u or w cut at its
 * joins gives clean 1s once the connectors are gone, so such a reading is trusted less than a whole crop's.
 */
export const TRIMMED_WEIGHT = 0.5;

/** The reading's tuned settings (mostly how much "not a digit" counts); tuning scripts try others on training writers. */
export interface ReadingWeights {
  /** Times P(a wrong cut): two joined digits are not one "?", while a letter's pieces still are. */
  wrongCut: number;
  /** Times P(a mark). */
  mark: number;
  /**
   * Times P(a mark) for a candidate of two or more atoms, in the path only ({@link mark} when
   * omitted): a letter cut at its joins into digit-like pieces (n → 17) loses to its pieces unless
   * its whole reading counts for more, while a single crop (one atom: most digits) is unaffected.
   */
  markOfSeveralAtoms?: number;
  /** Times P(best digit) of a crop with a join's connector left out ({@link cropSpanTrimmed}); 1 when omitted. */
  trimmed?: number;
  /** Neighbours' shared columns are measured against at least this × digit height ({@link PAIR_MIN_WIDTH} when omitted). */
  pairMinWidth?: number;
}

/** The weights the app reads with. */
export const READING_WEIGHTS: Readonly<ReadingWeights> = { wrongCut: NOT_A_DIGIT_WEIGHT, mark: MARK_WEIGHT, markOfSeveralAtoms: MARK_OF_SEVERAL_ATOMS_WEIGHT, trimmed: TRIMMED_WEIGHT };

/** A trace longer than this (x and y values) is not read: the ink's blobs are used instead. */
export const MAX_TRACE_VALUES = 400_000;

/** The ink's strokes when the lattice reads them (readable, at most {@link MAX_TRACE_VALUES}); undefined when it reads the blobs. */
export function strokesToRead(image: InkImage): StrokeTrace | undefined {
  return isReadableTrace(image.strokes) && image.strokes.points.length <= MAX_TRACE_VALUES ? image.strokes : undefined;
}

/** One atom of ink: a blob, or the columns of a joined blob between two cuts. Its box holds only its ink. */
export interface LatticeAtom extends InkPiece {
  area: number;
  /** The stroke (or blob) it is a piece of: neighbours of one origin were cut apart. */
  origin: number;
}

/** The ink of an image cut into atoms, ordered left to right by their centres. */
export interface AtomSet {
  /** The image segmented (downscaled if it was huge) and its blobs' label image. */
  work: InkImage;
  labels: LabelImage;
  /** Pixels of the original image per pixel of `work`. */
  scale: number;
  /** Height of a typical digit in `work` pixels. */
  digitHeight: number;
  atoms: LatticeAtom[];
  /** Where strokes were cut at the pen's joins: which ink is the connector near each cut. */
  joins?: JoinInk;
}

/** The connectors' ink of strokes cut at joins (labels are the atoms' stroke labels). */
export interface JoinInk {
  /** Per pixel of `work`: the {@link JoinPart} of its stroke it is nearest. */
  part: Uint8Array;
  /** Per stroke label − 1: it starts at a join; it ends at one. */
  cutAtStart: boolean[];
  cutAtEnd: boolean[];
}

/** Path of a cut stroke this close to its join (× digit height) is the connector, left out of a trimmed crop. */
export const JOIN_TRIM = 0.2;

/** A stretch of consecutive atoms [from, to) that might be one digit. */
export interface Span {
  from: number;
  to: number;
}

/** A candidate digit: its atoms, its box in the original image and the 28×28 crop the model reads. */
export interface LatticeCandidate extends Span {
  box: Box;
  /** The box in `work` pixels, for the geometric terms. */
  workBox: Box;
  pixels: Float32Array;
  /** The crop leaves out a join's connector (a second candidate for the same atoms). */
  trimmed?: boolean;
}

/** Every candidate digit of an image; reading it means picking a path through them. */
export interface Lattice {
  atomCount: number;
  digitHeight: number;
  candidates: LatticeCandidate[];
  /** Per atom: whether a path may leave it out (a stray dot). */
  skippable: boolean[];
  /** Per atom: whether it and the atom before it are pieces of one cut stroke or blob. */
  cutBefore: boolean[];
}

/** Options of {@link findAtoms}. */
export interface AtomOptions {
  inkThreshold?: number;
  /** Blobs at least this wide (× digit height) are searched for cuts; 0 searches every blob. */
  cutMinWidth?: number;
}

/**
 * Finds the atoms of the ink: its strokes when the image carries them, else its blobs (specks
 * dropped), with those wide enough to be joined digits cut at their necks (columns crossed by no
 * more than a stroke or two) and where each digit should end, left to right.
 */
export function findAtoms(cv: CV, image: InkImage, options: AtomOptions = {}): AtomSet {
  const { inkThreshold = INK_THRESHOLD } = options;
  const { image: work, scale } = limitResolution(cv, image, MAX_SEGMENT_SIDE);
  const binary = binarize(cv, work, inkThreshold);
  // Written ink comes with its strokes: two digits that touch are still two strokes. A picture
  // (or a malformed trace) has only the ink, and its blobs stand in for strokes.
  const trace = strokesToRead(image);
  const inkBlobs = findInkBlobs(cv, binary);
  // Measured on the ink's blobs even when strokes are known: a 4's bar or a 5's body alone is
  // shorter than the digit, while touching strokes together are as tall as it.
  const digitHeight = estimateDigitHeight(inkBlobs.blobs);
  // A stroke that runs on from one digit into the next is cut where the pen crossed over, so each
  // piece is a digit (and part of the join), as if the pen had been lifted.
  const joined = trace ? cutTraceAtJoins(trace, digitHeight * scale) : undefined;
  const { blobs, labels } = joined ? strokeBlobs(binary, labelStrokes(joined.trace, work.width, work.height, scale)) : inkBlobs;
  const originOf = (label: number) => (joined ? joined.origin[label - 1] + 1 : label);
  // A stroke holds two digits only where the pen ran on from one to the next, which makes it wide.
  const cutMinWidth = options.cutMinWidth ?? (trace ? CUT_MIN_WIDTH_STROKE : CUT_MIN_WIDTH);
  const forcedCutWidth = trace ? CUT_WIDE_STROKE : CUT_WIDE_BLOB;
  const kept = dropNoise(blobs, SPECK_FRACTION * digitHeight, MAX_BLOBS);
  const atoms: LatticeAtom[] = [];
  let strokeWidth: number | undefined;
  for (const blob of kept) {
    // Only a blob tall enough to hold digits is cut: a 5's long hat or a 7's bar is one piece.
    if (blob.box.width < cutMinWidth * digitHeight || blob.box.height < MAJOR_HEIGHT_FRACTION * digitHeight) {
      atoms.push({ label: blob.label, box: blob.box, area: blob.area, origin: originOf(blob.label) });
      continue;
    }
    // Measured once, and only when some blob needs cutting.
    strokeWidth ??= measureStrokeWidth(cv, binary);
    atoms.push(...cutBlob(blob, labels, digitHeight, strokeWidth, forcedCutWidth).map((a) => ({ ...a, origin: originOf(blob.label) })));
  }
  atoms.sort((a, b) => a.box.x + a.box.width / 2 - (b.box.x + b.box.width / 2));
  const joins = joined && joined.trace.starts.length > trace!.starts.length ? findJoinInk(joined, labels, work, scale, digitHeight) : undefined;
  return { work, labels, scale, digitHeight, atoms, joins };
}

/** Which pixels of cut strokes are the connector's stretch near a join. */
function findJoinInk(joined: ReturnType<typeof cutTraceAtJoins>, labels: LabelImage, work: InkImage, scale: number, digitHeight: number): JoinInk {
  const stretches = joinStretches(joined, JOIN_TRIM * digitHeight * scale);
  const partLabels = labelStrokes(stretches.parts, work.width, work.height, scale);
  const part = new Uint8Array(work.width * work.height);
  for (let i = 0; i < part.length; i++) {
    const p = partLabels[i];
    if (p === 0 || labels.labels[i] === 0 || stretches.partStroke[p - 1] + 1 !== labels.labels[i]) continue;
    part[i] = stretches.partKind[p - 1];
  }
  return { part, cutAtStart: stretches.cutAtStart, cutAtEnd: stretches.cutAtEnd };
}

/** The ink of each stroke as a blob: the stroke's pixels that are ink, labelled with its number. */
function strokeBlobs(binary: InkImage, strokeLabels: Int32Array): { blobs: InkBlob[]; labels: LabelImage } {
  const { width, height } = binary;
  const labels = new Int32Array(width * height);
  const found = new Map<number, { minX: number; minY: number; maxX: number; maxY: number; area: number }>();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const label = strokeLabels[i];
      if (label === 0 || binary.data[i] === 0) continue;
      labels[i] = label;
      const b = found.get(label);
      if (!b) found.set(label, { minX: x, minY: y, maxX: x, maxY: y, area: 1 });
      else {
        b.minX = Math.min(b.minX, x);
        b.maxX = Math.max(b.maxX, x);
        b.maxY = y;
        b.area++;
      }
    }
  }
  const blobs = [...found.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([label, b]) => ({ label, box: { x: b.minX, y: b.minY, width: b.maxX - b.minX + 1, height: b.maxY - b.minY + 1 }, area: b.area }));
  return { blobs, labels: { width, height, labels } };
}

/** Ink per column of one blob inside its box. */
function columnInk(label: number, box: Box, labels: LabelImage): Int32Array {
  const columns = new Int32Array(box.width);
  for (let row = box.y; row < box.y + box.height; row++) {
    const offset = row * labels.width + box.x;
    for (let col = 0; col < box.width; col++) if (labels.labels[offset + col] === label) columns[col]++;
  }
  return columns;
}

/**
 * Columns where a blob could be two digits joined: local minima of its (3-column smoothed) ink
 * that hold no more than a stroke crossing (two in a blob too wide for one digit), at least
 * CUT_MIN_PIECE × digit height from the blob's sides and from each other, thinnest first.
 */
export function findCutColumns(columns: Int32Array, digitHeight: number, strokeWidth: number, forcedCutWidth = CUT_WIDE_BLOB): number[] {
  const width = columns.length;
  const smooth = Float32Array.from(columns, (_, c) => {
    const lo = Math.max(0, c - 1);
    const hi = Math.min(width - 1, c + 1);
    let sum = 0;
    for (let k = lo; k <= hi; k++) sum += columns[k];
    return sum / (hi - lo + 1);
  });
  const maxInk = (width >= forcedCutWidth * digitHeight ? CUT_MAX_INK_WIDE : CUT_MAX_INK) * Math.max(1, strokeWidth);
  const margin = Math.max(1, Math.round(CUT_MIN_PIECE * digitHeight));
  const minima: number[] = [];
  for (let c = margin; c < width - margin; c++) {
    if (smooth[c] > maxInk) continue;
    // The middle of a flat valley: extend over equal neighbours, then check both sides rise.
    let end = c;
    while (end + 1 < width && smooth[end + 1] === smooth[c]) end++;
    // Columns outside the margins still count as neighbours: a valley must be walled on both sides.
    const leftOk = smooth[c - 1] > smooth[c];
    const rightOk = end + 1 < width && smooth[end + 1] > smooth[c];
    const middle = Math.round((c + end) / 2);
    if (leftOk && rightOk && middle < width - margin) minima.push(middle);
    c = end;
  }
  minima.sort((a, b) => smooth[a] - smooth[b]);
  const chosen: number[] = [];
  // Bounded so that a single digit is at most a few atoms: one cut per CUT_SPACING of width.
  const maxCuts = Math.max(1, Math.floor(width / (CUT_SPACING * digitHeight)));
  const farFromChosen = (c: number) => chosen.every((other) => Math.abs(other - c) >= margin);
  for (const c of minima) {
    if (chosen.length >= maxCuts) break;
    if (farFromChosen(c)) chosen.push(c);
  }
  // A blob too wide for one digit is digits touching, maybe crossing: whatever the ink, cut it
  // where each expected boundary has the least ink nearby, and let the reader judge the pieces.
  if (width >= forcedCutWidth * digitHeight) {
    const parts = Math.max(2, Math.round(width / (DIGIT_WIDTH * digitHeight)));
    const reach = Math.round(CUT_SEARCH * digitHeight);
    for (let j = 1; j < parts; j++) {
      const centre = Math.round((width * j) / parts);
      let best = -1;
      for (let c = Math.max(margin, centre - reach); c <= Math.min(width - margin - 1, centre + reach); c++) {
        if (best < 0 || smooth[c] < smooth[best]) best = c;
      }
      if (best >= 0 && farFromChosen(best) && chosen.length < maxCuts) chosen.push(best);
    }
  }
  return chosen.sort((a, b) => a - b);
}

/** A blob as atoms: cut at {@link findCutColumns}, each piece's box tightened to its ink. */
function cutBlob(
  blob: { label: number; box: Box; area: number },
  labels: LabelImage,
  digitHeight: number,
  strokeWidth: number,
  forcedCutWidth: number,
): Omit<LatticeAtom, 'origin'>[] {
  const columns = columnInk(blob.label, blob.box, labels);
  const cuts = findCutColumns(columns, digitHeight, strokeWidth, forcedCutWidth);
  if (cuts.length === 0) return [{ label: blob.label, box: blob.box, area: blob.area }];
  const bounds = [0, ...cuts, blob.box.width];
  const atoms: Omit<LatticeAtom, 'origin'>[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const piece = inkBetween(blob.label, blob.box, labels, bounds[k], bounds[k + 1]);
    if (piece) atoms.push(piece);
  }
  return atoms;
}

/** The blob's ink in box columns [from, to), its box tightened; undefined when there is none. */
function inkBetween(label: number, box: Box, labels: LabelImage, from: number, to: number): Omit<LatticeAtom, 'origin'> | undefined {
  let top = Infinity;
  let bottom = -1;
  let left = Infinity;
  let right = -1;
  let area = 0;
  for (let row = box.y; row < box.y + box.height; row++) {
    const offset = row * labels.width + box.x;
    for (let col = from; col < to; col++) {
      if (labels.labels[offset + col] !== label) continue;
      area++;
      top = Math.min(top, row);
      bottom = row;
      left = Math.min(left, col);
      right = Math.max(right, col);
    }
  }
  if (area === 0) return undefined;
  return { label, box: { x: box.x + left, y: top, width: right - left + 1, height: bottom - top + 1 }, area };
}

/** Ink-to-ink horizontal gaps inside a set of boxes: the widest stretch of columns none of them covers. */
function widestGap(boxes: readonly Box[]): number {
  const sorted = [...boxes].sort((a, b) => a.x - b.x);
  let reach = sorted[0].x + sorted[0].width;
  let widest = 0;
  for (const b of sorted.slice(1)) {
    widest = Math.max(widest, b.x - reach);
    reach = Math.max(reach, b.x + b.width);
  }
  return widest;
}

/**
 * The stretches of consecutive atoms that could be one digit: every atom alone, and runs of atoms
 * of up to MAX_PIECES_PER_DIGIT strokes or blobs (MAX_ATOMS_PER_DIGIT atoms) that fit in a digit's
 * width with no wide gap inside. Bounded by atoms × MAX_ATOMS_PER_DIGIT, so a long number stays cheap.
 */
export function candidateSpans(atoms: readonly LatticeAtom[], digitHeight: number): Span[] {
  const spans: Span[] = [];
  for (let from = 0; from < atoms.length; from++) {
    spans.push({ from, to: from + 1 });
    // The run's strokes, boxes and their union grow with it rather than being gathered anew.
    const pieces = new Set([atoms[from].label]);
    const boxes = [atoms[from].box];
    let box = atoms[from].box;
    for (let to = from + 2; to <= Math.min(atoms.length, from + MAX_ATOMS_PER_DIGIT); to++) {
      if (pieces.add(atoms[to - 1].label).size > MAX_PIECES_PER_DIGIT) break;
      boxes.push(atoms[to - 1].box);
      box = unionBox(box, atoms[to - 1].box);
      if (box.width > MAX_CANDIDATE_WIDTH * digitHeight) break;
      if (widestGap(boxes) > MAX_MERGE_GAP * digitHeight) continue;
      spans.push({ from, to });
    }
  }
  return spans;
}

/** The 28×28 crop of atoms [from, to) as the model reads it, and its box in `work` pixels. */
export function cropSpan(cv: CV, set: AtomSet, span: Span, strokeWidth = STROKE_WIDTH_TARGET): { workBox: Box; pixels: Float32Array } {
  const atoms = set.atoms.slice(span.from, span.to);
  const workBox = atoms.map((a) => a.box).reduce(unionBox);
  const crop = cropPieces(set.work, set.labels, atoms, workBox);
  const redrawn = strokeWidth > 0 ? normalizeStrokeWidth(cv, crop, strokeWidth) : crop;
  return { workBox, pixels: normalizeToMnist(redrawn) };
}

/**
 * The crop of atoms [from, to) without the connectors that lead to ink outside it (the stretch of
 * a cut stroke near a join whose other side is not in the span); undefined when there is none.
 */
export function cropSpanTrimmed(cv: CV, set: AtomSet, joins: JoinInk, span: Span, strokeWidth = STROKE_WIDTH_TARGET): { workBox: Box; pixels: Float32Array } | undefined {
  const atoms = set.atoms.slice(span.from, span.to);
  const inSpan = new Set(atoms.map((a) => a.label));
  // Per label: the parts left out (a join whose neighbour stroke is outside the span).
  const dropped = new Map<number, Set<number>>();
  for (const label of inSpan) {
    const parts = new Set<number>();
    if (joins.cutAtStart[label - 1] && !inSpan.has(label - 1)) parts.add(JoinPart.AtStart);
    if (joins.cutAtEnd[label - 1] && !inSpan.has(label + 1)) parts.add(JoinPart.AtEnd);
    if (parts.size > 0) dropped.set(label, parts);
  }
  if (dropped.size === 0) return undefined;
  const full = atoms.map((a) => a.box).reduce(unionBox);
  const kept = new Int32Array(set.labels.labels);
  let left = Infinity;
  let right = -1;
  let top = Infinity;
  let bottom = -1;
  for (let y = full.y; y < full.y + full.height; y++) {
    for (let x = full.x; x < full.x + full.width; x++) {
      const i = y * set.work.width + x;
      const label = kept[i];
      if (!inSpan.has(label)) continue;
      if (!atoms.some((a) => a.label === label && x >= a.box.x && x < a.box.x + a.box.width)) continue;
      if (dropped.get(label)?.has(joins.part[i])) {
        kept[i] = 0;
        continue;
      }
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
  }
  if (right < 0) return undefined;
  const workBox = { x: left, y: top, width: right - left + 1, height: bottom - top + 1 };
  const crop = cropPieces(set.work, { width: set.labels.width, height: set.labels.height, labels: kept }, atoms, workBox);
  const redrawn = strokeWidth > 0 ? normalizeStrokeWidth(cv, crop, strokeWidth) : crop;
  return { workBox, pixels: normalizeToMnist(redrawn) };
}

/** Options of {@link buildLattice}. */
export interface LatticeOptions {
  inkThreshold?: number;
  /** Stroke width the crops are redrawn at; 0 keeps the pen's own. */
  strokeWidth?: number;
}

/**
 * Over-segments the ink: atoms, then every plausible digit made of consecutive atoms, each cut
 * out and MNIST-normalised. A malformed image (bad size, short data) gives an empty lattice.
 */
export function buildLattice(cv: CV, image: InkImage, options: LatticeOptions = {}): Lattice {
  const empty: Lattice = { atomCount: 0, digitHeight: 0, candidates: [], skippable: [], cutBefore: [] };
  if (!isWellFormed(image)) return empty;
  const threshold = Number.isFinite(options.inkThreshold) ? Math.min(254, Math.max(0, options.inkThreshold!)) : INK_THRESHOLD;
  const set = findAtoms(cv, image, { inkThreshold: threshold });
  if (set.atoms.length === 0) return empty;
  const spans = candidateSpans(set.atoms, set.digitHeight);
  const candidates: LatticeCandidate[] = spans.map((span) => {
    const { workBox, pixels } = cropSpan(cv, set, span, options.strokeWidth);
    return { ...span, workBox, box: scaleBox(workBox, set.scale, image), pixels };
  });
  if (set.joins) {
    for (const span of spans) {
      const trimmed = cropSpanTrimmed(cv, set, set.joins, span, options.strokeWidth);
      if (trimmed) candidates.push({ ...span, workBox: trimmed.workBox, box: scaleBox(trimmed.workBox, set.scale, image), pixels: trimmed.pixels, trimmed: true });
    }
  }
  const small = SKIPPABLE_FRACTION * set.digitHeight;
  return {
    atomCount: set.atoms.length,
    digitHeight: set.digitHeight,
    candidates,
    skippable: set.atoms.map((a) => a.box.width < small && a.box.height < small),
    cutBefore: set.atoms.map((a, i) => i > 0 && set.atoms[i - 1].label === a.label),
  };
}

/**
 * A candidate's score beside the model's: 0 for digit-shaped boxes, falling for boxes wider than
 * a digit (two digits squeezed together) and for slivers much shorter than the writing.
 */
export function geometricScore(box: Box, digitHeight: number): number {
  if (digitHeight <= 0) return 0;
  const wide = Math.max(0, box.width / digitHeight - 1.2);
  const short = Math.max(0, 0.35 - Math.max(box.width, box.height) / digitHeight);
  return -3 * wide - 6 * short;
}

/** One step of a reading: a candidate, read as a digit or as a mark that is not one ("?"). */
export interface PathStep {
  candidate: number;
  asDigit: boolean;
}

/**
 * The best reading of a lattice: the path of candidates, left to right, covering every atom (small
 * ones may be skipped), each read either as a digit, scoring log P(its best digit), or as "not a
 * digit", scoring the better of log(P(a wrong cut) × wrongCut) and log(P(a mark) × mark) ({@link READING_WEIGHTS}),
 * plus the geometric terms of each candidate and of each pair of neighbours (digits side by side
 * barely share columns); the path with the highest sum wins (dynamic programming over atom
 * boundaries and the last candidate taken). P(a wrong cut) is P(not a digit) − P(a mark).
 * `notDigitProbability` may be omitted (a digits-only model): then nothing is read as a rejection;
 * `markProbability` may be omitted (a model without that class): every "not a digit" is a wrong cut.
 */
export function bestPath(...args: Parameters<typeof scoredBestPath>): PathStep[] {
  return scoredBestPath(...args).path;
}

/** {@link bestPath} with its score: the sum of its log-scores (0 for an empty lattice). */
export function scoredBestPath(
  lattice: Lattice,
  digitProbability: ArrayLike<number>,
  notDigitProbability?: ArrayLike<number>,
  markProbability?: ArrayLike<number>,
  weights: Readonly<ReadingWeights> = READING_WEIGHTS,
): { path: PathStep[]; score: number } {
  const n = lattice.atomCount;
  interface State {
    score: number;
    /** The last candidate on the path (-1: none yet). */
    last: number;
    /** The state this one came from, and the step taken (null: an atom skipped). */
    from: State | null;
    step: PathStep | null;
  }
  /** Per boundary, the best state for each last candidate. */
  const states: Map<number, State>[] = Array.from({ length: n + 1 }, () => new Map());
  states[0].set(-1, { score: 0, last: -1, from: null, step: null });
  const pairMinWidth = (weights.pairMinWidth ?? PAIR_MIN_WIDTH) * lattice.digitHeight;
  const byStart: number[][] = Array.from({ length: n }, () => []);
  lattice.candidates.forEach((c, i) => byStart[c.from].push(i));
  const offer = (at: number, state: State) => {
    const held = states[at].get(state.last);
    if (!held || state.score > held.score) states[at].set(state.last, state);
  };
  const unary = lattice.candidates.map((c, i) => {
    const geometry = geometricScore(c.workBox, lattice.digitHeight);
    const asDigit = Math.log(Math.max(1e-6, digitProbability[i]) * (c.trimmed ? (weights.trimmed ?? 1) : 1)) + geometry;
    const mark = markProbability?.[i] ?? 0;
    const asWrongCut = notDigitProbability ? Math.log(Math.max(1e-6, notDigitProbability[i] - mark) * weights.wrongCut) : -Infinity;
    const markWeight = c.to - c.from > 1 ? (weights.markOfSeveralAtoms ?? weights.mark) : weights.mark;
    const asMark = Math.max(asWrongCut, mark > 0 ? Math.log(mark * markWeight) : -Infinity) + geometry;
    return { score: Math.max(asDigit, asMark), asDigit: asDigit >= asMark };
  });
  for (let at = 0; at < n; at++) {
    for (const state of states[at].values()) {
      if (lattice.skippable[at]) offer(at + 1, { score: state.score + SKIP_SCORE, last: state.last, from: state, step: null });
      for (const i of byStart[at]) {
        const c = lattice.candidates[i];
        const pair = state.last < 0 ? 0 : pairScore(lattice.candidates[state.last].workBox, c.workBox, pairMinWidth) + (lattice.cutBefore[at] ? CUT_SCORE : 0);
        offer(c.to, { score: state.score + unary[i].score + pair, last: i, from: state, step: { candidate: i, asDigit: unary[i].asDigit } });
      }
    }
  }
  let end: State | null = null;
  for (const state of states[n].values()) if (!end || state.score > end.score) end = state;
  const path: PathStep[] = [];
  for (let state = end; state; state = state.from) if (state.step) path.push(state.step);
  // A lattice of skippable atoms only (a few dots) reads as nothing.
  return { path: path.reverse(), score: end ? end.score : -Infinity };
}

/**
 * Two neighbouring digits share few columns, even slanted: sharing more than PAIR_FREE_OVERLAP of
 * the narrower one's width costs (an X or a + is not two 1s crossing). That width is taken as at
 * least `minWidth` (the boxes' pixels), so a thin 1 written touching its neighbour need not be
 * charged as if the two were crossing ({@link PAIR_MIN_WIDTH}).
 */
export function pairScore(left: Box, right: Box, minWidth = 0): number {
  const shared = Math.min(left.x + left.width, right.x + right.width) - Math.max(left.x, right.x);
  const narrower = Math.max(1, Math.min(left.width, right.width), minWidth);
  return -PAIR_OVERLAP_WEIGHT * Math.max(0, shared / narrower - PAIR_FREE_OVERLAP);
}

/**
 * Log-score of reading the two sides of a cut through one stroke (or blob) as two digits: a cut
 * must earn its place, so a 2 whose loop reads as a 0 stays one 2, while two digits joined by the
 * pen, which read badly as one, are still cut apart.
 */
export const CUT_SCORE = Math.log(0.3);

/** Neighbours may share this share of the narrower one's columns for free. */
export const PAIR_FREE_OVERLAP = 0.35;

/** Log-score lost per unit of shared width beyond that. */
export const PAIR_OVERLAP_WEIGHT = 4;

/**
 * The narrower neighbour's width counts as at least this × digit height ({@link pairScore}); 0:
 * its own width. A floor of 0.3 read training writers' touching numbers better (a thin 1 touching
 * the next digit was read merged with it), but held-out writers' numbers no better and the `ibm`
 * letters worse (R → 12), so it is off (docs/experiments.md, session 20).
 */
export const PAIR_MIN_WIDTH = 0;

/** The first `maxDigits` steps of a path, and whether any were left out. */
export function pathDigits(path: readonly PathStep[], maxDigits = MAX_DIGITS): { steps: PathStep[]; truncated: boolean } {
  const limit = Number.isFinite(maxDigits) ? Math.max(0, Math.floor(maxDigits)) : MAX_DIGITS;
  return { steps: path.slice(0, limit), truncated: path.length > limit };
}

/** Positive integer size and enough bytes; anything else is treated as an empty pad. */
export function isWellFormed(image: InkImage): boolean {
  const { width, height, data } = image ?? {};
  return Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0 && data != null && data.length >= width * height;
}
