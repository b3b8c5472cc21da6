import fc from 'fast-check';
import { seededRandom } from '../../scripts/lib/pendigits';
import { rasterizeStrokes, type Stroke } from '../../src/pipeline/rasterize-strokes';
import type { RgbaImage } from '../../src/pipeline/types';

// Pictures for the photo path, built from recipes (as images.ts does for ink): a recipe of a
// few numbers shrinks to the smallest, plainest picture that still fails; 160,000 random bytes
// would not.

/** An RGB colour, 0–255 each. */
export type Colour = readonly [number, number, number];

/** What lies under the marks: one colour, light falling off across the page, or random pixels. */
export type Ground =
  | { kind: 'flat'; colour: Colour }
  | { kind: 'gradient'; from: Colour; to: Colour; horizontal: boolean }
  | { kind: 'noise'; seed: number };

/** A mark on the ground; positions in unit coordinates (a little beyond the edges too), pens in px. */
export type Mark =
  | { kind: 'rectangle'; x: number; y: number; width: number; height: number; colour: Colour }
  | { kind: 'line'; from: readonly [number, number]; to: readonly [number, number]; pen: number; colour: Colour }
  | { kind: 'strokes'; strokes: Stroke[]; pen: number; colour: Colour };

/** A picture, or a malformed one the photo path must treat as empty. */
export type PhotoRecipe =
  | { width: number; height: number; ground: Ground; marks: Mark[]; grain: number; seed: number; alpha: 'opaque' | 'random' }
  | { malformed: Malformed; width: number; height: number };

/** Every way a picture handed to the photo path can be malformed. */
export const MALFORMED = ['short data', 'no data', 'NaN width', 'NaN height', 'zero width', 'zero height', 'negative size', 'fractional size', 'Infinity size', 'no picture'] as const;
type Malformed = (typeof MALFORMED)[number];

const byte = fc.integer({ min: 0, max: 255 });
const colour: fc.Arbitrary<Colour> = fc.tuple(byte, byte, byte);
const unit = fc.double({ min: -0.2, max: 1.2, noNaN: true });
const point = fc.tuple(unit, unit);

const ground: fc.Arbitrary<Ground> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('flat' as const), colour }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('gradient' as const), from: colour, to: colour, horizontal: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('noise' as const), seed: fc.integer() }) },
);

const mark: fc.Arbitrary<Mark> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('rectangle' as const),
      x: unit,
      y: unit,
      width: fc.double({ min: 0, max: 1, noNaN: true }),
      height: fc.double({ min: 0, max: 1, noNaN: true }),
      colour,
    }),
  },
  // Long thin lines are what ruled and grid paper is made of: the line remover's input.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('line' as const), from: point, to: point, pen: fc.double({ min: 0.5, max: 12, noNaN: true }), colour }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('strokes' as const),
      strokes: fc.array(fc.array(point, { minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 6 }),
      pen: fc.double({ min: 0.5, max: 30, noNaN: true }),
      colour,
    }),
  },
);

/** Sizes from 1×1 to beyond MAX_PHOTO_SIDE, weighted towards small ones (the large are slow). */
const size = fc.oneof(
  { weight: 3, arbitrary: fc.record({ width: fc.integer({ min: 1, max: 4 }), height: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ width: fc.integer({ min: 1, max: 3 }), height: fc.integer({ min: 1, max: 2500 }) }) },
  { weight: 1, arbitrary: fc.record({ width: fc.integer({ min: 1, max: 2500 }), height: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 12, arbitrary: fc.record({ width: fc.integer({ min: 5, max: 300 }), height: fc.integer({ min: 5, max: 300 }) }) },
  { weight: 1, arbitrary: fc.record({ width: fc.integer({ min: 1601, max: 2400 }), height: fc.integer({ min: 100, max: 1800 }) }) },
);

/** A malformed picture of any kind. */
export const malformedPhoto: fc.Arbitrary<Extract<PhotoRecipe, { malformed: Malformed }>> = fc.record({
  malformed: fc.constantFrom(...MALFORMED),
  width: fc.integer({ min: 1, max: 40 }),
  height: fc.integer({ min: 1, max: 40 }),
});

/** Any picture the worker could be sent: tiny, thin, huge, flat, noise, lines, shapes, strokes, malformed. */
export const photoRecipe: fc.Arbitrary<PhotoRecipe> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .record({
        size,
        ground,
        marks: fc.array(mark, { maxLength: 8 }),
        grain: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 60, noNaN: true })),
        seed: fc.integer(),
        alpha: fc.constantFrom('opaque' as const, 'random' as const),
      })
      .map(({ size: { width, height }, ...rest }) => ({ width, height, ...rest })),
  },
  { weight: 1, arbitrary: malformedPhoto },
);

