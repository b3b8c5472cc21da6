import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { rasterizeStrokes } from '../../src/pipeline/rasterize-strokes';
import { placeDigit, seededRandom } from '../../scripts/lib/pendigits';
import { rankClasses } from '../../src/inference/classifier';
import { readCrops } from '../../src/inference/read-crops';
import { chooseLineReadings } from '../../src/inference/read-lines';
import type { CV } from '../../src/pipeline/opencv-types';
import { buildPhotoLattices } from '../../src/pipeline/photo-lattice';
import { MAX_PHOTO_SIDE } from '../../src/pipeline/photo-options';
import { photoToInk } from '../../src/pipeline/photo-to-ink';
import { findTextLines } from '../../src/pipeline/text-lines';
import type { InkImage, RgbaImage } from '../../src/pipeline/types';
import { loadModelFromFolder } from '../../src/training/model-files';
import { useWasmTrainingBackend } from '../../src/training/use-wasm-training-backend';
import { countMats, type CountedOpenCv } from '../../src/worker/count-mats';
import { loadOpenCv } from '../support/opencv';
import { digitsOf, photo, PHOTOS } from '../support/photos';

let cv: CV;
beforeAll(async () => {
  cv = await loadOpenCv();
});

/** A plain page: paper colour, no marks, with grain. */
function blankPage(width: number, height: number, grain = 6): RgbaImage {
  const random = seededRandom(9);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const n = (random() - 0.5) * 2 * grain;
    data.set([230 + n, 226 + n, 214 + n, 255], p * 4);
  }
  return { width, height, data };
}

/** Share of ink pixels in a binary image. */
function inkShare(ink: InkImage): number {
  let n = 0;
  for (const v of ink.data) if (v) n++;
  return n / Math.max(1, ink.width * ink.height);
}

