import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import type { DigitPrediction } from '../../src/inference/classifier';
import { chooseLineReadings } from '../../src/inference/read-lines';
import { MAX_ATOMS_PER_DIGIT } from '../../src/pipeline/lattice';
import type { CV } from '../../src/pipeline/opencv-types';
import { MNIST_SIZE } from '../../src/pipeline/options';
import { buildPhotoLattices } from '../../src/pipeline/photo-lattice';
import { MAX_LINES, MAX_PHOTO_SIDE } from '../../src/pipeline/photo-options';
import { photoToInk, type PhotoInk } from '../../src/pipeline/photo-to-ink';
import type { Box, RgbaImage } from '../../src/pipeline/types';
import { blotsOnPaper, buildBlots, buildPhoto, isWellFormedRecipe, MALFORMED, malformedPhoto, negative, photoRecipe, type PhotoRecipe, type PlacedMark } from './photo-images';
import { fuzzParameters, fuzzTimeout } from './settings';
import { check, countingOpenCv } from './checks';

// Property tests of the photo path (what the worker does with a picture before the model sees
// it), fed arbitrary pictures: 1×1, 1×N, flat, noise, lines, shapes, strokes, light on dark and
// dark on light, beyond the working size, and malformed ones. Every case runs on a Mat-counting
// OpenCV, so each also proves that it deleted every Mat it made. The photo path is several times
// slower per case than the ink path, so these run a share of FUZZ_RUNS.

const opencv = countingOpenCv();
const { noLeak } = opencv;
let cv: CV;
beforeAll(() => {
  cv = opencv.cv;
});

function checkBoxInside(box: Box, limit: { width: number; height: number }, what: string): void {
  const { x, y, width, height } = box;
  check(
    [x, y, width, height].every(Number.isInteger) && x >= 0 && y >= 0 && width >= 0 && height >= 0 && x + width <= limit.width && y + height <= limit.height,
    `${what} ${JSON.stringify(box)} is not inside ${limit.width}×${limit.height}`,
  );
}

/** The size photoToInk reads a well-formed picture at: longer side at most MAX_PHOTO_SIDE, aspect kept. */
function workingSize({ width, height }: { width: number; height: number }): { width: number; height: number } {
  const factor = Math.min(1, MAX_PHOTO_SIDE / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * factor)), height: Math.max(1, Math.round(height * factor)) };
}

/** Checks a PhotoInk's shape for a well-formed picture: working size, binary ink, a finite scale. */
function checkPhotoInk(found: PhotoInk, picture: RgbaImage): void {
  const { ink, scale, polarity, linesRemoved } = found;
  const work = workingSize(picture);
  check(ink.width === work.width && ink.height === work.height, `ink is ${ink.width}×${ink.height}, not ${work.width}×${work.height}`);
  check(ink.data.length === ink.width * ink.height, `ink has ${ink.data.length} bytes for ${ink.width}×${ink.height}`);
  for (let i = 0; i < ink.data.length; i++) check(ink.data[i] === 0 || ink.data[i] === 255, `ink[${i}] = ${ink.data[i]}`);
  check(Number.isFinite(scale) && scale >= 1 && Math.abs(scale - picture.width / ink.width) < 1e-9, `scale ${scale} for ${picture.width} → ${ink.width}`);
  check(polarity === 'dark-on-light' || polarity === 'light-on-dark', `polarity ${String(polarity)}`);
  check(Number.isInteger(linesRemoved) && linesRemoved >= 0, `linesRemoved ${linesRemoved}`);
}

function isEmptyInk(found: PhotoInk): boolean {
  return found.ink.width === 0 && found.ink.height === 0 && found.ink.data.length === 0 && found.scale === 1 && found.linesRemoved === 0;
}

function inkCount(found: PhotoInk): number {
  let n = 0;
  for (const v of found.ink.data) if (v) n++;
  return n;
}