/** True when the recipe is of a picture the photo path should read (not a malformed one). */
export function isWellFormedRecipe(recipe: PhotoRecipe): recipe is Extract<PhotoRecipe, { ground: Ground }> {
  return !('malformed' in recipe);
}

/** Builds the picture a recipe describes. */
export function buildPhoto(recipe: PhotoRecipe): RgbaImage {
  if (!isWellFormedRecipe(recipe)) return buildMalformed(recipe);
  const { width, height, ground: under, marks, grain, seed, alpha } = recipe;
  const data = new Uint8ClampedArray(width * height * 4);
  const random = seededRandom(seed);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 4;
      if (under.kind === 'noise') for (let k = 0; k < 3; k++) data[at + k] = random() * 256;
      else if (under.kind === 'flat') data.set(under.colour, at);
      else {
        const t = under.horizontal ? x / Math.max(1, width - 1) : y / Math.max(1, height - 1);
        for (let k = 0; k < 3; k++) data[at + k] = under.from[k] + (under.to[k] - under.from[k]) * t;
      }
      data[at + 3] = 255;
    }
  }
  for (const m of marks) paint(data, width, height, m);
  if (grain > 0) for (let i = 0; i < data.length; i += 4) for (let k = 0; k < 3; k++) data[i + k] += (random() - 0.5) * 2 * grain;
  // The pipeline reads colour only; a picture with transparency must not trip it up.
  if (alpha === 'random') for (let i = 3; i < data.length; i += 4) data[i] = random() * 256;
  return { width, height, data };
}

/** Paints a mark over the picture: a rectangle's pixels outright, a pen's anti-aliased coverage blended in. */
function paint(data: Uint8ClampedArray, width: number, height: number, m: Mark): void {
  if (m.kind === 'rectangle') {
    const x0 = Math.max(0, Math.round(m.x * width));
    const y0 = Math.max(0, Math.round(m.y * height));
    const x1 = Math.min(width, Math.round((m.x + m.width) * width));
    const y1 = Math.min(height, Math.round((m.y + m.height) * height));
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data.set(m.colour, (y * width + x) * 4);
    return;
  }
  const strokes = m.kind === 'line' ? [[m.from, m.to]] : m.strokes;
  const coverage = rasterizeStrokes(
    strokes.map((s) => s.map(([u, v]) => [u * width, v * height])),
    width,
    height,
    m.pen,
  ).data;
  for (let i = 0; i < coverage.length; i++) {
    const c = coverage[i] / 255;
    if (c > 0) for (let k = 0; k < 3; k++) data[i * 4 + k] = data[i * 4 + k] * (1 - c) + m.colour[k] * c;
  }
}

function buildMalformed({ malformed: kind, width, height }: Extract<PhotoRecipe, { malformed: Malformed }>): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4).fill(128);
  switch (kind) {
    case 'short data':
      return { width, height, data: data.subarray(0, width * height * 4 - 1) };
    case 'no data':
      return { width, height, data: undefined as unknown as Uint8ClampedArray };
    case 'NaN width':
      return { width: NaN, height, data };
    case 'NaN height':
      return { width, height: NaN, data };
    case 'zero width':
      return { width: 0, height, data: new Uint8ClampedArray(0) };
    case 'zero height':
      return { width, height: 0, data };
    case 'negative size':
      return { width: -width, height: -height, data };
    case 'fractional size':
      return { width: width + 0.5, height, data: new Uint8ClampedArray(Math.ceil(width + 0.5) * height * 4) };
    case 'Infinity size':
      return { width: Infinity, height, data };
    case 'no picture':
      return undefined as unknown as RgbaImage;
  }
}