describe('photoToInk', () => {
  it('finds dark ink on paper, removes the ruled lines and leaves no ink where there was none', () => {
    const { photo: picture } = photo(PHOTOS.twoLines);
    const found = photoToInk(cv, picture);
    expect(found.polarity).toBe('dark-on-light');
    expect(found.linesRemoved).toBe(4); // two ruled lines per line of writing
    expect(found.ink.width).toBe(800);
    // Corners of the page: paper in shade, nothing written there.
    for (const [x, y] of [[5, 5], [790, 590], [790, 5], [5, 590]]) expect(found.ink.data[y * 800 + x], `${x},${y}`).toBe(0);
    expect(inkShare(found.ink)).toBeGreaterThan(0.01);
    expect(inkShare(found.ink)).toBeLessThan(0.1);
  });

  it('removes the vertical lines of squared paper too', () => {
    const found = photoToInk(cv, photo(PHOTOS.squaredPaper).photo);
    // The ruled line under the number (the one above it falls outside a one-line page) and the
    // sixteen columns 50 px apart.
    expect(found.linesRemoved).toBe(1 + 16);
  });

  it('removes grid columns that a digit’s stroke joins together', () => {
    // A stroke crossing two columns 40 px apart makes them one run: each column must still be
    // found on its own (their mean lies between them), or dashes of it stay above and below.
    for (const writer of [1, 2]) {
      const found = photoToInk(cv, photo({ width: 1600, height: 1200, seed: 2, grid: 40, lines: [digitsOf(writer, [1, 0, 7])] }).photo);
      expect(found.linesRemoved, `writer ${writer}`).toBeGreaterThanOrEqual(40); // 40 columns and the ruled line
      const { width, height, data } = found.ink;
      let outside = 0; // the number lies in the page's middle; nothing is written near the top or bottom
      for (let y = 0; y < height; y++) if (y < 0.15 * height || y > 0.85 * height) for (let x = 0; x < width; x++) if (data[y * width + x]) outside++;
      expect(outside, `writer ${writer}`).toBe(0);
    }
  });

  it('keeps a 1 in a tightly cropped picture, where it spans half the height, and still clears a strip of squared paper', () => {
    // A number cut out of a page: 300×70 px, digits 35 px tall. A 1 is as long as half the
    // picture is high, but a line runs out of the picture at both ends and a 1 does not.
    for (const writer of [0, 1, 2]) {
      const strip = { width: 300, height: 70, seed: 3, ruled: false, lines: [digitsOf(writer, [1, 4, 1])] };
      expect(photoToInk(cv, photo(strip).photo).linesRemoved, `writer ${writer}`).toBe(0);
      expect(photoToInk(cv, photo({ ...strip, grid: 30 }).photo).linesRemoved, `writer ${writer}, squared`).toBeGreaterThanOrEqual(9);
    }
  });

  it('drops a line running out of the picture along its edge, and keeps a stroke the edge cuts', () => {
    const page = blankPage(400, 300);
    const darken = (x0: number, y0: number, x1: number, y1: number) => {
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) page.data.set([40, 40, 90], (y * 400 + x) * 4);
    };
    darken(20, 0, 150, 2); // all that is left in the picture of a ruled line above it
    darken(398, 100, 400, 200); // …of a margin line, down the right edge
    darken(200, 250, 206, 300); // a digit's stroke, cut by the bottom edge
    const { ink } = photoToInk(cv, page);
    const inkIn = (x0: number, y0: number, x1: number, y1: number) => {
      let n = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (ink.data[y * 400 + x]) n++;
      return n;
    };
    expect(inkIn(0, 0, 400, 5)).toBe(0);
    expect(inkIn(390, 0, 400, 300)).toBe(0);
    expect(inkIn(190, 240, 216, 300)).toBeGreaterThan(150);
  });

  it('keeps a pen stroke that runs along a grid column, darker than the column, and clears the column', () => {
    const page = blankPage(400, 300);
    const paint = (x0: number, y0: number, x1: number, y1: number, rgb: number[]) => {
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) page.data.set(rgb, (y * 400 + x) * 4);
    };
    for (let x = 19; x < 400; x += 40) paint(x, 0, x + 2, 300, [120, 140, 190]); // light blue columns, 2 px
    paint(177, 100, 182, 200, [30, 35, 90]); // a 1's stem along the column at x = 179–180, no wider than its cleared band
    paint(150, 100, 182, 105, [30, 35, 90]); // its flag, off the column
    const { ink, linesRemoved } = photoToInk(cv, page);
    expect(linesRemoved).toBeGreaterThanOrEqual(9);
    const at = (x: number, y: number) => ink.data[y * 400 + x];
    let stem = 0;
    for (let y = 105; y < 195; y++) if (at(179, y) && at(180, y)) stem++;
    expect(stem).toBe(90); // the stroke's middle, where it lies on the column, is still ink
    let column = 0;
    for (let y = 0; y < 300; y++) if (y < 90 || y > 210) for (let x = 140; x < 190; x++) if (at(x, y)) column++;
    expect(column).toBe(0); // the same column above and below the stroke is gone
  });

  it('drops hairlines left beside thick writing, and keeps thin writing that is all there is', () => {
    const page = (penWidth: number) => {
      const picture = blankPage(400, 300);
      const paint = (x0: number, y0: number, x1: number, y1: number) => {
        for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) picture.data.set([30, 35, 90], (y * 400 + x) * 4);
      };
      paint(100, 80, 100 + penWidth, 220); // a 1
      paint(160, 80, 160 + penWidth, 220); // another
      paint(220, 80, 300, 80 + penWidth); // a bar
      paint(60, 250, 120, 252); // a 2 px dash, as a ruled line's remnant
      return photoToInk(cv, picture).ink;
    };
    const dash = (ink: InkImage) => {
      let n = 0;
      for (let y = 246; y < 256; y++) for (let x = 55; x < 125; x++) if (ink.data[y * 400 + x]) n++;
      return n;
    };
    const thick = page(12);
    expect(dash(thick)).toBe(0);
    expect(thick.data[150 * 400 + 106]).toBe(255); // the thick 1 stays
    expect(dash(page(3))).toBeGreaterThan(60); // a pen this thin writes hairlines itself
  });

  it('turns light chalk on a dark board around', () => {
    const found = photoToInk(cv, photo(PHOTOS.chalkboard).photo);
    expect(found.polarity).toBe('light-on-dark');
    expect(inkShare(found.ink)).toBeGreaterThan(0.01);
    expect(inkShare(found.ink)).toBeLessThan(0.2);
  });

  it('finds nothing on a blank page, in a flat or 1×1 picture, or in a malformed one', () => {
    expect(inkShare(photoToInk(cv, blankPage(400, 300)).ink)).toBe(0);
    expect(inkShare(photoToInk(cv, { width: 64, height: 64, data: new Uint8ClampedArray(64 * 64 * 4).fill(255) }).ink)).toBe(0);
    expect(inkShare(photoToInk(cv, { width: 1, height: 1, data: new Uint8ClampedArray([0, 0, 0, 255]) }).ink)).toBe(0);
    for (const bad of [{ width: 0, height: 0, data: new Uint8ClampedArray(0) }, { width: 10, height: 10, data: new Uint8ClampedArray(10) }, { width: -1, height: 2.5, data: new Uint8ClampedArray(40) }]) {
      const found = photoToInk(cv, bad);
      expect(found.ink.width * found.ink.height).toBe(0);
      expect(findTextLines(cv, found.ink)).toEqual([]);
    }
  });

  it(`reads a picture over ${MAX_PHOTO_SIDE} px at ${MAX_PHOTO_SIDE} px, boxes in the picture's pixels`, () => {
    const big = photo({ ...PHOTOS.grainyShade, width: 2000, height: 1500 }).photo;
    const found = buildPhotoLattices(cv, big);
    expect(found.work).toEqual({ width: MAX_PHOTO_SIDE, height: 1200 });
    const boxes = found.lines.flatMap((l) => l.candidates.map((c) => c.box));
    expect(boxes.length).toBeGreaterThan(0);
    for (const box of boxes) {
      expect(box.x + box.width).toBeLessThanOrEqual(2000);
      expect(box.y + box.height).toBeLessThanOrEqual(1500);
    }
    expect(Math.max(...boxes.map((b) => b.x + b.width))).toBeGreaterThan(MAX_PHOTO_SIDE);
  });
});

