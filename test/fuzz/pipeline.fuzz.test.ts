import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { binarize } from '../../src/pipeline/binarize';
import { scaleBox } from '../../src/pipeline/boxes';
import { cropDigit } from '../../src/pipeline/crop-digit';
import { dropNoise } from '../../src/pipeline/drop-noise';
import { estimateDigitHeight } from '../../src/pipeline/estimate-digit-height';
import { findInkBlobs } from '../../src/pipeline/find-ink-blobs';
import { limitResolution } from '../../src/pipeline/limit-resolution';
import { measureStrokeWidth } from '../../src/pipeline/measure-stroke-width';
import { normalizeToMnist } from '../../src/pipeline/normalize';
import { normalizeStrokeWidth } from '../../src/pipeline/normalize-stroke-width';
import type { CV } from '../../src/pipeline/opencv-types';
import { MAX_DIGITS, MAX_SEGMENT_SIDE, MNIST_SIZE } from '../../src/pipeline/options';
import { orderDigits } from '../../src/pipeline/order-digits';
import { bestPath, buildLattice, MAX_ATOMS_PER_DIGIT } from '../../src/pipeline/lattice';
import { segmentDigits } from '../../src/pipeline/segment';
import { MAX_LEAN, uprightInk } from '../../src/pipeline/upright-ink';
import type { Box, DigitGroup, FloatImage, InkBlob } from '../../src/pipeline/types';
import { buildImage, imageRecipe, isWellFormed } from './images';
import { fuzzParameters, fuzzTimeout } from './settings';
import { check, countingOpenCv } from './checks';

// Property tests: every pure pipeline step, fed random (and hostile) input, never throws and
// returns valid output. OpenCV steps run on a Mat-counting OpenCV, so each case also proves that
// it deleted every Mat it made.

const opencv = countingOpenCv();
const { noLeak } = opencv;
let cv: CV;
beforeAll(() => {
  cv = opencv.cv;
});

function checkUnitValues(data: ArrayLike<number>, what: string): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    check(v >= 0 && v <= 1, `${what}[${i}] = ${v} is not in [0, 1]`);
  }
}

function checkBoxInside(box: Box, limit: { width: number; height: number }, what: string): void {
  const { x, y, width, height } = box;
  check(
    [x, y, width, height].every(Number.isInteger) && x >= 0 && y >= 0 && width >= 0 && height >= 0 && x + width <= limit.width && y + height <= limit.height,
    `${what} ${JSON.stringify(box)} is not inside ${limit.width}×${limit.height}`,
  );
}

/** A well-formed image with at least one pixel, for the steps that expect one. */
const image = imageRecipe.filter((r) => isWellFormed(r) && r.width * r.height > 0 && r.width * r.height <= 1_000_000).map(buildImage);

/** A float crop with values in [0, 1], as cropDigit makes them. */
const floatImage: fc.Arbitrary<FloatImage> = fc
  .record({ width: fc.integer({ min: 0, max: 120 }), height: fc.integer({ min: 0, max: 120 }), density: fc.double({ min: 0, max: 1, noNaN: true }), seed: fc.integer() })
  .map(({ width, height, density, seed }) => {
    let state = seed >>> 0;
    const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const data = new Float32Array(width * height);
    for (let i = 0; i < data.length; i++) if (next() < density) data[i] = next() < 0.5 ? 1 : next();
    return { width, height, data };
  });

const box = fc.record({
  x: fc.integer({ min: -50, max: 600 }),
  y: fc.integer({ min: -50, max: 600 }),
  width: fc.integer({ min: 0, max: 700 }),
  height: fc.integer({ min: 0, max: 700 }),
});

describe('segmentDigits on random images', () => {
  it('never throws; 28×28 crops in [0, 1], boxes inside the image, in reading order, no Mat left', { timeout: fuzzTimeout(20) }, () => {
    fc.assert(
      fc.property(imageRecipe, (recipe) => {
        const input = buildImage(recipe);
        const result = noLeak(() => segmentDigits(cv, input));
        check(typeof result.truncated === 'boolean', 'truncated is not a boolean');
        check(result.digits.length <= MAX_DIGITS, `${result.digits.length} digits > ${MAX_DIGITS}`);
        check(!result.truncated || result.digits.length === MAX_DIGITS, 'truncated with room to spare');
        if (!isWellFormed(recipe) || recipe.width * recipe.height === 0) {
          check(result.digits.length === 0 && !result.truncated, 'digits found in an empty or malformed image');
          return;
        }
        // Boxes are ordered by centre in the downscaled image; mapping back may round by a pixel of it.
        const slack = Math.max(1, Math.max(recipe.width, recipe.height) / MAX_SEGMENT_SIDE);
        let previousCentre = -Infinity;
        for (const [i, digit] of result.digits.entries()) {
          check(digit.pixels instanceof Float32Array && digit.pixels.length === MNIST_SIZE * MNIST_SIZE, `digit ${i}: crop is not 28×28`);
          checkUnitValues(digit.pixels, `digit ${i} crop`);
          checkBoxInside(digit.box, input, `digit ${i} box`);
          const centre = digit.box.x + digit.box.width / 2;
          check(centre >= previousCentre - slack, `digit ${i} is out of reading order (${centre} after ${previousCentre})`);
          previousCentre = centre;
        }
      }),
      fuzzParameters(),
    );
  });
});

