import type { RgbaImage } from '../../src/pipeline/types';
import { placeNumber, randomLayout, seededRandom, strokeBounds, type PenDigit } from './pendigits';
import { rasterizeStrokes } from './rasterize-strokes';

/** An RGB colour, 0–255 each. */
export type Rgb = readonly [number, number, number];

/** How a generated photo of handwriting looks. */
export interface PhotoSpec {
  width: number;
  height: number;
  /** One number per line, top to bottom: each a list of one writer's digits. */
  lines: PenDigit[][];
  seed: number;
  paper?: Rgb;
  ink?: Rgb;
  /** Pen width as a fraction of the digit height. */
  pen?: number;
  /** Ruled lines under the digits (touching their feet) and between lines of writing. */
  ruled?: boolean;
  /** Vertical lines this many px apart, as on squared paper (0: none). */
  grid?: number;
  /** How much darker the far corner is than the lit one (0: even light), with a soft shadow. */
  shade?: number;
  /** Standard deviation of the sensor noise, 0–255. */
  noise?: number;
}

/** A generated photo and the text the app should read from it. */
export interface RenderedPhoto {
  photo: RgbaImage;
  text: string;
}

/**
 * Renders real pen strokes as a photo of writing on paper: ink of a colour on a paper colour,
 * anti-aliased; ruled lines; light that falls off across the page and a soft shadow; Gaussian
 * sensor noise. Deterministic for a given spec.
 */
export function renderPhoto(spec: PhotoSpec): RenderedPhoto {
  const { width, height, lines, seed, paper = [236, 232, 218], ink = [28, 38, 110], pen = 0.08, ruled = true, grid = 0, shade = 0.4, noise = 6 } = spec;
  const random = seededRandom(seed);
  const coverage = new Float32Array(width * height);
  const rule = new Float32Array(width * height);
  const band = height / Math.max(1, lines.length);
  lines.forEach((digits, i) => {
    const digitHeight = band * 0.5;
    const layout = randomLayout(random, digits.length);
    // A long number is shrunk to fit the width (placeNumber does so): its pen shrinks with it, as
    // a person writing smaller would. The shrink is measured on the number laid out unbounded.
    const unbounded = strokeBounds(placeNumber(digits, layout, 1e6, band, pen * digitHeight, 0.5).strokes);
    const shrink = Math.min(1, (0.94 * width * 0.9) / (unbounded.maxX - unbounded.minX + pen * digitHeight));
    const penWidth = Math.max(2, Math.round(pen * digitHeight * shrink));
    const placed = placeNumber(digits, layout, width * 0.9, band, penWidth, 0.5);
    const strokes = placed.strokes.map((s) => s.map(([x, y]) => [x + width * 0.05, y + i * band]));
    const image = rasterizeStrokes(strokes, width, height, penWidth);
    for (let p = 0; p < coverage.length; p++) coverage[p] = Math.max(coverage[p], image.data[p] / 255);
    if (ruled) {
      // The ruled line runs along the number's foot, touching it, and another between lines.
      const foot = strokeBounds(strokes).maxY + penWidth / 2;
      drawRule(rule, width, height, foot, random);
      drawRule(rule, width, height, foot - band * 0.8, random);
    }
  });
  if (grid > 0) for (let x = grid / 2; x < width; x += grid) drawColumn(rule, width, height, x, random);
  const ruleColour: Rgb = [105, 135, 200];
  const shadow = { x: width * (0.2 + 0.6 * random()), y: height * (0.2 + 0.6 * random()), r: Math.max(width, height) * 0.35 };
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const light = 1 - shade * (0.6 * (x / width) + 0.4 * (y / height) ** 2) - 0.5 * shade * Math.exp(-((x - shadow.x) ** 2 + (y - shadow.y) ** 2) / (2 * shadow.r ** 2));
      const c = coverage[p];
      const r = rule[p] * (1 - c);
      for (let k = 0; k < 3; k++) {
        const colour = paper[k] * (1 - c - r) + ink[k] * c + ruleColour[k] * r;
        data[p * 4 + k] = colour * light + noise * gaussian(random);
      }
      data[p * 4 + 3] = 255;
    }
  }
  return { photo: { width, height, data }, text: lines.map((digits) => digits.map((d) => d.label).join('')).join('\n') };
}

/** A ruled line about 1.5 px thick at height `y`, tilted by up to ±0.3°. */
function drawRule(rule: Float32Array, width: number, height: number, y: number, random: () => number): void {
  const tilt = (random() - 0.5) * 0.01;
  for (let x = 0; x < width; x++) {
    const centre = y + tilt * (x - width / 2);
    for (let row = Math.floor(centre - 2); row <= Math.ceil(centre + 2); row++) {
      if (row < 0 || row >= height) continue;
      const c = Math.max(0, Math.min(1, 1.25 - Math.abs(row - centre)));
      rule[row * width + x] = Math.max(rule[row * width + x], c);
    }
  }
}

/** A vertical grid line about 1.5 px thick at `x`, tilted by up to ±0.3°. */
function drawColumn(rule: Float32Array, width: number, height: number, x: number, random: () => number): void {
  const tilt = (random() - 0.5) * 0.01;
  for (let y = 0; y < height; y++) {
    const centre = x + tilt * (y - height / 2);
    for (let column = Math.floor(centre - 2); column <= Math.ceil(centre + 2); column++) {
      if (column < 0 || column >= width) continue;
      const c = Math.max(0, Math.min(1, 1.25 - Math.abs(column - centre)));
      rule[y * width + column] = Math.max(rule[y * width + column], c);
    }
  }
}

/** A standard normal sample (Box–Muller). */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
