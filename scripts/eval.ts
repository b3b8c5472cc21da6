// Evaluates the shipped model and reader: `npm run eval [-- --model public/model]`. Every figure on
// real handwriting is on writers the model never trained on, read as the app reads (the lattice,
// one batched call, the best path), in Node. Writes reports/eval.json. See --help.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { readCrops } from '../src/inference/read-crops';
import { evaluateDigits, measureLatency, scoreReading, type DigitSet, type SetReport } from '../src/training/evaluate-digits';
import { createRandom, type Random } from '../src/training/create-random';
import { loadMnist } from '../src/training/load-mnist';
import { loadModelOrAverage } from '../src/training/model-files';
import { bytesToInput } from '../src/training/predict-digits';
import { useWasmTrainingBackend } from '../src/training/use-wasm-training-backend';
import { loadOpenCv } from './lib/load-opencv-node';
import { DESKTOP_PAD, NUMBER_KINDS, PHONE_PAD, pickNumber, writeNumber } from './lib/number-cases';
import { indexByWriter, loadPendigits, type PenDigit } from './lib/pendigits';
import { HELD_OUT_WRITERS, renderOnPad } from './lib/pendigits-crops';
import { createGeometricReader, createNodeReader } from './lib/read-in-node';
import { makeScribble, SCRIBBLE_KINDS } from './lib/scribbles';
import { stats, wilsonInterval } from './lib/stats';
import { HELD_OUT_CONTRIBUTOR, loadUnipen, UNIPEN_DIGITS_PATH, UNIPEN_NONDIGITS_PATH, unipenSplit, type UnipenSample } from './lib/unipen';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'public/model' },
    report: { type: 'string', default: 'reports/eval.json' },
    numbers: { type: 'string', default: '200' },
    letters: { type: 'string', default: '2000' },
    scribbles: { type: 'string', default: '40' },
    'max-singles': { type: 'string', default: '100000' },
    seed: { type: 'string', default: '9001' },
    reader: { type: 'string', default: 'lattice' },
    writers: { type: 'string', default: 'held-out' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(`Usage: npm run eval -- [--model DIR[,DIR…] (several: their average)] [--numbers N per kind] [--letters N per group] [--scribbles N per kind] [--max-singles N per group] [--seed S] [--reader lattice|as-written|geometric] [--writers held-out|training] [--report FILE]
  --writers training: the same figures on training writers, for tuning the reader's settings without touching held-out writers
  --reader as-written: the lattice without the second look at leaning writing redrawn upright, for comparison
  --reader geometric: the segmentation before the lattice (blobs grouped by geometry alone), for comparison`);
  process.exit(0);
}
const SEED = Number(values.seed);
const count = (name: string) => Number(values[name as keyof typeof values]);

/** A share with its 95% interval, as text. */
function share(successes: number, n: number): string {
  const [lo, hi] = wilsonInterval(successes, n);
  return `${((100 * successes) / Math.max(1, n)).toFixed(2)}% (${successes}/${n}; 95% CI ${(lo * 100).toFixed(1)}–${(hi * 100).toFixed(1)})`;
}

/** A tally of right answers, by class and by what was read instead. */
interface Tally {
  n: number;
  right: number;
  perClass: { n: number; right: number }[];
  /** "truth→read" counts of the misreadings. */
  confusions: Record<string, number>;
}
const newTally = (): Tally => ({ n: 0, right: 0, perClass: Array.from({ length: 10 }, () => ({ n: 0, right: 0 })), confusions: {} });
function record(tally: Tally, truth: string, read: string, label?: number): void {
  tally.n++;
  const ok = read === truth;
  if (ok) tally.right++;
  else tally.confusions[`${truth}→${read || '(nothing)'}`] = (tally.confusions[`${truth}→${read || '(nothing)'}`] ?? 0) + 1;
  if (label !== undefined) {
    tally.perClass[label].n++;
    if (ok) tally.perClass[label].right++;
  }
}
const topConfusions = (t: Tally, k = 12) =>
  Object.entries(t.confusions)
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([pair, n]) => `${pair} ×${n}`)
    .join(', ');

await useWasmTrainingBackend();
const model = await loadModelOrAverage(values.model!);
const cv = await loadOpenCv();
const read = values.reader === 'geometric' ? createGeometricReader(cv, model) : createNodeReader(cv, model, { upright: values.reader !== 'as-written' });
const report: Record<string, unknown> = { date: new Date().toISOString(), model: values.model, backend: tf.getBackend(), seed: SEED, reader: values.reader, writers: values.writers };

