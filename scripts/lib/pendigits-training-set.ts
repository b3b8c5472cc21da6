import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { A_MARK, NOT_A_DIGIT } from '../../src/inference/model';
import type { CV } from '../../src/pipeline/opencv-types';
import { createRandom, type Random } from '../../src/training/create-random';
import type { MnistSet } from '../../src/training/load-mnist';
import { loadOpenCv } from './load-opencv-node';
import { DESKTOP_PAD, PHONE_PAD, pickNumber, toHeight, writeNumber, type NumberKind } from './number-cases';
import { numberCrops } from './number-crops';
import { indexByWriter, loadPendigits, placeNumber, type PenDigit } from './pendigits';
import { addPenTails, addWritingStyle, HELD_OUT_WRITERS, jitterStrokes, pieceCrops, renderOnPad, wholeInkCrop } from './pendigits-crops';
import { makeScribble, SCRIBBLE_KINDS } from './scribbles';
import { loadUnipen, UNIPEN_DIGITS_PATH, UNIPEN_NONDIGITS_PATH, unipenSplit } from './unipen';

/** Short hash of the pipeline's source files, so a cache of crops is remade when the pipeline changes. */
export function pipelineSourceHash(folder = 'src/pipeline'): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(folder).sort()) {
    if (!name.endsWith('.ts')) continue;
    hash.update(name);
    hash.update(readFileSync(join(folder, name)));
  }
  return hash.digest('hex').slice(0, 10);
}

/** What goes into the real-handwriting part of training; see {@link buildRealHandwritingSet}. */
export interface RealSetOptions {
  /** Renderings of each pendigits training writer's digit. */
  pendigitsVariants: number;
  /** Renderings of each UNIPEN training writer's digit. */
  unipenVariants: number;
  /** Strokes of multi-stroke digits moved apart by up to this × the height before rendering. */
  strokeJitter: number;
  /** Letters and symbols of training writers, at most this many (each rendered once). */
  maxLetters: number;
  /** Share of digit renderings given a ligature's lead-in, and (independently) its lead-out. */
  tailChance: number;
  /** Share of 0s given a slash and of 1s given a long flag ({@link addWritingStyle}). */
  styleChance: number;
  /** Pieces of each digit taught as "not a digit", at most. */
  piecesPerDigit: number;
  /** Pieces of each letter or symbol taught as "not a digit" (a wrong cut), at most: the lattice cuts an n into a 1 and a 7. */
  letterPieces: number;
  /** Made-up marks (zigzags, spirals, filled blobs, crosses, random walks). */
  scribbles: number;
  /** Two digits of one writer written touching or nearly, read as one candidate, per training digit. */
  pairShare: number;
  /** Numbers of 2–6 digits written by training writers (every kind, joined and touching ones twice as often), cut by the lattice. */
  numbers: number;
  /** More numbers on top of `numbers`, every one joined by the pen or touching: the kinds read worst. */
  joinedNumbers: number;
  /** Digits cut from those numbers are taught again without a join's connector, as the lattice also offers them. */
  trimmedCrops: boolean;
  seed: number;
}

/** Defaults: what the shipped model was trained with (model card). */
export const DEFAULT_REAL_SET_OPTIONS: RealSetOptions = {
  pendigitsVariants: 2,
  unipenVariants: 2,
  strokeJitter: 0.06,
  maxLetters: 16000,
  tailChance: 0.2,
  styleChance: 0,
  piecesPerDigit: 2,
  letterPieces: 0,
  scribbles: 3000,
  pairShare: 0.35,
  numbers: 3000,
  joinedNumbers: 0,
  trimmedCrops: false,
  seed: 42,
};

/**
 * Reads crops as a digit model does: per crop, the probability of its likeliest digit. Pieces of
 * digits that an earlier model reads confidently as a digit are not taught as "not a digit": a
 * 4's stem is a fine 1, a 7's downstroke may be one too.
 */
export type DigitReader = (crops: Float32Array[]) => Float32Array;

/** Wrong candidates of one written number taught as "not a digit", at most. */
export const WRONG_PER_NUMBER = 3;

/** Above this, a piece reads as a digit to the filter model and is left out of "not a digit". */
export const PIECE_FILTER_ABOVE = 0.8;