describe('findTextLines', () => {
  it('splits written lines top to bottom, each with its own ink only', () => {
    const strokes = [0, 1, 2].flatMap((row) => [0, 1].flatMap((col) => placeDigit(digitsOf(2, [row * 2 + col])[0], 150, 150).map((s) => s.map(([x, y]) => [x + 40 + col * 120, y + row * 170]))));
    const ink = rasterizeStrokes(strokes, 400, 520, 6);
    const binary = { width: ink.width, height: ink.height, data: ink.data.map((v) => (v >= 128 ? 255 : 0)) };
    const lines = findTextLines(cv, binary);
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.box.y)).toEqual([...lines.map((l) => l.box.y)].sort((a, b) => a - b));
    for (const [i, line] of lines.entries()) {
      expect(line.box.y + line.box.height).toBeLessThanOrEqual(lines[i + 1]?.box.y ?? Infinity);
      expect(inkShare(line.image)).toBeGreaterThan(0);
    }
  });
});

/** A ring of radius r (px) around (cx, cy), as one closed stroke. */
function ring(cx: number, cy: number, rx: number, ry: number): number[][] {
  return Array.from({ length: 41 }, (_, i) => [cx + rx * Math.cos((i / 40) * 2 * Math.PI), cy + ry * Math.sin((i / 40) * 2 * Math.PI)]);
}