// 1. MNIST test: the standard benchmark, by the model alone and as the app reads a crop.
const mnist = await loadMnist('test');
const mnistSet: DigitSet = { name: 'MNIST test', count: mnist.count, pixels: bytesToInput(mnist.images), labels: mnist.labels };
const mnistAlone = evaluateDigits(model, mnistSet);
const mnistApp = scoreReading(mnistSet, readCrops(model, mnistSet.pixels, mnistSet.count));
console.log(`MNIST test: model alone ${share(mnistAlone.count - mnistAlone.errors, mnistAlone.count)}; as the app reads a crop ${share(mnistApp.count - mnistApp.errors, mnistApp.count)}`);
report.mnist = { modelAlone: brief(mnistAlone), asTheAppReads: brief(mnistApp) };
function brief(r: SetReport) {
  return { count: r.count, accuracy: r.accuracy, errors: r.errors, perDigit: r.perDigit, secondLooks: r.secondLooks };
}

// 2. Held-out writers' single digits, each written once on a random common pad and read as the app reads.
const unipenDigits = loadUnipen(UNIPEN_DIGITS_PATH).filter((d) => !d.suspectLabel);
const TUNING = values.writers === 'training';
const groups: { name: string; digits: PenDigit[] }[] = TUNING
  ? [
      { name: 'pendigits training writers (tuning only)', digits: loadPendigits().filter((d) => !HELD_OUT_WRITERS.has(d.writer)) },
      { name: 'UNIPEN training writers (tuning only)', digits: unipenDigits.filter((d) => unipenSplit(d) === 'train') },
    ]
  : [
      { name: `pendigits held-out writers (${HELD_OUT_WRITERS.size} of 30)`, digits: loadPendigits().filter((d) => HELD_OUT_WRITERS.has(d.writer)) },
      { name: 'UNIPEN held-out writers (a fifth of 7 sources)', digits: unipenDigits.filter((d) => unipenSplit(d) === 'held-out-writer') },
      { name: `UNIPEN held-out source "${HELD_OUT_CONTRIBUTOR}" (every writer)`, digits: unipenDigits.filter((d) => unipenSplit(d) === 'held-out-source') },
    ];
const writersOf = (digits: readonly PenDigit[]) => new Set(digits.map((d) => d.writer)).size;
const singles: Record<string, Tally & { writers: number }> = {};
const latticeSizes: number[] = [];
const candidatesPerImage: number[] = [];
console.log(`\n| single digits, ${values.writers} | writers | read right | top confusions |\n|---|---|---|---|`);
for (const group of groups) {
  const random = createRandom(SEED + 1);
  const digits = group.digits.slice(0, count('max-singles'));
  const tally = newTally();
  for (const digit of digits) {
    const reading = read(renderOnPad(digit.strokes, random));
    latticeSizes.push(reading.cost.atoms);
    candidatesPerImage.push(reading.cost.candidates);
    record(tally, String(digit.label), reading.text, digit.label);
  }
  singles[group.name] = { ...tally, writers: writersOf(digits) };
  console.log(`| ${group.name} | ${writersOf(digits)} | ${share(tally.right, tally.n)} | ${topConfusions(tally, 8)} |`);
}
report.singles = singles;
console.log('\nper class (read right):');
for (const [name, t] of Object.entries(singles)) {
  console.log(`  ${name}: ${t.perClass.map((c, d) => `${d} ${((100 * c.right) / Math.max(1, c.n)).toFixed(1)}%`).join(', ')}`);
}

// 3. Digits written in several strokes (4, 5, 7): read as one digit on the desktop pad and the phone pad.
const heldOutDigits = groups.flatMap((g) => g.digits);
const multiStroke = heldOutDigits.filter((d) => [4, 5, 7].includes(d.label) && d.strokes.length >= 2);
const oneDigit: Record<string, { n: number; oneDigit: number; right: number }> = {};
for (const [padName, pad] of [
  ['desktop pad', DESKTOP_PAD],
  ['phone pad (390×844)', PHONE_PAD],
] as const) {
  const random = createRandom(SEED + 2);
  const t = { n: 0, oneDigit: 0, right: 0 };
  for (const digit of multiStroke) {
    const text = read(renderOnPad(digit.strokes, random, [0.35, 0.7], pad)).text;
    t.n++;
    if (text.length === 1) t.oneDigit++;
    if (text === String(digit.label)) t.right++;
  }
  oneDigit[padName] = t;
  console.log(`\n4s, 5s and 7s in several strokes, ${values.writers}, ${padName}: one digit ${share(t.oneDigit, t.n)}; right ${share(t.right, t.n)}`);
}
report.multiStrokeSingles = oneDigit;