describe('buildLattice on random images', () => {
  it('never throws; bounded, in-range candidates with 28×28 crops, boxes inside the image, no Mat left', { timeout: fuzzTimeout(20) }, () => {
    fc.assert(
      fc.property(imageRecipe, (recipe) => {
        const input = buildImage(recipe);
        const lattice = noLeak(() => buildLattice(cv, input));
        if (!isWellFormed(recipe) || recipe.width * recipe.height === 0) {
          check(lattice.candidates.length === 0 && lattice.atomCount === 0, 'candidates in an empty or malformed image');
          return;
        }
        // Runs of atoms, each offered at most twice (whole, and without a join's connector).
        const whole = lattice.candidates.filter((c) => !c.trimmed).length;
        check(whole <= lattice.atomCount * MAX_ATOMS_PER_DIGIT, `${whole} candidates for ${lattice.atomCount} atoms`);
        check(lattice.candidates.length - whole <= whole, `${lattice.candidates.length - whole} trimmed candidates for ${whole} whole ones`);
        check(lattice.skippable.length === lattice.atomCount, 'skippable does not match the atoms');
        for (const [i, c] of lattice.candidates.entries()) {
          check(c.from >= 0 && c.from < c.to && c.to <= lattice.atomCount, `candidate ${i} spans atoms ${c.from}–${c.to}`);
          check(c.pixels instanceof Float32Array && c.pixels.length === MNIST_SIZE * MNIST_SIZE, `candidate ${i}: crop is not 28×28`);
          checkUnitValues(c.pixels, `candidate ${i} crop`);
          checkBoxInside(c.box, input, `candidate ${i} box`);
        }
        // Any scores give a path that covers the atoms in order.
        const path = bestPath(lattice, lattice.candidates.map((_, i) => ((i * 7919) % 97) / 97));
        let at = 0;
        for (const { candidate } of path) {
          check(lattice.candidates[candidate].from >= at, 'path goes backwards');
          at = lattice.candidates[candidate].to;
        }
      }),
      fuzzParameters(),
    );
  });
});

describe('buildLattice with random stroke traces', () => {
  it('never throws, leaks nothing, and reads any trace (malformed ones as if absent)', { timeout: fuzzTimeout(20) }, () => {
    const value = fc.oneof(fc.float({ min: -50, max: 700, noNaN: true }), fc.constantFrom(NaN, Infinity, -1e9));
    const trace = fc.record({
      points: fc.array(value, { maxLength: 400 }).map((v) => Float32Array.from(v)),
      starts: fc.array(fc.integer({ min: 0, max: 250 }), { maxLength: 12 }).map((v) => Uint32Array.from(v)),
      penWidth: fc.oneof(fc.float({ min: Math.fround(0.5), max: 40, noNaN: true }), fc.constantFrom(0, -3, NaN)),
    });
    fc.assert(
      fc.property(image, trace, (input, strokes) => {
        const lattice = noLeak(() => buildLattice(cv, { ...input, strokes }));
        check(lattice.candidates.length <= lattice.atomCount * MAX_ATOMS_PER_DIGIT, 'unbounded lattice');
        for (const c of lattice.candidates) checkBoxInside(c.box, input, 'candidate box');
      }),
      fuzzParameters(),
    );
  });
});

