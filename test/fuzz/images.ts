import fc from 'fast-check';
import { seededRandom } from '../../scripts/lib/pendigits';
import { rasterizeStrokes, type Stroke } from '../../src/pipeline/rasterize-strokes';
import type { InkImage } from '../../src/pipeline/types';

/**
 * What an image is made of. Images are built from a small recipe rather than drawn byte by byte
 * by fast-check: a 400×400 image is 160,000 bytes, which fast-check would generate and shrink
 * slowly; a recipe shrinks to the smallest size, fewest strokes and simplest fill that still fail.
 */
export type Fill =
  | { kind: 'blank' }
  | { kind: 'level'; level: number }
  | { kind: 'noise'; density: number; seed: number }
  | { kind: 'strokes'; strokes: Stroke[]; pen: number }
  | { kind: 'strokes and noise'; strokes: Stroke[]; pen: number; density: number; seed: number };

/** A well-formed image's size and content, or a malformed one the pipeline must treat as empty. */
export type ImageRecipe =
  | { width: number; height: number; fill: Fill }
  | { malformed: 'short data' | 'NaN size' | 'negative size' | 'fractional size' | 'Infinity size' | 'no data'; width: number; height: number };

const unit = fc.double({ min: 0, max: 1, noNaN: true });

/** A stroke of 1–12 points in unit coordinates, a little beyond the image's edges too. */
const unitStroke = fc.array(fc.tuple(fc.double({ min: -0.2, max: 1.2, noNaN: true }), fc.double({ min: -0.2, max: 1.2, noNaN: true })), {
  minLength: 1,
  maxLength: 12,
  size: 'medium',
});

const fill: fc.Arbitrary<Fill> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'blank' as const }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }).map((level) => ({ kind: 'level' as const, level })) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('noise' as const), density: unit, seed: fc.integer() }) },
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('strokes' as const), strokes: fc.array(unitStroke, { maxLength: 60, size: 'medium' }), pen: fc.double({ min: 0.5, max: 40, noNaN: true }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('strokes and noise' as const),
      strokes: fc.array(unitStroke, { maxLength: 20 }),
      pen: fc.double({ min: 0.5, max: 20, noNaN: true }),
      density: fc.double({ min: 0, max: 0.05, noNaN: true }),
      seed: fc.integer(),
    }),
  },
);

/** Sizes from empty to very large, weighted towards pad-like ones; huge ones are rare (they are slow). */
const size = fc.oneof(
  { weight: 2, arbitrary: fc.record({ width: fc.integer({ min: 0, max: 4 }), height: fc.integer({ min: 0, max: 4 }) }) },
  { weight: 12, arbitrary: fc.record({ width: fc.integer({ min: 1, max: 500 }), height: fc.integer({ min: 1, max: 500 }) }) },
  { weight: 1, arbitrary: fc.record({ width: fc.integer({ min: 1, max: 4000 }), height: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ width: fc.integer({ min: 1, max: 3 }), height: fc.integer({ min: 1, max: 4000 }) }) },
  { weight: 1, arbitrary: fc.record({ width: fc.integer({ min: 1000, max: 3000 }), height: fc.integer({ min: 1000, max: 2500 }) }) },
);

const malformed = fc.record({
  malformed: fc.constantFrom(...(['short data', 'NaN size', 'negative size', 'fractional size', 'Infinity size', 'no data'] as const)),
  width: fc.integer({ min: 1, max: 50 }),
  height: fc.integer({ min: 1, max: 50 }),
});

/** Any image the worker could be sent: empty, 1×1, huge, all ink, noise, strokes, malformed. */
export const imageRecipe: fc.Arbitrary<ImageRecipe> = fc.oneof(
  { weight: 20, arbitrary: fc.tuple(size, fill).map(([{ width, height }, content]) => ({ width, height, fill: content })) },
  { weight: 1, arbitrary: malformed },
);

/** True when the recipe is of an image the pipeline should read (not a malformed one). */
export function isWellFormed(recipe: ImageRecipe): recipe is Extract<ImageRecipe, { fill: Fill }> {
  return !('malformed' in recipe);
}

/** Builds the image a recipe describes. */
export function buildImage(recipe: ImageRecipe): InkImage {
  if (!isWellFormed(recipe)) return buildMalformed(recipe);
  const { width, height, fill: content } = recipe;
  switch (content.kind) {
    case 'blank':
      return { width, height, data: new Uint8ClampedArray(width * height) };
    case 'level':
      return { width, height, data: new Uint8ClampedArray(width * height).fill(content.level) };
    case 'noise':
      return { width, height, data: noise(width * height, content.density, content.seed) };
    case 'strokes':
      return rasterizeStrokes(toPixels(content.strokes, width, height), width, height, content.pen);
    case 'strokes and noise': {
      const image = rasterizeStrokes(toPixels(content.strokes, width, height), width, height, content.pen);
      const specks = noise(width * height, content.density, content.seed);
      for (let i = 0; i < specks.length; i++) image.data[i] = Math.max(image.data[i], specks[i]);
      return image;
    }
  }
}

function buildMalformed({ malformed: kind, width, height }: Extract<ImageRecipe, { malformed: string }>): InkImage {
  const data = new Uint8ClampedArray(width * height).fill(255);
  switch (kind) {
    case 'short data':
      return { width, height, data: data.subarray(0, width * height - 1) };
    case 'NaN size':
      return { width: NaN, height, data };
    case 'negative size':
      return { width: -width, height, data };
    case 'fractional size':
      return { width: width - 0.5, height, data };
    case 'Infinity size':
      return { width: Infinity, height, data };
    case 'no data':
      return { width, height, data: undefined as unknown as Uint8Array };
  }
}

/** Ink of random strength on a fraction `density` of the pixels. */
function noise(length: number, density: number, seed: number): Uint8ClampedArray {
  const random = seededRandom(seed);
  const data = new Uint8ClampedArray(length);
  for (let i = 0; i < length; i++) if (random() < density) data[i] = 1 + Math.floor(random() * 255);
  return data;
}

function toPixels(strokes: Stroke[], width: number, height: number): Stroke[] {
  return strokes.map((stroke) => stroke.map(([u, v]) => [u * width, v * height]));
}
