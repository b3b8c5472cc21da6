import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { Stroke } from '../../src/pipeline/rasterize-strokes';

/** One handwritten digit from the UCI pendigits set: tablet strokes, y down, in a 500×500 box. */
export interface PenDigit {
  id: string;
  label: number;
  writer: string;
  strokes: Stroke[];
}

/** The repository's own copy of the data (data/README.md: source and licence). */
export const PENDIGITS_PATH = fileURLToPath(new URL('../../data/pendigits-train.jsonl.gz', import.meta.url));

/** Share of the pad height a replayed digit fills, as the data's README suggests. */
export const DEFAULT_HEIGHT_FRACTION = 0.6;

/** Slanted neighbours may share this × the digit height of columns, and no more. */
const MAX_BOX_OVERLAP = 0.1;

/** Fraction of the pad width a number may use; the rest is margin. */
const MAX_WIDTH_FRACTION = 0.94;

const cache = new Map<string, PenDigit[]>();

/** Loads (once per path) every digit of the pendigits training split. */
export function loadPendigits(path: string = PENDIGITS_PATH): PenDigit[] {
  let digits = cache.get(path);
  if (!digits) {
    digits = readJsonLines<PenDigit>(path);
    cache.set(path, digits);
  }
  return digits;
}

/** Rows of a JSON Lines file, gzip-compressed when its name ends in `.gz`. */
export function readJsonLines<T>(path: string): T[] {
  const bytes = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** Axis-aligned bounds of stroke centre lines. */
export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Bounds of all points of the strokes (centre lines, without the pen's width). */
export function strokeBounds(strokes: readonly (readonly (readonly number[])[])[]): Bounds {
  const b = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (const s of strokes) {
    for (const [x, y] of s) {
      b.minX = Math.min(b.minX, x);
      b.maxX = Math.max(b.maxX, x);
      b.minY = Math.min(b.minY, y);
      b.maxY = Math.max(b.maxY, y);
    }
  }
  return b;
}

/** Maps every point through (x, y) → (x·scale + dx, y·scale + dy). */
export function transformStrokes(strokes: Stroke[], scale: number, dx: number, dy: number): Stroke[] {
  return strokes.map((s) => s.map(([x, y]) => [x * scale + dx, y * scale + dy]));
}

/**
 * Replays one digit on a pad: scaled so its height is `heightFraction` of the pad (less if a wide
 * digit would not fit the pad's width), centred.
 */
export function placeDigit(
  digit: PenDigit,
  padWidth: number,
  padHeight: number,
  heightFraction: number = DEFAULT_HEIGHT_FRACTION,
): Stroke[] {
  const b = strokeBounds(digit.strokes);
  const scale = Math.min(
    (heightFraction * padHeight) / Math.max(1, b.maxY - b.minY),
    (MAX_WIDTH_FRACTION * padWidth) / Math.max(1, b.maxX - b.minX),
  );
  const dx = padWidth / 2 - ((b.minX + b.maxX) / 2) * scale;
  const dy = padHeight / 2 - ((b.minY + b.maxY) / 2) * scale;
  return transformStrokes(digit.strokes, scale, dx, dy);
}

/** How the digits of a number sit on the pad; lengths are fractions of the digit height. */
export interface NumberLayout {
  /** Visible ink-to-ink gap before each digit after the first (may be tiny: nearly touching). */
  gaps: number[];
  /** Baseline rise per unit of x (negative: the line climbs to the right, y points down). */
  slope: number;
  /** Size factor per digit (uneven heights), 1 = the common size. */
  sizes: number[];
  /** Vertical jitter per digit. */
  shifts: number[];
}

/** A generated number: strokes on the pad and the labels in reading order. */
export interface PlacedNumber {
  strokes: Stroke[];
  labels: number[];
}

/**
 * Writes digits left to right on a pad like a person writing a number: common size (the median
 * digit height is `heightFraction` of the pad, shrunk if the number would not fit), bottoms on a
 * possibly slanted baseline, and each digit pushed left until its ink is `gap` away from the ink
 * before it (measured row by row, so slanted digits may share columns as real writing does).
 */
export function placeNumber(
  digits: PenDigit[],
  layout: NumberLayout,
  padWidth: number,
  padHeight: number,
  penWidth: number,
  heightFraction: number = DEFAULT_HEIGHT_FRACTION,
): PlacedNumber {
  const heights = digits.map((d) => {
    const b = strokeBounds(d.strokes);
    return Math.max(1, b.maxY - b.minY);
  });
  const medianHeight = [...heights].sort((a, b) => a - b)[Math.floor(heights.length / 2)];
  let digitHeight = heightFraction * padHeight;
  let strokes: Stroke[] = [];
  for (let attempt = 0; attempt < 4; attempt++) {
    strokes = layOut(digits, layout, digitHeight / medianHeight, digitHeight, penWidth);
    const b = strokeBounds(strokes);
    const width = b.maxX - b.minX + penWidth;
    if (width <= MAX_WIDTH_FRACTION * padWidth) break;
    digitHeight *= (MAX_WIDTH_FRACTION * padWidth) / width;
  }
  const b = strokeBounds(strokes);
  const dx = padWidth / 2 - (b.minX + b.maxX) / 2;
  const dy = padHeight / 2 - (b.minY + b.maxY) / 2;
  return { strokes: transformStrokes(strokes, 1, dx, dy), labels: digits.map((d) => d.label) };
}

/** Places digits at one common scale; returns pad-pixel strokes with an arbitrary origin. */
function layOut(digits: PenDigit[], layout: NumberLayout, scale: number, digitHeight: number, penWidth: number): Stroke[] {
  const out: Stroke[] = [];
  let cursor = 0;
  digits.forEach((digit, i) => {
    const s = scale * (layout.sizes[i] ?? 1);
    const b = strokeBounds(digit.strokes);
    // Bottom of each digit on the baseline; the baseline slants with x.
    const baseline = layout.slope * cursor + (layout.shifts[i] ?? 0) * digitHeight;
    let placed = transformStrokes(digit.strokes, s, -b.minX * s, baseline - b.maxY * s);
    if (i > 0) {
      // Centre lines `gap + penWidth` apart leave a visible gap of `gap` between the inked edges.
      const gap = (layout.gaps[i - 1] ?? 0.2) * digitHeight + penWidth;
      const right = rowExtremes(out, gap, 'max');
      const left = rowExtremes(placed, 0, 'min');
      let shift = -Infinity;
      for (const [row, x] of left) {
        const r = right.get(row);
        if (r !== undefined) shift = Math.max(shift, r + gap - x);
      }
      // People do not tuck a digit under the previous one's overhang: boxes share a few columns at most.
      shift = Math.max(shift, cursor - MAX_BOX_OVERLAP * digitHeight - strokeBounds(placed).minX);
      placed = transformStrokes(placed, 1, shift, 0);
    }
    out.push(...placed);
    cursor = strokeBounds(placed).maxX;
  });
  return out;
}

/**
 * Leftmost or rightmost ink x per 1-px row, sampled densely along the strokes and widened by
 * `reach` rows up and down so that clearance holds diagonally too, not just within a row.
 */
function rowExtremes(strokes: Stroke[], reach: number, kind: 'min' | 'max'): Map<number, number> {
  const rows = new Map<number, number>();
  const better = kind === 'min' ? Math.min : Math.max;
  const visit = (x: number, y: number): void => {
    const r0 = Math.floor(y - reach);
    const r1 = Math.ceil(y + reach);
    for (let r = r0; r <= r1; r++) {
      const prev = rows.get(r);
      rows.set(r, prev === undefined ? x : better(prev, x));
    }
  };
  for (const s of strokes) {
    if (s.length === 1) visit(s[0][0], s[0][1]);
    for (let i = 1; i < s.length; i++) {
      const [ax, ay] = s[i - 1];
      const [bx, by] = s[i];
      const steps = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay)));
      for (let k = 0; k <= steps; k++) visit(ax + ((bx - ax) * k) / steps, ay + ((by - ay) * k) / steps);
    }
  }
  return rows;
}