describe('uprightInk with random stroke traces', () => {
  it('never throws, keeps its canvas bounded, and takes boxes back inside the ink', { timeout: fuzzTimeout(10) }, () => {
    const value = fc.oneof(fc.float({ min: -50, max: 700, noNaN: true }), fc.constantFrom(NaN, Infinity, -1e9, 1e9));
    const trace = fc.record({
      points: fc.array(value, { maxLength: 200 }).map((v) => Float32Array.from(v)),
      starts: fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 8 }).map((v) => Uint32Array.from(v).sort()),
      penWidth: fc.oneof(fc.float({ min: Math.fround(0.5), max: 40, noNaN: true }), fc.constantFrom(0, -3, NaN)),
    });
    const lean = fc.oneof(fc.double({ min: -MAX_LEAN, max: MAX_LEAN, noNaN: true }), fc.constantFrom(NaN, 5));
    const box = fc.record({ x: fc.integer({ min: -100, max: 2000 }), y: fc.integer({ min: -100, max: 2000 }), width: fc.integer({ min: 0, max: 2000 }), height: fc.integer({ min: 0, max: 2000 }) });
    fc.assert(
      fc.property(image, trace, lean, box, (input, strokes, slant, someBox) => {
        const upright = uprightInk({ ...input, strokes }, slant);
        if (!upright) return;
        const { width, height, data } = upright.image;
        check(height === input.height && width >= input.width && width <= 2 * (input.width + input.height) + 160, `canvas ${width}×${height}`);
        check(data.length === width * height, 'bad canvas data');
        checkBoxInside(upright.toOriginal(someBox), input, 'box taken back');
      }),
      fuzzParameters(),
    );
  });
});

describe('OpenCV steps on random images', () => {
  it('binarize gives 0 or 255 exactly where the ink is above the threshold', { timeout: fuzzTimeout(5) }, () => {
    fc.assert(
      fc.property(image, fc.integer({ min: 0, max: 255 }), (input, threshold) => {
        const out = noLeak(() => binarize(cv, input, threshold));
        check(out.width === input.width && out.height === input.height && out.data.length === input.width * input.height, 'size changed');
        for (let i = 0; i < out.data.length; i++) check(out.data[i] === (input.data[i] > threshold ? 255 : 0), `pixel ${i} wrong`);
      }),
      fuzzParameters(),
    );
  });

  it('limitResolution keeps within the side limit and says by how much it shrank', { timeout: fuzzTimeout(5) }, () => {
    fc.assert(
      fc.property(image, fc.integer({ min: 1, max: 1500 }), (input, maxSide) => {
        const { image: out, scale } = noLeak(() => limitResolution(cv, input, maxSide));
        check(Math.max(out.width, out.height) <= Math.max(maxSide, 1), `${out.width}×${out.height} exceeds ${maxSide}`);
        check(out.width >= 1 && out.height >= 1 && out.data.length === out.width * out.height, 'bad output size');
        check(Number.isFinite(scale) && scale >= 1, `scale ${scale}`);
        if (Math.max(input.width, input.height) <= maxSide) check(out === input && scale === 1, 'a small image was copied');
      }),
      fuzzParameters(),
    );
  });

  it('findInkBlobs finds every ink pixel once, each blob inside its box', { timeout: fuzzTimeout(5) }, () => {
    fc.assert(
      fc.property(image, (input) => {
        const binary = binarize(cv, input, 64);
        const { blobs, labels } = noLeak(() => findInkBlobs(cv, binary));
        check(labels.labels.length === input.width * input.height, 'label image size');
        let inked = 0;
        for (const v of binary.data) if (v) inked++;
        check(blobs.reduce((n, b) => n + b.area, 0) === inked, 'blob areas do not add up to the ink');
        const byLabel = new Map(blobs.map((b) => [b.label, b]));
        for (let i = 0; i < labels.labels.length; i++) {
          const label = labels.labels[i];
          check((label !== 0) === (binary.data[i] !== 0), `pixel ${i}: label ${label} for ink ${binary.data[i]}`);
          if (label === 0) continue;
          const blob = byLabel.get(label);
          const x = i % input.width;
          const y = Math.floor(i / input.width);
          check(blob !== undefined && x >= blob.box.x && x < blob.box.x + blob.box.width && y >= blob.box.y && y < blob.box.y + blob.box.height, `pixel ${i} outside blob ${label}`);
        }
        for (const blob of blobs) checkBoxInside(blob.box, input, `blob ${blob.label}`);
      }),
      fuzzParameters(0.5),
    );
  });

  it('measureStrokeWidth is a finite width, 0 only without ink', { timeout: fuzzTimeout(5) }, () => {
    fc.assert(
      fc.property(image, (input) => {
        const binary = binarize(cv, input, 64);
        const width = noLeak(() => measureStrokeWidth(cv, binary));
        check(Number.isFinite(width) && width >= 0, `width ${width}`);
        check((width === 0) === binary.data.every((v) => v === 0), `width ${width} for ink ${binary.data.some((v) => v > 0)}`);
      }),
      fuzzParameters(0.5),
    );
  });

  it('normalizeStrokeWidth returns ink in [0, 1] for any crop and any target', { timeout: fuzzTimeout(5) }, () => {
    const target = fc.oneof(fc.double({ min: 0, max: 20, noNaN: true }), fc.constantFrom(NaN, -1, Infinity, 0));
    fc.assert(
      fc.property(floatImage, target, (crop, width) => {
        const out = noLeak(() => normalizeStrokeWidth(cv, crop, width));
        check(out.data.length === out.width * out.height, 'bad output size');
        checkUnitValues(out.data, 'redrawn crop');
      }),
      fuzzParameters(),
    );
  });
});

