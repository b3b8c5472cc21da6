/**
 * Why generated numbers read wrong: for each failure, whether the right segmentation was in the
 * lattice at all (every digit's ink a run of whole atoms), and if so whether the model misread one
 * of its candidates or the path preferred another reading. Tuning aid; training writers by default.
 * Run: npx tsx scripts/diagnose-numbers.ts [--kind ligature] [--numbers 100] [--writers training|held-out] [--verbose]
 */
import { parseArgs } from 'node:util';
import { rankClasses } from '../src/inference/classifier';
import { readCrops } from '../src/inference/read-crops';
import { chooseReading } from '../src/inference/read-number';
import { bestPath, candidateSpans, cropSpan, findAtoms, type Lattice } from '../src/pipeline/lattice';
import { scaleBox } from '../src/pipeline/boxes';
import { createRandom } from '../src/training/create-random';
import { loadModelFromFolder } from '../src/training/model-files';
import { useWasmTrainingBackend } from '../src/training/use-wasm-training-backend';
import { penWidthFor } from '../src/canvas/pen-width';
import type { InkImage } from '../src/pipeline/types';
import { writeFileSync, mkdirSync } from 'node:fs';
import { encodePng } from './lib/png';
import { loadOpenCv } from './lib/load-opencv-node';
import { DESKTOP_PAD, NUMBER_KINDS, PHONE_PAD, pickNumber, writeNumber, type NumberKind } from './lib/number-cases';
import { indexByWriter, loadPendigits } from './lib/pendigits';
import { HELD_OUT_WRITERS } from './lib/pendigits-crops';
import { rasterizeStrokes } from '../src/pipeline/rasterize-strokes';
import { loadUnipen, UNIPEN_DIGITS_PATH, unipenSplit } from './lib/unipen';
import { outweighsNotADigit } from '../src/inference/read-digits';

const { values } = parseArgs({
  options: {
    kind: { type: 'string', default: 'ligature' },
    numbers: { type: 'string', default: '100' },
    writers: { type: 'string', default: 'training' },
    model: { type: 'string', default: 'public/model' },
    seed: { type: 'string', default: '9001' },
    verbose: { type: 'boolean', default: false },
    dump: { type: 'string' },
  },
});
const kind = values.kind as NumberKind;
const training = values.writers === 'training';
await useWasmTrainingBackend();
const model = await loadModelFromFolder(values.model!);
const cv = await loadOpenCv();
const pendigits = loadPendigits().filter((d) => HELD_OUT_WRITERS.has(d.writer) !== training);
const unipen = loadUnipen(UNIPEN_DIGITS_PATH).filter((d) => (unipenSplit(d) === 'train') === training);
const writers = [...indexByWriter([...pendigits, ...unipen]).values()].filter((perLabel) => perLabel.filter((d) => d.length > 0).length >= 8);
const random = createRandom(Number(values.seed) + 5 + NUMBER_KINDS.indexOf(kind));