/** Ink pixels farther than `margin` px from every mark: ink where nothing was drawn. */
function strayInk(found: PhotoInk, marks: readonly PlacedMark[], margin: number): { x: number; y: number }[] {
  const { width, height, data } = found.ink;
  const stray: { x: number; y: number }[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!data[y * width + x]) continue;
      const near = marks.some((m) => x >= m.x - margin && x < m.x + m.width + margin && y >= m.y - margin && y < m.y + m.height + margin);
      if (!near) stray.push({ x, y });
    }
  }
  return stray;
}

/** Whether some ink lies on the mark (or within `margin` px of it). */
function inkOn(found: PhotoInk, m: PlacedMark, margin: number): boolean {
  const { width, height, data } = found.ink;
  for (let y = Math.max(0, m.y - margin); y < Math.min(height, m.y + m.height + margin); y++) {
    for (let x = Math.max(0, m.x - margin); x < Math.min(width, m.x + m.width + margin); x++) if (data[y * width + x]) return true;
  }
  return false;
}

/** A flat picture of any colour and transparency, from 1×1 to 400×400 (a recipe: it prints short when it fails). */
const flatPicture = fc.record({
  width: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 400 })),
  height: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 400 })),
  rgba: fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)),
});

function buildFlat({ width, height, rgba }: { width: number; height: number; rgba: number[] }): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set(rgba, i);
  return { width, height, data };
}

describe('photoToInk on arbitrary pictures', () => {
  it('gives empty ink and no line, without throwing, for every kind of malformed picture', () => {
    fc.assert(
      fc.property(malformedPhoto, (recipe) => {
        const picture = buildPhoto(recipe);
        const found = noLeak(() => photoToInk(cv, picture));
        check(isEmptyInk(found), `ink ${found.ink.width}×${found.ink.height} from a malformed picture (${recipe.malformed})`);
        const lattices = noLeak(() => buildPhotoLattices(cv, picture));
        check(lattices.lines.length === 0 && lattices.atomCount === 0 && lattices.work.width === 0 && lattices.work.height === 0, `lines in a malformed picture (${recipe.malformed})`);
      }),
      // Each kind at least once, whatever FUZZ_RUNS is.
      { ...fuzzParameters(0.25), examples: MALFORMED.map((malformed) => [{ malformed, width: 7, height: 5 }]) },
    );
  });

  it('never throws, leaves no Mat, and gives binary ink at the working size (empty ink for a malformed picture)', { timeout: fuzzTimeout(60, 0.25) }, () => {
    fc.assert(
      fc.property(photoRecipe, (recipe) => {
        const picture = buildPhoto(recipe);
        const found = noLeak(() => photoToInk(cv, picture));
        if (!isWellFormedRecipe(recipe)) {
          check(isEmptyInk(found), `ink ${found.ink.width}×${found.ink.height} from a malformed picture (${recipe.malformed})`);
          check(found.polarity === 'dark-on-light', 'polarity of a malformed picture');
          return;
        }
        checkPhotoInk(found, picture);
      }),
      fuzzParameters(0.25),
    );
  });

  it('finds no ink and no line in a flat picture of any colour, size or transparency', { timeout: fuzzTimeout(10, 0.25) }, () => {
    fc.assert(
      fc.property(flatPicture, (flat) => {
        const picture = buildFlat(flat);
        const found = noLeak(() => photoToInk(cv, picture));
        checkPhotoInk(found, picture);
        check(inkCount(found) === 0, `${inkCount(found)} ink pixels in a flat picture`);
        check(found.linesRemoved === 0, `${found.linesRemoved} lines removed from a flat picture`);
      }),
      fuzzParameters(0.25),
    );
  });

  it('finds ink on every dark blot on plain paper and nowhere else; the negative (light on dark) gives the same', { timeout: fuzzTimeout(40, 0.1) }, () => {
    // Ink may reach a pixel or two beyond a blot: the grain blur and the threshold's window.
    const margin = 3;
    fc.assert(
      fc.property(blotsOnPaper, (recipe) => {
        const { photo: picture, marks } = buildBlots(recipe);
        for (const [name, shown, polarity] of [
          ['dark on light', picture, 'dark-on-light'],
          ['light on dark', negative(picture), 'light-on-dark'],
        ] as const) {
          const found = noLeak(() => photoToInk(cv, shown));
          checkPhotoInk(found, shown);
          check(found.polarity === polarity, `${name}: polarity ${found.polarity}`);
          const stray = strayInk(found, marks, margin);
          check(stray.length === 0, `${name}: ${stray.length} ink pixels off the blots, first at ${JSON.stringify(stray[0])}`);
          for (const [k, m] of marks.entries()) check(inkOn(found, m, 0), `${name}: no ink on blot ${k} ${JSON.stringify(m)}`);
        }
      }),
      fuzzParameters(0.1),
    );
  });
});