describe('pure steps on random data', () => {
  it('cropDigit cuts a crop in [0, 1] for any group, even one reaching out of the image', { timeout: fuzzTimeout(2) }, () => {
    fc.assert(
      fc.property(image, fc.array(fc.integer({ min: -3, max: 300 }), { maxLength: 8 }), box, (input, labelPicks, groupBox) => {
        const { blobs, labels } = findInkBlobs(cv, binarize(cv, input, 64));
        const group: DigitGroup = { labels: labelPicks, box: groupBox, area: 1 };
        for (const g of [group, ...blobs.slice(0, 3).map((b) => ({ labels: [b.label], box: b.box, area: b.area }))]) {
          const crop = cropDigit(input, labels, g);
          check(crop.width >= 0 && crop.height >= 0 && crop.data.length === crop.width * crop.height, 'bad crop size');
          checkUnitValues(crop.data, 'crop');
        }
      }),
      fuzzParameters(0.5),
    );
  });

  it('normalizeToMnist gives 28×28 values in [0, 1]', { timeout: fuzzTimeout(1) }, () => {
    fc.assert(
      fc.property(floatImage, (crop) => {
        const out = normalizeToMnist(crop);
        check(out.length === MNIST_SIZE * MNIST_SIZE, `length ${out.length}`);
        checkUnitValues(out, 'normalised crop');
      }),
      fuzzParameters(),
    );
  });

  it('orderDigits reorders (never adds or drops) by box centre', () => {
    fc.assert(
      fc.property(fc.array(box, { maxLength: 40 }), (boxes) => {
        const groups: DigitGroup[] = boxes.map((b, i) => ({ labels: [i + 1], box: b, area: 1 }));
        const ordered = orderDigits(groups);
        check(ordered.length === groups.length && new Set(ordered).size === groups.length && ordered.every((g) => groups.includes(g)), 'not a permutation');
        for (let i = 1; i < ordered.length; i++) {
          const centre = (g: DigitGroup) => g.box.x + g.box.width / 2;
          check(centre(ordered[i]) >= centre(ordered[i - 1]), `out of order at ${i}`);
        }
      }),
      fuzzParameters(),
    );
  });

  it('dropNoise keeps, in order, at most maxCount of the items big enough', () => {
    const blob = fc.record({ label: fc.nat(), box, area: fc.nat({ max: 10_000 }) });
    fc.assert(
      fc.property(fc.array(blob, { maxLength: 60 }), fc.double({ min: 0, max: 800, noNaN: true }), fc.option(fc.nat({ max: 70 }), { nil: undefined }), (items, minSize, maxCount) => {
        const kept = dropNoise(items, minSize, maxCount);
        check(kept.length <= (maxCount ?? Infinity), 'too many kept');
        let at = -1;
        for (const item of kept) {
          const index = items.indexOf(item, at + 1);
          check(index > at, 'order changed or an item was invented');
          check(Math.max(item.box.width, item.box.height) >= minSize, 'a small item was kept');
          at = index;
        }
      }),
      fuzzParameters(),
    );
  });

  it('scaleBox lands inside the limit for any box and scale', () => {
    fc.assert(
      fc.property(box, fc.double({ min: 0.01, max: 50, noNaN: true }), fc.record({ width: fc.nat({ max: 5000 }), height: fc.nat({ max: 5000 }) }), (b, scale, limit) => {
        checkBoxInside(scaleBox(b, scale, limit), limit, 'scaled box');
      }),
      fuzzParameters(),
    );
  });

  it('estimateDigitHeight is one of the blob heights, or 0 without blobs', () => {
    const blob: fc.Arbitrary<InkBlob> = fc.record({ label: fc.nat(), box, area: fc.integer({ min: 1, max: 10_000 }) });
    fc.assert(
      fc.property(fc.array(blob, { maxLength: 60 }), (blobs) => {
        const height = estimateDigitHeight(blobs);
        check(blobs.length === 0 ? height === 0 : blobs.some((b) => b.box.height === height), `height ${height}`);
      }),
      fuzzParameters(),
    );
  });
});