/** Strokes drawn 6 px wide as binary ink, as photoToInk gives it. */
function binary(strokes: number[][][], width: number, height: number) {
  const ink = rasterizeStrokes(strokes, width, height, 6);
  return { width: ink.width, height: ink.height, data: ink.data.map((v) => (v >= 128 ? 255 : 0)) };
}

describe('findTextLines, a character in stacked parts', () => {
  it('reads an 8 written as two loops that do not touch as one line holding both', () => {
    // Loops 60 px tall (pen included), 8 px apart: one character, not two lines of writing.
    const lines = findTextLines(cv, binary([ring(100, 60, 24, 27), ring(100, 128, 27, 27)], 200, 200));
    expect(lines).toHaveLength(1);
    expect(lines[0].box.height).toBeGreaterThan(120);
  });

  it('joins the loose top loop of an 8 inside a number to the number, not to a line of its own', () => {
    // "080": 0s 80 px tall; the 8's lower loop stands among them, its top loop rises above them, 5 px off.
    const number = [ring(50, 135, 24, 37), ring(130, 72, 22, 24), ring(130, 137, 25, 30), ring(210, 135, 24, 37)];
    const lines = findTextLines(cv, binary(number, 260, 200));
    expect(lines).toHaveLength(1);
    expect(lines[0].box.y).toBeLessThan(45);
    // A 0 written above the number, a line's gap away (30 px), stays a line of its own.
    const twoLines = [ring(130, 40, 24, 27), ...number.map((stroke) => stroke.map(([x, y]) => [x, y + 60]))];
    expect(findTextLines(cv, binary(twoLines, 260, 260))).toHaveLength(2);
  });

  it('keeps two whole digits written in a column, or loops further apart, as two lines', () => {
    // Two 0s 100 px tall, 15 px apart: together four times as tall as wide.
    expect(findTextLines(cv, binary([ring(100, 60, 24, 47), ring(100, 175, 24, 47)], 200, 240))).toHaveLength(2);
    // Loops 60 px tall, 30 px apart: lines of writing, however close.
    expect(findTextLines(cv, binary([ring(100, 40, 27, 27), ring(100, 130, 27, 27)], 200, 200))).toHaveLength(2);
  });
});

describe('findTextLines, lines of different sizes', () => {
  it('keeps a number written at 0.4 the size of the one above it as a line of its own', () => {
    const big = [ring(80, 110, 45, 97), ring(200, 110, 45, 97)];
    const small = [ring(60, 380, 18, 37), ring(120, 380, 18, 37), ring(180, 380, 18, 37)];
    const lines = findTextLines(cv, binary([...big, ...small], 300, 460));
    expect(lines).toHaveLength(2);
    expect(lines[1].box.y).toBeGreaterThan(320);
    expect(lines[1].box.height).toBeLessThan(110);
  });

  it('does not make a line of one small mark far from the writing, nor of specks', () => {
    const big = [ring(80, 110, 45, 97), ring(200, 110, 45, 97)];
    const mark = [[[140, 380], [160, 400]]];
    const specks = [[[30, 430], [32, 431]], [[270, 430], [272, 431]]];
    expect(findTextLines(cv, binary([...big, ...mark, ...specks], 300, 460))).toHaveLength(1);
  });
});

describe('chooseLineReadings', () => {
  it('puts one number per line, top to bottom, and leaves out lines that read as nothing', () => {
    const lattice = (n: number) => ({
      atomCount: n,
      digitHeight: 50,
      candidates: Array.from({ length: n }, (_, i) => ({ from: i, to: i + 1, box: { x: i * 40, y: 0, width: 30, height: 50 }, workBox: { x: i * 40, y: 0, width: 30, height: 50 }, pixels: new Float32Array(784) })),
      skippable: Array.from({ length: n }, () => false),
      cutBefore: Array.from({ length: n }, () => false),
    });
    const sure = (digit: number) => rankClasses(Float32Array.from({ length: 11 }, (_, k) => (k === digit ? 0.99 : 0.001)));
    const reading = chooseLineReadings([lattice(2), lattice(0), lattice(1)], [sure(4), sure(2), sure(7)]);
    expect(reading.text).toBe('42\n7');
    expect(reading.digits.map((d) => d.digit)).toEqual([4, 2, 7]);
    expect(() => chooseLineReadings([lattice(2)], [sure(1)])).toThrow(/Expected 2 predictions/);
  });
});