/** The picture `zoom` times larger (each pixel a square of them), and its blots with it. */
function zoomed({ photo: picture, marks }: { photo: RgbaImage; marks: PlacedMark[] }, zoom: number): { photo: RgbaImage; marks: PlacedMark[] } {
  if (zoom === 1) return { photo: picture, marks };
  const [width, height] = [picture.width * zoom, picture.height * zoom];
  const data = new Uint8ClampedArray(width * height * 4);
  // A pixel at a time as one 32-bit word: RGBA stays together.
  const from = new Uint32Array(picture.data.buffer, picture.data.byteOffset, picture.width * picture.height);
  const to = new Uint32Array(data.buffer);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / zoom) * picture.width;
    for (let x = 0; x < width; x++) to[y * width + x] = from[row + Math.floor(x / zoom)];
  }
  return { photo: { width, height, data }, marks: marks.map((m) => ({ x: m.x * zoom, y: m.y * zoom, width: m.width * zoom, height: m.height * zoom })) };
}

/** Predictions for `count` candidates: any digit, any confidence, any "not a digit" and mark share. */
function randomPredictions(count: number, seed: number): DigitPrediction[] {
  let state = seed >>> 0;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Array.from({ length: count }, () => {
    const confidence = next();
    const notDigit = next() * (1 - confidence);
    return { digit: Math.floor(next() * 10), confidence, runnerUp: { digit: Math.floor(next() * 10), confidence: next() * (1 - confidence - notDigit) }, notDigit, mark: next() * notDigit };
  });
}