/** A labelled crop set and how many of each kind it holds, for the model card. */
export interface RealSet extends MnistSet {
  kinds: Record<string, number>;
}

/**
 * Real handwriting of the training writers only (pendigits and UNIPEN; held-out writers and the
 * held-out source never appear), cut out as the app's lattice cuts it: each digit as one
 * candidate; "not a digit" from letters and symbols, the lattice's other candidates over a digit
 * (pieces), two digits written close as one candidate, and made-up scribbles.
 */
export function buildRealHandwritingSet(cv: CV, options: RealSetOptions, readDigit: DigitReader | undefined): RealSet {
  const random = createRandom(options.seed);
  const images: Float32Array[] = [];
  const labels: number[] = [];
  const kinds: Record<string, number> = {};
  const add = (kind: string, crop: Float32Array | undefined, label: number) => {
    if (!crop) return;
    images.push(crop);
    labels.push(label);
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  };

  const pendigits = loadPendigits().filter((d) => !HELD_OUT_WRITERS.has(d.writer));
  const unipenDigits = loadUnipen(UNIPEN_DIGITS_PATH).filter((d) => unipenSplit(d) === 'train' && !d.suspectLabel);
  const letters = shuffle(loadUnipen(UNIPEN_NONDIGITS_PATH).filter((d) => unipenSplit(d) === 'train'), random).slice(0, options.maxLetters);

  const pieces: Float32Array[] = [];
  const wrongCuts: Float32Array[] = [];
  const writeDigits = (digits: readonly PenDigit[], variants: number, kind: string) => {
    for (const digit of digits) {
      for (let v = 0; v < variants; v++) {
        const image = renderOnPad(addPenTails(addWritingStyle(jitterStrokes(digit, options.strokeJitter, random), options.styleChance, random), options.tailChance, random).strokes, random);
        add(kind, wholeInkCrop(cv, image), digit.label);
        // One rendering per digit gives its pieces: plenty, and they differ little between renderings.
        if (v === 0) {
          const own = pieceCrops(cv, image);
          for (let k = 0; k < options.piecesPerDigit && own.length > 0; k++) pieces.push(own.splice(random.int(own.length), 1)[0]);
        }
      }
    }
  };
  writeDigits(pendigits, options.pendigitsVariants, 'pendigits digits');
  writeDigits(unipenDigits, options.unipenVariants, 'UNIPEN digits');

  // Whole numbers cut as the lattice cuts them: digits with join tails and cut from touching
  // neighbours, and the lattice's wrong candidates (parts of a digit, two digits' parts as one).
  const numberWriters = [...indexByWriter([...pendigits, ...unipenDigits]).values()].filter((perLabel) => perLabel.filter((d) => d.length > 0).length >= 8);
  // The shipped model's mix (late strokes read as written in order: the lattice orders atoms by place).
  const numberKinds: NumberKind[] = ['spaced', 'close', 'touching', 'ligature', 'slanted', 'ligature', 'touching'];
  const joinedKinds: NumberKind[] = ['ligature', 'ligature', 'touching'];
  for (let n = 0; n < options.numbers + options.joinedNumbers && numberWriters.length > 0; n++) {
    const digits = pickNumber(numberWriters[random.int(numberWriters.length)], random, 2, 6);
    const kinds = n < options.numbers ? numberKinds : joinedKinds;
    const written = writeNumber(digits, kinds[random.int(kinds.length)], n % 2 === 0 ? DESKTOP_PAD : PHONE_PAD, random);
    const crops = numberCrops(cv, written, { trimmed: options.trimmedCrops });
    for (const digit of crops.digits) add('digits cut from written numbers', digit.pixels, digit.label);
    wrongCuts.push(...shuffle(crops.wrong, random).slice(0, WRONG_PER_NUMBER));
  }

  const keep = readDigit ? readDigit([...pieces, ...wrongCuts]) : undefined;
  pieces.forEach((crop, i) => {
    if (keep && keep[i] >= PIECE_FILTER_ABOVE) kinds['pieces left out (read as a digit)'] = (kinds['pieces left out (read as a digit)'] ?? 0) + 1;
    else add('pieces of digits', crop, NOT_A_DIGIT);
  });
  wrongCuts.forEach((crop, i) => {
    if (keep && keep[pieces.length + i] >= PIECE_FILTER_ABOVE) kinds['wrong cuts left out (read as a digit)'] = (kinds['wrong cuts left out (read as a digit)'] ?? 0) + 1;
    else add('wrong cuts of written numbers', crop, NOT_A_DIGIT);
  });

  const letterPieces: Float32Array[] = [];
  for (const letter of letters) {
    const image = renderOnPad(letter.strokes, random);
    add('letters and symbols', wholeInkCrop(cv, image), A_MARK);
    if (options.letterPieces > 0) letterPieces.push(...shuffle(pieceCrops(cv, image), random).slice(0, options.letterPieces));
  }
  // Pieces of letters that read as a digit to the filter model stay out, as pieces of digits do.
  const keepLetterPieces = readDigit && letterPieces.length > 0 ? readDigit(letterPieces) : undefined;
  letterPieces.forEach((crop, i) => {
    if (keepLetterPieces && keepLetterPieces[i] >= PIECE_FILTER_ABOVE) kinds['letter pieces left out (read as a digit)'] = (kinds['letter pieces left out (read as a digit)'] ?? 0) + 1;
    else add('pieces of letters', crop, NOT_A_DIGIT);
  });

  const byWriter = new Map<string, PenDigit[]>();
  for (const d of [...pendigits, ...unipenDigits]) byWriter.set(d.writer, [...(byWriter.get(d.writer) ?? []), d]);
  const writers = [...byWriter.values()].filter((ds) => ds.length >= 2);
  const pairs = Math.round(options.pairShare * (pendigits.length + unipenDigits.length));
  for (let p = 0; p < pairs; p++) {
    const own = writers[random.int(writers.length)];
    const pair = [own[random.int(own.length)], own[random.int(own.length)]].map((d) => toHeight(d));
    // From overlapping a little to a tenth of the height apart: what the lattice may see as one candidate.
    const gap = random.uniform(-0.12, 0.1);
    const placed = placeNumber(pair, { gaps: [gap], slope: random.uniform(-0.08, 0.08), sizes: [1, random.uniform(0.85, 1.15)], shifts: [0, random.uniform(-0.05, 0.05)] }, 900, 400, 8);
    add('two digits as one', wholeInkCrop(cv, renderOnPad(placed.strokes, random)), NOT_A_DIGIT);
  }

  for (let s = 0; s < options.scribbles; s++) {
    const kind = SCRIBBLE_KINDS[random.int(SCRIBBLE_KINDS.length)];
    add('scribbles', wholeInkCrop(cv, renderOnPad(makeScribble(kind, random), random)), A_MARK);
  }

  const bytes = new Uint8Array(images.length * 784);
  images.forEach((image, i) => {
    for (let k = 0; k < 784; k++) bytes[i * 784 + k] = Math.round(image[k] * 255);
  });
  return { count: images.length, images: bytes, labels: Uint8Array.from(labels), kinds };
}