const tally = { n: 0, right: 0, notInLattice: 0, misread: 0, pathChose: 0 };
for (let i = 0; i < Number(values.numbers); i++) {
  const digits = pickNumber(writers[random.int(writers.length)], random);
  const pad = i % 2 === 0 ? DESKTOP_PAD : PHONE_PAD;
  const written = writeNumber(digits, kind, pad, random);
  const set = findAtoms(cv, written.image);
  const spans = candidateSpans(set.atoms, set.digitHeight);
  const candidates = spans.map((span) => {
    const { workBox, pixels } = cropSpan(cv, set, span);
    return { ...span, workBox, box: scaleBox(workBox, set.scale, written.image), pixels };
  });
  const small = 0.2 * set.digitHeight;
  const lattice: Lattice = {
    atomCount: set.atoms.length,
    digitHeight: set.digitHeight,
    candidates,
    skippable: set.atoms.map((a) => a.box.width < small && a.box.height < small),
    cutBefore: set.atoms.map((a, k) => k > 0 && set.atoms[k - 1].label === a.label),
  };
  const pixels = new Float32Array(candidates.length * 784);
  candidates.forEach((c, k) => pixels.set(c.pixels, k * 784));
  const { probabilities, classes } = readCrops(model, pixels, candidates.length);
  const predictions = candidates.map((_, k) => rankClasses(probabilities.subarray(k * classes, (k + 1) * classes)));
  const reading = chooseReading(lattice, predictions);
  const truth = written.labels.join('');
  tally.n++;
  if (reading.text === truth) {
    tally.right++;
    continue;
  }
  // Which digit owns each atom: the digit whose own ink covers most of the atom's pixels.
  const penWidth = penWidthFor(pad);
  const own = written.digitStrokes.map((s) => rasterizeStrokes(s, pad.width, pad.height, penWidth));
  const owner = set.atoms.map((atom) => {
    const votes = new Array<number>(own.length).fill(0);
    let pixelsSeen = 0;
    for (let y = atom.box.y; y < atom.box.y + atom.box.height; y++) {
      for (let x = atom.box.x; x < atom.box.x + atom.box.width; x++) {
        if (set.labels.labels[y * set.labels.width + x] !== atom.label) continue;
        pixelsSeen++;
        own.forEach((img, d) => {
          if (img.data[Math.round(y * set.scale) * img.width + Math.round(x * set.scale)] > 127) votes[d]++;
        });
      }
    }
    const best = votes.indexOf(Math.max(...votes));
    return { digit: votes[best] > 0 ? best : -1, share: votes[best] / Math.max(1, pixelsSeen), mixed: votes.filter((v) => v > 0.25 * pixelsSeen).length > 1 };
  });
  // The right path: each digit's atoms consecutive, and that span a candidate.
  const truePath: number[] = [];
  let ok = true;
  let at = 0;
  for (let d = 0; d < written.labels.length && ok; d++) {
    let end = at;
    while (end < owner.length && (owner[end].digit === d || owner[end].digit === -1)) end++;
    const k = candidates.findIndex((c) => c.from === at && c.to === end);
    if (end === at || k < 0) ok = false;
    else truePath.push(k);
    at = end;
  }
  if (at !== owner.length) ok = false;
  const describe = (k: number) => {
    const p = predictions[k];
    return `[${candidates[k].from},${candidates[k].to}) ${p.digit}@${p.confidence.toFixed(2)} nd ${p.notDigit.toFixed(2)}`;
  };
  const path = bestPath(lattice, predictions.map((p) => p.confidence), predictions.map((p) => p.notDigit), predictions.map((p) => p.mark));
  let why: string;
  if (!ok) {
    tally.notInLattice++;
    why = 'not in lattice';
  } else if (truePath.some((k, d) => predictions[k].digit !== written.labels[d] || !outweighsNotADigit(predictions[k]))) {
    tally.misread++;
    why = 'misread';
  } else {
    tally.pathChose++;
    why = 'path chose another';
  }
  console.log(`${truth} → ${reading.text}: ${why}; atoms ${owner.map((o) => `${o.digit}${o.mixed ? '*' : ''}`).join(' ')}`);
  if (values.dump) dumpFailure(values.dump, i, written.image, ok ? truePath.map((k) => candidates[k].pixels) : [], path.map((s) => candidates[s.candidate].pixels));
  if (values.verbose) {
    if (ok) console.log(`   truth: ${truePath.map(describe).join(' | ')}`);
    console.log(`   read:  ${path.map((s) => describe(s.candidate) + (s.asDigit ? '' : ' as ?')).join(' | ')}`);
  }
}
console.log(JSON.stringify(tally));

/** The number's ink (inked part, halved) above the right path's crops and the read path's crops (×3), as a PNG. */
function dumpFailure(dir: string, index: number, image: InkImage, truth: Float32Array[], read: Float32Array[]): void {
  let minX = image.width, maxX = 0, minY = image.height, maxY = 0;
  for (let y = 0; y < image.height; y++) for (let x = 0; x < image.width; x++) if (image.data[y * image.width + x] > 0) {
    minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  }
  const inkW = Math.ceil((maxX - minX + 1) / 2), inkH = Math.ceil((maxY - minY + 1) / 2);
  const width = Math.max(inkW, 86 * Math.max(truth.length, read.length, 1));
  const height = inkH + 2 * 86;
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  const set = (x: number, y: number, v: number) => { const o = (y * width + x) * 4; data[o] = data[o + 1] = data[o + 2] = 255 - v; };
  for (let y = 0; y < inkH; y++) for (let x = 0; x < inkW; x++) set(x, y, image.data[(minY + 2 * y) * image.width + minX + 2 * x] ?? 0);
  [truth, read].forEach((row, r) => row.forEach((crop, k) => {
    for (let y = 0; y < 84; y++) for (let x = 0; x < 84; x++) set(k * 86 + x, inkH + r * 86 + 1 + y, crop[Math.floor(y / 3) * 28 + Math.floor(x / 3)] * 255);
  }));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/${index}.png`, encodePng({ width, height, data }));
}