describe('buildPhotoLattices and chooseLineReadings on arbitrary pictures', () => {
  it('never throw, leave no Mat, and give bounded lines of candidates boxed inside the picture, whose reading (any predictions) holds together', { timeout: fuzzTimeout(80, 0.25) }, () => {
    fc.assert(
      fc.property(photoRecipe, fc.constantFrom('rotate' as const, 'shear' as const, 'off' as const), fc.integer(), (recipe: PhotoRecipe, deskew, seed) => {
        const picture = buildPhoto(recipe);
        const found = noLeak(() => buildPhotoLattices(cv, picture, deskew));
        const candidates = found.lines.flatMap((line) => line.candidates);
        if (!isWellFormedRecipe(recipe)) {
          check(found.lines.length === 0 && found.atomCount === 0, `lines in a malformed picture (${recipe.malformed})`);
          check(found.work.width === 0 && found.work.height === 0, 'a working size for a malformed picture');
        } else {
          const work = workingSize(picture);
          check(found.work.width === work.width && found.work.height === work.height, `working size ${JSON.stringify(found.work)}, not ${JSON.stringify(work)}`);
        }
        check(found.lines.length <= MAX_LINES, `${found.lines.length} lines > ${MAX_LINES}`);
        check(found.atomCount === found.lines.reduce((n, l) => n + l.atomCount, 0), 'atomCount is not the lines’ sum');
        check(found.polarity === 'dark-on-light' || found.polarity === 'light-on-dark', `polarity ${String(found.polarity)}`);
        for (const [j, line] of found.lines.entries()) {
          check(line.atomCount > 0, `line ${j} has no atoms`);
          check(line.skippable.length === line.atomCount, `line ${j}: skippable does not match the atoms`);
          check(line.candidates.length <= line.atomCount * MAX_ATOMS_PER_DIGIT, `line ${j}: ${line.candidates.length} candidates for ${line.atomCount} atoms`);
          for (const [i, c] of line.candidates.entries()) {
            check(c.from >= 0 && c.from < c.to && c.to <= line.atomCount, `line ${j} candidate ${i} spans atoms ${c.from}–${c.to}`);
            check(c.pixels instanceof Float32Array && c.pixels.length === MNIST_SIZE * MNIST_SIZE, `line ${j} candidate ${i}: crop is not 28×28`);
            for (const v of c.pixels) check(v >= 0 && v <= 1, `line ${j} candidate ${i}: crop value ${v}`);
            checkBoxInside(c.box, picture, `line ${j} candidate ${i} box`);
          }
        }

        // What the model says about each candidate is arbitrary here; the reading must still hold together.
        const reading = chooseLineReadings(found.lines, randomPredictions(candidates.length, seed));
        const textLines = reading.text === '' ? [] : reading.text.split('\n');
        check(/^[0-9?\n]*$/.test(reading.text), `text ${JSON.stringify(reading.text)}`);
        check(textLines.length <= found.lines.length && textLines.every((t) => t !== ''), `text ${JSON.stringify(reading.text)} for ${found.lines.length} lines`);
        check(reading.digits.length === reading.text.replaceAll('\n', '').length, `${reading.digits.length} digits for text ${JSON.stringify(reading.text)}`);
        for (const [i, digit] of reading.digits.entries()) {
          checkBoxInside(digit.box, picture, `digit ${i} box`);
          check(candidates.some((c) => c.pixels === digit.crop), `digit ${i}: its crop is no candidate's`);
          check(digit.digit === null ? reading.text.replaceAll('\n', '')[i] === '?' : reading.text.replaceAll('\n', '')[i] === String(digit.digit), `digit ${i} is not the text's`);
        }
      }),
      fuzzParameters(0.25),
    );
  });

  it('find no line in a flat picture; on dark blots (and their negative), at any size, lines whose boxes lie on the blots', { timeout: fuzzTimeout(150, 0.1) }, () => {
    fc.assert(
      // One in eight zoomed just beyond MAX_PHOTO_SIDE: its boxes come back through the downscaling.
      fc.property(flatPicture, blotsOnPaper, fc.integer({ min: 0, max: 7 }), (flat, blots, pick) => {
        check(noLeak(() => buildPhotoLattices(cv, buildFlat(flat))).lines.length === 0, 'lines in a flat picture');
        const zoom = pick === 0 ? Math.ceil((MAX_PHOTO_SIDE + 1) / Math.max(blots.width, blots.height)) : 1;
        const { photo: picture, marks } = zoomed(buildBlots(blots), zoom);
        const all = marks.reduce((a, b) => ({ x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.max(a.x + a.width, b.x + b.width) - Math.min(a.x, b.x), height: Math.max(a.y + a.height, b.y + b.height) - Math.min(a.y, b.y) }));
        for (const [name, shown] of [
          ['dark on light', picture],
          ['light on dark', negative(picture)],
        ] as const) {
          const found = noLeak(() => buildPhotoLattices(cv, shown));
          check(found.lines.length > 0, `${name}: no line`);
          // Ink reaches a few working pixels past a blot; a box is rounded out by a working pixel.
          const scale = shown.width / found.work.width;
          const margin = Math.ceil(4 * scale) + 1;
          const near = (b: Box, m: PlacedMark) => b.x < m.x + m.width + margin && m.x - margin < b.x + b.width && b.y < m.y + m.height + margin && m.y - margin < b.y + b.height;
          for (const [i, c] of found.lines.flatMap((line) => line.candidates).entries()) {
            check(marks.some((m) => near(c.box, m)), `${name}: candidate ${i} ${JSON.stringify(c.box)} lies on no blot`);
            const { x, y, width, height } = c.box;
            check(x >= all.x - margin && y >= all.y - margin && x + width <= all.x + all.width + margin && y + height <= all.y + all.height + margin, `${name}: candidate ${i} ${JSON.stringify(c.box)} reaches beyond the blots ${JSON.stringify(all)}`);
          }
        }
      }),
      fuzzParameters(0.1),
    );
  });
});