const MODEL_DIR = join(process.cwd(), 'public/model');
const hasModel = existsSync(join(MODEL_DIR, 'model.json'));

describe.skipIf(!hasModel)('reading photos with the committed model', () => {
  let model: tfl.LayersModel;
  beforeAll(async () => {
    await useWasmTrainingBackend();
    model = await loadModelFromFolder(MODEL_DIR);
  });

  /** Reads a picture as the worker does: photo lattices, one batched call, each line's best path. */
  function read(picture: RgbaImage): string {
    const { lines } = buildPhotoLattices(cv, picture);
    const candidates = lines.flatMap((l) => l.candidates);
    const pixels = new Float32Array(candidates.length * 784);
    candidates.forEach((c, i) => pixels.set(c.pixels, i * 784));
    const { probabilities, classes } = candidates.length > 0 ? readCrops(model, pixels, candidates.length) : { probabilities: new Float32Array(0), classes: 0 };
    return chooseLineReadings(lines, candidates.map((_, i) => rankClasses(probabilities.subarray(i * classes, (i + 1) * classes)))).text;
  }

  // The tilted page's upper line read '?8165' while its ruled line, broken into pieces whose mean
  // heights lay apart, was cleared only in part.
  for (const [name, spec] of Object.entries(PHOTOS)) {
    it(`reads ${name} exactly`, () => {
      const { photo: picture, text } = photo(spec);
      expect(read(picture)).toBe(text);
    });
  }

  it('reads a number cut tightly out of a page, its 1s kept', () => {
    const { photo: picture, text } = photo({ width: 300, height: 70, seed: 3, ruled: false, lines: [digitsOf(0, [1, 4, 1])] });
    expect(read(picture)).toBe(text);
  });

  it('reads nothing on a blank page', () => {
    expect(read(blankPage(640, 480))).toBe('');
  });
});

describe('OpenCV memory on the photo path', () => {
  let counted: CountedOpenCv;
  beforeAll(() => {
    counted = countMats(cv);
  });

  it('deletes every Mat it creates and does not grow the wasm heap', () => {
    const pictures: RgbaImage[] = [
      photo(PHOTOS.grainyShade).photo,
      photo(PHOTOS.chalkboard).photo,
      photo(PHOTOS.rotated).photo, // read with each way of levelling a line (deskew's Mats)
      blankPage(300, 200),
      { width: 0, height: 0, data: new Uint8ClampedArray(0) },
      { width: 3, height: 2, data: new Uint8ClampedArray(24) },
    ];
    const heap = () => {
      const probe = new cv.Mat(1, 1, cv.CV_8UC1);
      const bytes = probe.data.buffer.byteLength;
      probe.delete();
      return bytes;
    };
    const modes = ['rotate', 'shear', 'off'] as const;
    for (const picture of pictures) for (const mode of modes) buildPhotoLattices(counted.cv, picture, mode);
    expect(counted.counts().live).toBe(0);
    expect(counted.counts().created).toBeGreaterThan(0);
    const before = heap();
    for (let i = 0; i < 3 * pictures.length; i++) {
      buildPhotoLattices(counted.cv, pictures[i % pictures.length], modes[i % modes.length]);
      expect(counted.counts().live, `call ${i}`).toBe(0);
    }
    expect(heap()).toBe(before);
  });
});