const share = fc.double({ min: 0, max: 1, noNaN: true });

/** A dark mark on a plain ground, or where a light one lies: a filled rectangle in picture pixels. */
export interface PlacedMark {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Clear marks on a plain ground: see blotsOnPaper. */
export interface BlotsRecipe {
  width: number;
  height: number;
  paper: Colour;
  /** Position and size as shares of the room there is; darkness as a share of the paper's brightness. */
  blots: { x: number; y: number; w: number; h: number; darkness: number }[];
  grain: number;
  seed: number;
}

/**
 * Clear marks on a plain ground, as a scan of a few blots would be: 1–4 filled rectangles, each 4
 * px or more and at most 6% of the longer side, at least 12% of the picture from its edges, at
 * most half the paper's brightness, on paper of 140–255 with a little grain, no two in the same
 * columns or rows. Small and sparse enough that the paper's estimate (a median over a fifth of the
 * picture) is the paper everywhere.
 */
export const blotsOnPaper: fc.Arbitrary<BlotsRecipe> = fc.record({
  width: fc.integer({ min: 80, max: 400 }),
  height: fc.integer({ min: 80, max: 400 }),
  paper: fc.tuple(fc.integer({ min: 140, max: 255 }), fc.integer({ min: 140, max: 255 }), fc.integer({ min: 140, max: 255 })),
  blots: fc.array(fc.record({ x: share, y: share, w: share, h: share, darkness: fc.double({ min: 0, max: 0.5, noNaN: true }) }), { minLength: 1, maxLength: 4 }),
  grain: fc.double({ min: 0, max: 6, noNaN: true }),
  seed: fc.integer(),
});

/** Pixels between blots' columns (and rows) for them to be told apart from one line (its tolerance is ≥ 6 px). */
const ALIGNED = 8;

/** Builds the picture of blots a recipe describes, and where its blots are. */
export function buildBlots({ width, height, paper, blots, grain, seed }: BlotsRecipe): { photo: RgbaImage; marks: PlacedMark[] } {
  const largest = Math.floor(0.06 * Math.max(width, height));
  const marks: PlacedMark[] = [];
  const kept: BlotsRecipe['blots'] = [];
  for (const b of blots) {
    const [w, h] = [4 + Math.round(b.w * (largest - 4)), 4 + Math.round(b.h * (largest - 4))];
    // Kept off the edges: the median's window replicates the border, which would make a blot there look bigger.
    const m = { x: Math.round(0.12 * width + b.x * (0.76 * width - w)), y: Math.round(0.12 * height + b.y * (0.76 * height - h)), width: w, height: h };
    // Blots in one column (or row) spanning half the picture are a dashed ruled line to the line
    // remover, which clears them by design: a blot sharing another's columns or rows is left out.
    const apart = (a: number, aw: number, c: number, cw: number) => a + aw + ALIGNED < c || c + cw + ALIGNED < a;
    if (marks.every((o) => apart(m.x, m.width, o.x, o.width) && apart(m.y, m.height, o.y, o.height))) {
      marks.push(m);
      kept.push(b);
    }
  }
  const data = new Uint8ClampedArray(width * height * 4);
  const random = seededRandom(seed);
  for (let i = 0; i < width * height; i++) {
    const n = (random() - 0.5) * 2 * grain;
    data.set([paper[0] + n, paper[1] + n, paper[2] + n, 255], i * 4);
  }
  marks.forEach((m, k) => {
    const ink = paper.map((v) => v * kept[k].darkness);
    for (let y = m.y; y < m.y + m.height; y++) for (let x = m.x; x < m.x + m.width; x++) data.set(ink, (y * width + x) * 4);
  });
  return { photo: { width, height, data }, marks };
}

/** The picture's negative: light marks on a dark ground (chalk on a board). */
export function negative({ width, height, data }: RgbaImage): RgbaImage {
  const out = new Uint8ClampedArray(data.length);
  for (let i = 0; i < data.length; i++) out[i] = (i & 3) === 3 ? data[i] : 255 - data[i];
  return { width, height, data: out };
}