function shuffle<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * The real-handwriting training set, built once and cached in `cachePath` (it depends only on the
 * data, the pipeline, the options and the filter model), with the counts per kind beside it.
 */
export async function loadRealHandwritingSet(options: RealSetOptions, cachePath: string, readDigit: () => Promise<DigitReader | undefined>): Promise<RealSet> {
  const kindsPath = `${cachePath}.json`;
  if (existsSync(cachePath) && existsSync(kindsPath)) {
    const bytes = new Uint8Array(await readFile(cachePath));
    const count = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
    const kinds = JSON.parse(await readFile(kindsPath, 'utf8')) as Record<string, number>;
    return { count, labels: bytes.slice(4, 4 + count), images: bytes.slice(4 + count, 4 + count + count * 784), kinds };
  }
  const cv = await loadOpenCv();
  const set = buildRealHandwritingSet(cv, options, await readDigit());
  const bytes = new Uint8Array(4 + set.count + set.images.length);
  new DataView(bytes.buffer).setUint32(0, set.count, true);
  bytes.set(set.labels, 4);
  bytes.set(set.images, 4 + set.count);
  await mkdir(dirname(cachePath), { recursive: true });
  await writeFile(cachePath, bytes);
  await writeFile(kindsPath, JSON.stringify(set.kinds, null, 2));
  return set;
}
