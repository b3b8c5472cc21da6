// Builds the generic replay set shipped beside the model (public/model/replay.bin): crops of
// training writers' digits, each written on a pad and cut as the app cuts it, that the model reads
// right. The classifier refuses a correction whose learning would change how any of them reads.
// `npx tsx scripts/make-replay-set.ts [--per-digit 30] [--seed 2324] [--model DIR] [--out FILE]`.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { rankClasses } from '../src/inference/classifier';
import { readCrops } from '../src/inference/read-crops';
import { chooseReading } from '../src/inference/read-number';
import { encodeReplaySet } from '../src/inference/replay-guard';
import { buildLattice } from '../src/pipeline/lattice';
import { createRandom } from '../src/training/create-random';
import { loadModelFromFolder } from '../src/training/model-files';
import { useWasmTrainingBackend } from '../src/training/use-wasm-training-backend';
import { loadOpenCv } from './lib/load-opencv-node';
import { loadPendigits, type PenDigit } from './lib/pendigits';
import { HELD_OUT_WRITERS, renderOnPad } from './lib/pendigits-crops';
import { loadUnipen, UNIPEN_DIGITS_PATH, unipenSplit } from './lib/unipen';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'public/model' },
    out: { type: 'string', default: 'public/model/replay.bin' },
    'per-digit': { type: 'string', default: '30' },
    seed: { type: 'string', default: '2324' },
  },
});
const PER_DIGIT = Number(values['per-digit']);
const PIXELS = 784;

await useWasmTrainingBackend();
const model = await loadModelFromFolder(values.model!);
const cv = await loadOpenCv();
const random = createRandom(Number(values.seed));

// Training writers only: the held-out ones measure the guard's effect (eval:personal) and must not shape it.
const pool: PenDigit[] = [
  ...loadPendigits().filter((d) => !HELD_OUT_WRITERS.has(d.writer)),
  ...loadUnipen(UNIPEN_DIGITS_PATH).filter((d) => !d.suspectLabel && unipenSplit(d) === 'train'),
];

const crops: Float32Array[] = [];
const labels: number[] = [];
for (let digit = 0; digit < 10; digit++) {
  // One sample per writer in turn, writers in a shuffled order: as many hands as the set can hold.
  const byWriter = new Map<string, PenDigit[]>();
  for (const d of pool) if (d.label === digit) byWriter.set(d.writer, [...(byWriter.get(d.writer) ?? []), d]);
  const writers = [...byWriter.keys()].sort();
  for (let i = writers.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [writers[i], writers[j]] = [writers[j], writers[i]];
  }
  let taken = 0;
  for (let round = 0; taken < PER_DIGIT && round < 20; round++) {
    for (const writer of writers) {
      if (taken >= PER_DIGIT) break;
      const sample = byWriter.get(writer)![round];
      if (!sample) continue;
      const lattice = buildLattice(cv, renderOnPad(sample.strokes, random));
      const n = lattice.candidates.length;
      if (n === 0) continue;
      const pixels = new Float32Array(n * PIXELS);
      lattice.candidates.forEach((c, k) => pixels.set(c.pixels, k * PIXELS));
      const read = readCrops(model, pixels, n, undefined);
      const predictions = lattice.candidates.map((_, k) => rankClasses(read.probabilities.subarray(k * read.classes, (k + 1) * read.classes)));
      const reading = chooseReading(lattice, predictions);
      if (reading.text !== String(digit) || reading.digits.length !== 1) continue; // Only digits the model reads right.
      crops.push(reading.digits[0].crop);
      labels.push(digit);
      taken++;
    }
  }
  console.log(`digit ${digit}: ${taken} crops from ${writers.length} writers`);
}

const flat = new Float32Array(crops.length * PIXELS);
crops.forEach((c, i) => flat.set(c, i * PIXELS));
const bytes = encodeReplaySet({ crops: flat, labels: Uint8Array.from(labels) });
await writeFile(values.out!, bytes);
console.log(`wrote ${values.out}: ${labels.length} crops, ${bytes.length} bytes`);
