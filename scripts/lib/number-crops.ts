import { candidateSpans, cropSpan, cropSpanTrimmed, findAtoms, type AtomSet, type Span } from '../../src/pipeline/lattice';
import type { CV } from '../../src/pipeline/opencv-types';
import { labelStrokes } from '../../src/pipeline/stroke-labels';
import type { NumberCase } from './number-cases';

/** A span holds a digit when it covers at least this share of the digit's ink… */
export const WHOLE_DIGIT_COVER = 0.85;

/** …and at most this share of any other digit's ink (a join's tail is nobody's ink). */
export const STRAY_COVER = 0.1;

/** A span is a piece of a digit below this share of its ink, or a mix when it holds this much of two digits. */
export const PART_COVER = 0.6;
export const MIX_COVER = 0.25;

/** What the lattice cut out of one written number: its digits' own candidates, and wrong ones. */
export interface NumberCrops {
  /**
   * Each span that holds one whole digit and nothing of others, cut out as the lattice cuts it:
   * with its join tails, and again without them where the lattice also offers that crop.
   */
  digits: { label: number; pixels: Float32Array }[];
  /** Candidates that mix two digits or hold only a part of one. */
  wrong: Float32Array[];
}

/**
 * Cuts a written number as the app's lattice does and sorts its candidates by the truth: which
 * digit drew each pixel is known from each digit's own strokes (a join belongs to none). The
 * reader learns digits as the lattice shows them inside real numbers (with tails, cut from their
 * neighbours) and learns the lattice's wrong candidates as "not a digit".
 */
export function numberCrops(cv: CV, written: NumberCase, options: { trimmed?: boolean } = {}): NumberCrops {
  const set = findAtoms(cv, written.image);
  const none: NumberCrops = { digits: [], wrong: [] };
  if (set.atoms.length === 0 || !written.image.strokes) return none;
  const cover = digitCover(set, written);
  const digitCount = written.labels.length;
  const inkOf = new Float64Array(digitCount);
  for (const atomCover of cover) atomCover.forEach((n, d) => (inkOf[d] += n));
  const coverOf = (span: Span): Float64Array => {
    const share = new Float64Array(digitCount);
    for (let a = span.from; a < span.to; a++) cover[a].forEach((n, d) => (share[d] += n / Math.max(1, inkOf[d])));
    return share;
  };
  const digits: NumberCrops['digits'] = [];
  const wrong: Float32Array[] = [];
  // The lattice's trimmed crops (a join's connector left out) are read too, so they are taught too.
  const trimmedCrop = (span: Span) => (options.trimmed && set.joins ? cropSpanTrimmed(cv, set, set.joins, span)?.pixels : undefined);
  for (const span of candidateSpans(set.atoms, set.digitHeight)) {
    const share = [...coverOf(span)];
    const order = share.map((_, d) => d).sort((a, b) => share[b] - share[a]);
    const [best, second] = [share[order[0]], order.length > 1 ? share[order[1]] : 0];
    if (best >= WHOLE_DIGIT_COVER && second <= STRAY_COVER) {
      // With or without a neighbouring piece of a join, the span is still the digit.
      const label = written.labels[order[0]];
      digits.push({ label, pixels: cropSpan(cv, set, span).pixels });
      const trimmed = trimmedCrop(span);
      if (trimmed) digits.push({ label, pixels: trimmed });
    } else if ((second >= MIX_COVER && best >= MIX_COVER) || (best < PART_COVER && second <= STRAY_COVER && best > 0)) {
      wrong.push(cropSpan(cv, set, span).pixels);
      const trimmed = trimmedCrop(span);
      if (trimmed) wrong.push(trimmed);
    }
  }
  return { digits, wrong };
}

/** Per atom, how many of its ink pixels each digit drew (pixels of a join count for none). */
function digitCover(set: AtomSet, written: NumberCase): Float64Array[] {
  const points: number[] = [];
  const starts: number[] = [];
  const ownerOfStroke: number[] = [];
  written.digitStrokes.forEach((strokes, d) => {
    for (const stroke of strokes) {
      starts.push(points.length / 2);
      ownerOfStroke.push(d);
      for (const [x, y] of stroke) points.push(x, y);
    }
  });
  const penWidth = written.image.strokes!.penWidth;
  const drawnBy = labelStrokes({ points: Float32Array.from(points), starts: Uint32Array.from(starts), penWidth }, set.work.width, set.work.height, set.scale);
  const { width, labels } = set.labels;
  return set.atoms.map((atom) => {
    const counts = new Float64Array(written.labels.length);
    for (let y = atom.box.y; y < atom.box.y + atom.box.height; y++) {
      for (let x = atom.box.x; x < atom.box.x + atom.box.width; x++) {
        const i = y * width + x;
        if (labels[i] !== atom.label || drawnBy[i] === 0) continue;
        counts[ownerOfStroke[drawnBy[i] - 1]]++;
      }
    }
    return counts;
  });
}