// 4. Letters and symbols of held-out writers, and made-up marks: nothing but "?" should be shown.
const noDigit = (text: string) => !/[0-9]/.test(text);
const letters = loadUnipen(UNIPEN_NONDIGITS_PATH);
const letterGroups: [string, UnipenSample[]][] = TUNING ? [['letters and symbols, UNIPEN training writers (tuning only)', letters.filter((d) => unipenSplit(d) === 'train')]] : [
  ['letters and symbols, UNIPEN held-out writers', letters.filter((d) => unipenSplit(d) === 'held-out-writer')],
  [`letters and symbols, UNIPEN held-out source "${HELD_OUT_CONTRIBUTOR}"`, letters.filter((d) => unipenSplit(d) === 'held-out-source')],
];
const rejected: Record<string, { n: number; noDigit: number; writers: number; readAs: Record<string, number> }> = {};
for (const [name, samples] of letterGroups) {
  const random = createRandom(SEED + 3);
  const picked = spread(samples, count('letters'), random);
  const t = { n: 0, noDigit: 0, writers: writersOf(picked), readAs: {} as Record<string, number> };
  for (const s of picked) {
    const text = read(renderOnPad(s.strokes, random)).text;
    t.n++;
    if (noDigit(text)) t.noDigit++;
    else t.readAs[`${s.char}→${text}`] = (t.readAs[`${s.char}→${text}`] ?? 0) + 1;
  }
  rejected[name] = t;
  const worst = Object.entries(t.readAs).sort((a, b) => b[1] - a[1]).slice(0, 10).map(([k, v]) => `${k} ×${v}`).join(', ');
  console.log(`\n${name} (${t.writers} writers): shown as "?" or nothing ${share(t.noDigit, t.n)}; read as digits: ${worst}`);
}
{
  const random = createRandom(SEED + 4);
  for (const kind of SCRIBBLE_KINDS) {
    const t = { n: 0, noDigit: 0, writers: 0, readAs: {} as Record<string, number> };
    for (let i = 0; i < count('scribbles'); i++) {
      const text = read(renderOnPad(makeScribble(kind, random), random)).text;
      t.n++;
      if (noDigit(text)) t.noDigit++;
      else t.readAs[text] = (t.readAs[text] ?? 0) + 1;
    }
    rejected[`made-up: ${kind}`] = t;
    console.log(`made-up ${kind}: shown as "?" or nothing ${share(t.noDigit, t.n)}`);
  }
}
report.notDigits = rejected;

// 5. Numbers of 2–10 digits by held-out writers, per kind of writing, on the desktop and phone pads.
const numberWriters = [...indexByWriter(heldOutDigits).values()].filter((perLabel) => perLabel.filter((d) => d.length > 0).length >= 8);
const numbers: Record<string, Tally> = {};
const numberTimes: number[] = [];
console.log(`\n| numbers of 2–10 digits, ${numberWriters.length} ${values.writers} writers | exactly right | top confusions |\n|---|---|---|`);
const allNumbers = newTally();
for (const kind of NUMBER_KINDS) {
  const random = createRandom(SEED + 5 + NUMBER_KINDS.indexOf(kind));
  const t = newTally();
  for (let i = 0; i < count('numbers'); i++) {
    const digits = pickNumber(numberWriters[random.int(numberWriters.length)], random);
    const written = writeNumber(digits, kind, i % 2 === 0 ? DESKTOP_PAD : PHONE_PAD, random);
    const started = performance.now();
    const text = read(written.image).text;
    numberTimes.push(performance.now() - started);
    record(t, written.labels.join(''), text);
    record(allNumbers, written.labels.join(''), text);
  }
  numbers[kind] = t;
  console.log(`| ${kind} | ${share(t.right, t.n)} | ${topConfusions(t, 4)} |`);
}
console.log(`| all kinds | ${share(allNumbers.right, allNumbers.n)} | |`);
report.numbers = { perKind: numbers, all: { n: allNumbers.n, right: allNumbers.right } };

const latency = { batch1: measureLatency(model, 1), batch8: measureLatency(model, 8) };
report.latency = { modelMsPerDigit: latency, numberReadingMs: stats(numberTimes), atomsPerSingle: stats(latticeSizes), candidatesPerSingle: stats(candidatesPerImage) };
console.log(`\nwasm, model alone: ${latency.batch1.toFixed(3)} ms/digit at batch 1, ${latency.batch8.toFixed(3)} at batch 8`);
console.log(`reading a number in Node (lattice + model + path): ${JSON.stringify(stats(numberTimes))} ms`);
console.log(`single digits: atoms ${JSON.stringify(stats(latticeSizes))}, candidates ${JSON.stringify(stats(candidatesPerImage))}`);

await mkdir(dirname(values.report!), { recursive: true });
await writeFile(values.report!, `${JSON.stringify(report, null, 2)}\n`);
console.log(`wrote ${values.report}`);

/** Up to `n` samples spread over writers: round-robin across writers, so no one hand dominates. */
function spread<T extends { writer: string }>(samples: readonly T[], n: number, random: Random): T[] {
  const byWriter = new Map<string, T[]>();
  for (const s of samples) byWriter.set(s.writer, [...(byWriter.get(s.writer) ?? []), s]);
  const queues = [...byWriter.values()].map((own) => [...own].sort(() => random.next() - 0.5));
  const out: T[] = [];
  while (out.length < n && queues.some((q) => q.length > 0)) {
    for (const q of queues) if (q.length > 0 && out.length < n) out.push(q.pop()!);
  }
  return out;
}

