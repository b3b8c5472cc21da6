import type { RgbaImage } from '../../src/pipeline/types';
import { placeNumber, randomLayout, seededRandom, strokeBounds, type PenDigit } from './pendigits';
import { rasterizeStrokes } from '../../src/pipeline/rasterize-strokes';

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
  /** The page turned in the picture by an angle drawn from ±rotate degrees. */
  rotate?: number;
  /** The camera tilted towards one edge of the page (perspective) by an angle drawn from ±tilt degrees. */
  tilt?: number;
  /** Out of focus: a Gaussian blur of this standard deviation (px). */
  blur?: number;
  /**
   * A bright reflection, as on a glossy whiteboard: at its centre (drawn in the middle of the
   * picture) the colour moves this share of the way to white, falling off as a Gaussian (0: none).
   */
  glare?: number;
  /** Saved as a JPEG of a quality drawn from this range (8×8 DCT, IJG tables; 0: not saved so). */
  jpeg?: readonly [number, number];
}

/** A generated photo and the text the app should read from it. */
export interface RenderedPhoto {
  photo: RgbaImage;
  text: string;
  /** The angle the page was turned by, degrees counter-clockwise as seen (0 unless `rotate`). */
  turn: number;
}

/**
 * Renders real pen strokes as a photo of writing on paper: ink of a colour on a paper colour,
 * anti-aliased; ruled lines; light that falls off across the page and a soft shadow; a glossy
 * board's glare; Gaussian sensor noise. Deterministic for a given spec.
 */
export function renderPhoto(spec: PhotoSpec): RenderedPhoto {
  const { width, height, lines, seed, paper = [236, 232, 218], ink = [28, 38, 110], pen = 0.08, ruled = true, grid = 0, shade = 0.4, noise = 6, rotate = 0, tilt = 0, blur = 0, glare = 0, jpeg } = spec;
  const random = seededRandom(seed);
  // Its own stream, so photos without these look exactly as they did before they existed.
  const camera = seededRandom(seed ^ 0x5bd1e995);
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
  let [marks, rules]: Float32Array[] = [coverage, rule];
  let turn = 0;
  if (rotate > 0 || tilt > 0) {
    turn = (camera() * 2 - 1) * rotate;
    // cameraToPage's angle turns the page clockwise as seen (y grows downwards).
    const toPage = cameraToPage(width, height, -turn, (camera() * 2 - 1) * tilt, camera() < 0.5);
    [marks, rules] = [warp(coverage, width, height, toPage), warp(rule, width, height, toPage)];
  }
  if (blur > 0) [marks, rules] = [gaussianBlur(marks, width, height, blur), gaussianBlur(rules, width, height, blur)];
  const ruleColour: Rgb = [105, 135, 200];
  const shadow = { x: width * (0.2 + 0.6 * random()), y: height * (0.2 + 0.6 * random()), r: Math.max(width, height) * 0.35 };
  // Its own stream too, so that a photo without glare is drawn as before.
  const reflection = seededRandom(seed ^ 0x2c1b3c6d);
  const highlight = { x: width * (0.2 + 0.6 * reflection()), y: height * (0.2 + 0.6 * reflection()), r: Math.max(width, height) * (0.15 + 0.1 * reflection()) };
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const light = 1 - shade * (0.6 * (x / width) + 0.4 * (y / height) ** 2) - 0.5 * shade * Math.exp(-((x - shadow.x) ** 2 + (y - shadow.y) ** 2) / (2 * shadow.r ** 2));
      const c = marks[p];
      const r = rules[p] * (1 - c);
      const g = glare > 0 ? glare * Math.exp(-((x - highlight.x) ** 2 + (y - highlight.y) ** 2) / (2 * highlight.r ** 2)) : 0;
      for (let k = 0; k < 3; k++) {
        const colour = (paper[k] * (1 - c - r) + ink[k] * c + ruleColour[k] * r) * light;
        data[p * 4 + k] = colour + (255 - colour) * g + noise * gaussian(random);
      }
      data[p * 4 + 3] = 255;
    }
  }
  if (jpeg) compressLikeJpeg(data, width, height, Math.round(jpeg[0] + camera() * (jpeg[1] - jpeg[0])));
  return { photo: { width, height, data }, text: lines.map((digits) => digits.map((d) => d.label).join('')).join('\n'), turn };
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

/**
 * Where each pixel of the picture sees the page: the page turned by `degrees` about the picture's
 * centre, and seen by a camera (focal length the longer side, about a phone's 53° field) tilted by
 * `tiltDegrees` about the horizontal axis (or the vertical one), so one edge of the page is nearer
 * and larger than the other.
 */