/** Small deterministic PRNG (mulberry32) so generated fixtures are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Ranges for random layouts: uneven spacing (some nearly touching), slant and heights. */
export interface LayoutRanges {
  minGap: number;
  maxGap: number;
  maxSlope: number;
  sizeJitter: number;
  shiftJitter: number;
}

/** Defaults: gaps from nearly touching (3% of the height) to half a digit, ±12% baseline slope. */
export const DEFAULT_LAYOUT_RANGES: LayoutRanges = {
  minGap: 0.03,
  maxGap: 0.5,
  maxSlope: 0.12,
  sizeJitter: 0.2,
  shiftJitter: 0.08,
};

/** Draws a random layout for `count` digits. */
export function randomLayout(random: () => number, count: number, ranges: LayoutRanges = DEFAULT_LAYOUT_RANGES): NumberLayout {
  const between = (lo: number, hi: number): number => lo + (hi - lo) * random();
  return {
    gaps: Array.from({ length: Math.max(0, count - 1) }, () => between(ranges.minGap, ranges.maxGap)),
    slope: between(-ranges.maxSlope, ranges.maxSlope),
    sizes: Array.from({ length: count }, () => 1 + between(-ranges.sizeJitter, ranges.sizeJitter)),
    shifts: Array.from({ length: count }, () => between(-ranges.shiftJitter, ranges.shiftJitter)),
  };
}

/** Digits grouped by writer, then by label, for building numbers from one person's hand. */
export function indexByWriter(digits: PenDigit[]): Map<string, PenDigit[][]> {
  const byWriter = new Map<string, PenDigit[][]>();
  for (const d of digits) {
    let perLabel = byWriter.get(d.writer);
    if (!perLabel) {
      perLabel = Array.from({ length: 10 }, () => []);
      byWriter.set(d.writer, perLabel);
    }
    perLabel[d.label].push(d);
  }
  return byWriter;
}