function cameraToPage(width: number, height: number, degrees: number, tiltDegrees: number, aboutVertical: boolean): (x: number, y: number) => [number, number] {
  const [cx, cy] = [width / 2, height / 2];
  const f = Math.max(width, height);
  const [cosR, sinR] = [Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180)];
  const [cosT, sinT] = [Math.cos((tiltDegrees * Math.PI) / 180), Math.sin((tiltDegrees * Math.PI) / 180)];
  return (x, y) => {
    let [u, v] = [x - cx, y - cy];
    if (aboutVertical) [u, v] = [v, u];
    // The page point (X, Y) is seen at u = fX / (f + Y sinT), v = fY cosT / (f + Y sinT); inverted.
    const Y = (v * f) / (f * cosT - v * sinT);
    const X = (u * (f + Y * sinT)) / f;
    const [px, py] = aboutVertical ? [Y, X] : [X, Y];
    return [cx + cosR * px + sinR * py, cy - sinR * px + cosR * py];
  };
}

/** `image` seen through `toPage` (bilinear; nothing outside the page). */
function warp(image: Float32Array, width: number, height: number, toPage: (x: number, y: number) => [number, number]): Float32Array {
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sx, sy] = toPage(x, y);
      const [x0, y0] = [Math.floor(sx), Math.floor(sy)];
      if (!(x0 >= 0 && y0 >= 0 && x0 + 1 < width && y0 + 1 < height)) continue;
      const [fx, fy] = [sx - x0, sy - y0];
      const p = y0 * width + x0;
      out[y * width + x] = (image[p] * (1 - fx) + image[p + 1] * fx) * (1 - fy) + (image[p + width] * (1 - fx) + image[p + width + 1] * fx) * fy;
    }
  }
  return out;
}

/** A separable Gaussian blur (σ px, ±3σ, edges clamped). */
function gaussianBlur(image: Float32Array, width: number, height: number, sigma: number): Float32Array {
  const reach = Math.ceil(3 * sigma);
  const weights = Array.from({ length: 2 * reach + 1 }, (_, k) => Math.exp(-((k - reach) ** 2) / (2 * sigma * sigma)));
  const total = weights.reduce((a, b) => a + b, 0);
  const pass = (from: Float32Array, horizontal: boolean): Float32Array => {
    const to = new Float32Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let sum = 0;
        for (let k = -reach; k <= reach; k++) {
          const [sx, sy] = horizontal ? [Math.min(width - 1, Math.max(0, x + k)), y] : [x, Math.min(height - 1, Math.max(0, y + k))];
          sum += weights[k + reach] * from[sy * width + sx];
        }
        to[y * width + x] = sum / total;
      }
    }
    return to;
  };
  return pass(pass(image, true), false);
}

/** The IJG luminance quantisation table (JPEG standard, Annex K), row by row. */
const JPEG_LUMA = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

/**
 * JPEG's loss, in place: each channel's 8×8 blocks through a DCT quantised by the luminance table
 * scaled for `quality` (as libjpeg scales it). Colour is not subsampled: digits are read in grey.
 */
function compressLikeJpeg(data: Uint8ClampedArray, width: number, height: number, quality: number): void {
  const scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
  const table = JPEG_LUMA.map((q) => Math.min(255, Math.max(1, Math.floor((q * scale + 50) / 100))));
  const cosines = Array.from({ length: 64 }, (_, k) => Math.cos(((2 * (k >> 3) + 1) * (k & 7) * Math.PI) / 16)); // [x][u]
  const c = (u: number): number => (u === 0 ? Math.SQRT1_2 : 1);
  const block = new Float64Array(64);
  const coefficients = new Float64Array(64);
  for (let by = 0; by + 8 <= height; by += 8) {
    for (let bx = 0; bx + 8 <= width; bx += 8) {
      for (let channel = 0; channel < 3; channel++) {
        for (let k = 0; k < 64; k++) block[k] = data[((by + (k >> 3)) * width + bx + (k & 7)) * 4 + channel] - 128;
        for (let v = 0; v < 8; v++) {
          for (let u = 0; u < 8; u++) {
            let sum = 0;
            for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) sum += block[y * 8 + x] * cosines[x * 8 + u] * cosines[y * 8 + v];
            const q = table[v * 8 + u];
            coefficients[v * 8 + u] = Math.round((0.25 * c(u) * c(v) * sum) / q) * q;
          }
        }
        for (let y = 0; y < 8; y++) {
          for (let x = 0; x < 8; x++) {
            let sum = 0;
            for (let v = 0; v < 8; v++) for (let u = 0; u < 8; u++) sum += c(u) * c(v) * coefficients[v * 8 + u] * cosines[x * 8 + u] * cosines[y * 8 + v];
            data[((by + y) * width + bx + x) * 4 + channel] = 0.25 * sum + 128;
          }
        }
      }
    }
  }
}
