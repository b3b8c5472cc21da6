// Measures learning a person's handwriting: `npm run eval:personal`. Simulates people: each
// held-out writer's digits are written one by one, in the order they wrote them, and read as the
// app reads (the lattice, one batched call, the best path) with the corrections made so far;
// whenever the reading is wrong the person corrects it, as the app lets them (the crop it read gets
// the right label). Scored on the writer's later digits, which are never corrected, and on digits
// the person never wrote (MNIST test, the other writers). Writes reports/eval-personal.json. See --help.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { augmentCrop, CORRECTION_VIEWS, type AugmentOptions } from '../src/inference/augment-crop';
import { createEmbedder, rankClasses } from '../src/inference/classifier';
import { blendRows, classOfLabel, keepLatestPerLabel, PROTOTYPE_RADIUS, PROTOTYPE_WEIGHT, type BlendOptions, type CorrectionLabel, type Prototype } from '../src/inference/personal-prototypes';
import { readCrops } from '../src/inference/read-crops';
import { parseReplaySet, REPLAY_FILE, replayHarms, type ReplayReading } from '../src/inference/replay-guard';
import { readDigits } from '../src/inference/read-digits';
import { chooseReading } from '../src/inference/read-number';
import { buildLattice, type Lattice } from '../src/pipeline/lattice';
import { createRandom, type Random } from '../src/training/create-random';
import { loadMnist } from '../src/training/load-mnist';
import { loadModelFromFolder } from '../src/training/model-files';
import { bytesToInput } from '../src/training/predict-digits';
import { useWasmTrainingBackend } from '../src/training/use-wasm-training-backend';
import { loadOpenCv } from './lib/load-opencv-node';
import { loadPendigits, type PenDigit } from './lib/pendigits';
import { HELD_OUT_WRITERS, renderOnPad } from './lib/pendigits-crops';
import { wilsonInterval } from './lib/stats';
import { loadUnipen, UNIPEN_DIGITS_PATH, unipenSplit } from './lib/unipen';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'public/model' },
    report: { type: 'string', default: 'reports/eval-personal.json' },
    writers: { type: 'string', default: 'held-out' },
    'max-writers': { type: 'string', default: '1000' },
    'min-digits': { type: 'string', default: '40' },
    'max-digits': { type: 'string', default: '250' },
    mnist: { type: 'string', default: '2000' },
    others: { type: 'string', default: '600' },
    radius: { type: 'string', default: String(PROTOTYPE_RADIUS) },
    weight: { type: 'string', default: String(PROTOTYPE_WEIGHT) },
    shifts: { type: 'string', default: (CORRECTION_VIEWS.shifts ?? []).join(',') },
    rotations: { type: 'string', default: (CORRECTION_VIEWS.rotations ?? []).join(',') },
    thicker: { type: 'string', default: String(CORRECTION_VIEWS.thicker ?? false) },
    guard: { type: 'string', default: 'true' },
    seed: { type: 'string', default: '2323' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(`Usage: npm run eval:personal -- [--writers held-out|training] [--max-writers N] [--min-digits N] [--max-digits N per writer]
    [--mnist N] [--others N] [--radius R] [--weight W] [--shifts 1,2] [--rotations 8] [--thicker true|false]
    [--guard true|false] [--seed S] [--model DIR] [--report FILE]
  --writers training: the same on training writers, to tune the options without touching held-out writers
  --shifts / --rotations / --thicker: the views of each corrected crop that become prototypes
    (pixels, degrees; '' for none; the defaults are the app's CORRECTION_VIEWS)
  --guard false: learn every correction, even one that changes how a crop of the model's replay set reads
  --mnist / --others: how many MNIST test digits / other writers' later digits are read after each writer's adaptation`);
  process.exit(0);
}
const SEED = Number(values.seed);
const number = (name: keyof typeof values) => Number(values[name]);
const blend: BlendOptions = { radius: number('radius'), weight: number('weight') };
const list = (text: string | undefined) => (text ?? '').split(',').filter((t) => t.trim() !== '').map(Number);
const views: AugmentOptions = { shifts: list(values.shifts), rotations: list(values.rotations), thicker: values.thicker === 'true' };
/** Corrections after which the writer's later digits are scored. */
const CHECKPOINTS = [5, 10, 20] as const;
/** The share of each writer's digits replayed (and corrected); the rest are scored, never corrected. */
const REPLAYED = 0.6;
const PIXELS = 784;

/** One written digit, read once by the model: all that is needed to read it again with any corrections. */
interface CachedInk {
  label: number;
  lattice: Lattice;
  probabilities: Float32Array;
  classes: number;
  embeddings: Float32Array;
}

await useWasmTrainingBackend();
const model = await loadModelFromFolder(values.model!);
const embedder = createEmbedder(model);
const cv = await loadOpenCv();
const started = performance.now();
// The replay set the app checks each correction against, read once (as the classifier does).
const replayReading: ReplayReading | undefined = values.guard === 'true' ? await readReplay() : undefined;
async function readReplay(): Promise<ReplayReading> {
  const replay = parseReplaySet(new Uint8Array(await readFile(join(values.model!, REPLAY_FILE))));
  const read = readCrops(model, replay.crops, replay.labels.length, embedder);
  return { labels: replay.labels, probabilities: read.probabilities, classes: read.classes, embeddings: read.embeddings! };
}

/** Writes the digit on a pad, cuts it as the app does and reads every candidate once (embeddings too). */
function writeAndRead(digit: PenDigit, random: Random): CachedInk {
  const lattice = buildLattice(cv, renderOnPad(digit.strokes, random));
  const n = lattice.candidates.length;
  const pixels = new Float32Array(n * PIXELS);
  lattice.candidates.forEach((c, i) => pixels.set(c.pixels, i * PIXELS));
  const read = n > 0 ? readCrops(model, pixels, n, embedder) : { probabilities: new Float32Array(0), classes: 11, embeddings: new Float32Array(0) };
  return { label: digit.label, lattice, probabilities: read.probabilities, classes: read.classes, embeddings: read.embeddings! };
}

/** The ink read as the app reads it with `prototypes`: the text and the digits with their candidates' indices. */
function readInk(ink: CachedInk, prototypes: readonly Prototype[]) {
  const { classes } = ink;
  const probabilities = prototypes.length > 0 ? blendRows(ink.probabilities, classes, ink.embeddings, prototypes, blend) : ink.probabilities;
  const predictions = ink.lattice.candidates.map((_, i) => rankClasses(probabilities.subarray(i * classes, (i + 1) * classes)));
  const reading = chooseReading(ink.lattice, predictions);
  return { text: reading.text, digits: reading.digits.map((d) => ({ box: d.box, candidate: ink.lattice.candidates.findIndex((c) => c.pixels === d.crop) })) };
}

/** The embeddings of a candidate's crop and its augmented views: the prototypes one correction gives, as the app makes them. */
function embeddingsOf(ink: CachedInk, candidate: number): Float32Array[] {
  const crops = augmentCrop(ink.lattice.candidates[candidate].pixels, views);
  const pixels = new Float32Array(crops.length * PIXELS);
  crops.forEach((c, i) => pixels.set(c, i * PIXELS));
  const embeddings = readCrops(model, pixels, crops.length, embedder).embeddings!;
  const size = embeddings.length / crops.length;
  return crops.map((_, i) => embeddings.slice(i * size, (i + 1) * size));
}

const errorsOn = (inks: readonly CachedInk[], prototypes: readonly Prototype[]) => inks.filter((ink) => readInk(ink, prototypes).text !== String(ink.label)).length;

// The writers: held out (never trained or tuned on) unless tuning.
const unipen = loadUnipen(UNIPEN_DIGITS_PATH).filter((d) => !d.suspectLabel);
const TUNING = values.writers === 'training';
const pool: PenDigit[] = TUNING
  ? [...loadPendigits().filter((d) => !HELD_OUT_WRITERS.has(d.writer)), ...unipen.filter((d) => unipenSplit(d) === 'train')]
  : [...loadPendigits().filter((d) => HELD_OUT_WRITERS.has(d.writer)), ...unipen.filter((d) => unipenSplit(d) !== 'train')];
const byWriter = new Map<string, PenDigit[]>();
for (const d of pool) byWriter.set(d.writer, [...(byWriter.get(d.writer) ?? []), d]); // File order: the order they wrote them.
const writerNames = [...byWriter.keys()].filter((w) => byWriter.get(w)!.length >= number('min-digits')).slice(0, number('max-writers'));

const random = createRandom(SEED);
const writers = writerNames.map((name) => {
  const inks = byWriter.get(name)!.slice(0, number('max-digits')).map((d) => writeAndRead(d, random));
  const split = Math.round(inks.length * REPLAYED);
  return { name, replayed: inks.slice(0, split), later: inks.slice(split) };
});
console.log(`${writers.length} ${values.writers} writers with ≥ ${values['min-digits']} digits (${writers.reduce((n, w) => n + w.replayed.length + w.later.length, 0)} digits) written and read in ${((performance.now() - started) / 1000).toFixed(0)} s`);

// MNIST test digits, read as the app reads a crop alone.
const mnist = await loadMnist('test', number('mnist'));
const mnistRead = readCrops(model, bytesToInput(mnist.images), mnist.count, embedder);
const mnistErrors = (prototypes: readonly Prototype[]) => {
  const probabilities = prototypes.length > 0 ? blendRows(mnistRead.probabilities, mnistRead.classes, mnistRead.embeddings!, prototypes, blend) : mnistRead.probabilities;
  const c = mnistRead.classes;
  const readings = readDigits(Array.from({ length: mnist.count }, (_, i) => rankClasses(probabilities.subarray(i * c, (i + 1) * c))));
  return readings.filter((r, i) => r.digit !== mnist.labels[i]).length;
};
const mnistBase = mnistErrors([]);

/** Other writers' later digits, a fixed spread sample for each writer (never their own). */
function othersOf(name: string): CachedInk[] {
  const others = writers.filter((w) => w.name !== name).flatMap((w) => w.later);
  const step = Math.max(1, others.length / number('others'));
  return Array.from({ length: Math.min(others.length, number('others')) }, (_, i) => others[Math.floor(i * step)]);
}

interface WriterResult {
  name: string;
  replayed: number;
  later: number;
  /** Errors on the replayed digits with no correction: how badly the writer is read, chosen without looking at the scored digits. */
  replayedErrorsBefore: number;
  laterErrorsBefore: number;
  /** Errors on the later digits after k corrections (or all the corrections the replay gave, if fewer). */
  laterErrorsAfter: Record<number, { corrections: number; errors: number }>;
  /** Corrections the person made, and how many of them the replay guard refused. */
  corrections: number;
  refused: number;
  mnistErrorsAfter: number;
  others: { n: number; errorsBefore: number; errorsAfter: number };
}

const results: WriterResult[] = [];
for (const writer of writers) {
  const corrections: { embeddings: Float32Array[]; label: CorrectionLabel }[] = [];
  let prototypes: Prototype[] = [];
  const after: WriterResult['laterErrorsAfter'] = {};
  const laterErrorsBefore = errorsOn(writer.later, []);
  const replayedErrorsBefore = errorsOn(writer.replayed, []);
  let made = 0;
  let refused = 0;
  const correct = (embeddings: Float32Array[], label: CorrectionLabel) => {
    made++;
    const next = keepLatestPerLabel([...corrections, { embeddings, label }], (c) => classOfLabel(c.label));
    const nextPrototypes = next.flatMap((c) => c.embeddings.map((embedding) => ({ embedding, classIndex: classOfLabel(c.label) })));
    if (replayReading && replayHarms(replayReading, prototypes, nextPrototypes, blend.radius).length > 0) refused++; // The app refuses it: nothing learned.
    else {
      corrections.push({ embeddings, label });
      prototypes = nextPrototypes;
    }
    const due = CHECKPOINTS.find((k) => k === made);
    if (due !== undefined) after[due] = { corrections: due, errors: errorsOn(writer.later, prototypes) };
  };
  for (const ink of writer.replayed) {
    if (made >= CHECKPOINTS[CHECKPOINTS.length - 1]) break;
    const reading = readInk(ink, prototypes);
    if (reading.text === String(ink.label) || reading.digits.length === 0) continue; // Right, or nothing a person could correct.
    // The person corrects the widest card to the digit they wrote, and any other card to "not a digit".
    const widest = reading.digits.reduce((best, d, i) => (d.box.width > reading.digits[best].box.width ? i : best), 0);
    reading.digits.forEach((d, i) => {
      if (i === widest) correct(embeddingsOf(ink, d.candidate), ink.label);
      else if (made < CHECKPOINTS[CHECKPOINTS.length - 1]) correct(embeddingsOf(ink, d.candidate), 'none');
    });
  }
  // Fewer corrections than a checkpoint asks: scored with all it made.
  const finalErrors = errorsOn(writer.later, prototypes);
  for (const k of CHECKPOINTS) if (!after[k]) after[k] = { corrections: Math.min(k, made), errors: finalErrors };
  const others = othersOf(writer.name);
  results.push({
    name: writer.name,
    replayed: writer.replayed.length,
    later: writer.later.length,
    replayedErrorsBefore,
    laterErrorsBefore,
    laterErrorsAfter: after,
    corrections: made,
    refused,
    mnistErrorsAfter: mnistErrors(prototypes),
    others: { n: others.length, errorsBefore: errorsOn(others, []), errorsAfter: errorsOn(others, prototypes) },
  });
}

/** An error rate with its Wilson 95% interval, as text. */
function rate(errors: number, n: number): string {
  const [lo, hi] = wilsonInterval(errors, n);
  return `${((100 * errors) / Math.max(1, n)).toFixed(2)}% (${errors}/${n}; ${(100 * lo).toFixed(1)}–${(100 * hi).toFixed(1)})`;
}

/** Ratio of errors after to before over a group of writers, with a 95% bootstrap interval over writers. */
function ratio(group: readonly WriterResult[], k: number): string {
  const of = (g: readonly WriterResult[]) => g.reduce((n, r) => n + r.laterErrorsAfter[k].errors, 0) / Math.max(1, g.reduce((n, r) => n + r.laterErrorsBefore, 0));
  const resample = createRandom(SEED + k);
  const draws = Array.from({ length: 2000 }, () => of(group.map(() => group[resample.int(group.length)]))).sort((a, b) => a - b);
  return `×${of(group).toFixed(2)} (${draws[50].toFixed(2)}–${draws[1949].toFixed(2)})`;
}

function summarize(name: string, group: readonly WriterResult[]) {
  const later = group.reduce((n, r) => n + r.later, 0);
  const before = group.reduce((n, r) => n + r.laterErrorsBefore, 0);
  console.log(`\n${name}: ${group.length} writers, ${later} later digits; error before ${rate(before, later)}`);
  const rows: Record<string, unknown> = { writers: group.length, laterDigits: later, errorsBefore: before };
  for (const k of CHECKPOINTS) {
    const errors = group.reduce((n, r) => n + r.laterErrorsAfter[k].errors, 0);
    const reached = group.filter((r) => r.laterErrorsAfter[k].corrections === k).length;
    const mean = group.reduce((n, r) => n + r.laterErrorsAfter[k].corrections, 0) / Math.max(1, group.length);
    console.log(`  after ≤ ${k} corrections (mean ${mean.toFixed(1)}; ${reached} writers made ${k}): ${rate(errors, later)}, errors ${ratio(group, k)}`);
    rows[`after${k}`] = { errors, meanCorrections: mean, writersReaching: reached };
  }
  return rows;
}

const report: Record<string, unknown> = { date: new Date().toISOString(), model: values.model, writers: values.writers, seed: SEED, blend, views, guard: values.guard === 'true', replayedShare: REPLAYED };
report.all = summarize(`all ${values.writers} writers`, results);
// The worst-read fifth, ranked on their replayed digits (not on the scored ones: no regression to the mean in the figure).
const worst = [...results].sort((a, b) => b.replayedErrorsBefore / b.replayed - a.replayedErrorsBefore / a.replayed).slice(0, Math.max(1, Math.round(results.length / 5)));
report.worstFifth = { ...summarize('worst-read 20% (ranked on their replayed digits)', worst), names: worst.map((w) => w.name) };

const made = results.reduce((n, r) => n + r.corrections, 0);
const refusedAll = results.reduce((n, r) => n + r.refused, 0);
console.log(`\ncorrections made: ${made}; refused by the replay guard: ${refusedAll}${replayReading ? ` (${replayReading.labels.length} replay crops)` : ' (guard off)'}`);
report.corrections = { made, refused: refusedAll, guard: replayReading !== undefined };
const mnistDrops = results.map((r) => (100 * (r.mnistErrorsAfter - mnistBase)) / mnist.count);
const otherDrops = results.map((r) => (100 * (r.others.errorsAfter - r.others.errorsBefore)) / Math.max(1, r.others.n));
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
console.log(`\ngeneral accuracy after each writer's adaptation (points lost; + is worse):`);
console.log(`  MNIST test (${mnist.count}, base error ${rate(mnistBase, mnist.count)}): mean ${mean(mnistDrops).toFixed(3)}, worst ${Math.max(...mnistDrops).toFixed(3)}`);
console.log(`  other writers' later digits (${results[0]?.others.n ?? 0} per writer): mean ${mean(otherDrops).toFixed(3)}, worst ${Math.max(...otherDrops).toFixed(3)}`);
report.general = {
  mnist: { n: mnist.count, baseErrors: mnistBase, meanPointsLost: mean(mnistDrops), worstPointsLost: Math.max(...mnistDrops) },
  otherWriters: { nPerWriter: results[0]?.others.n ?? 0, meanPointsLost: mean(otherDrops), worstPointsLost: Math.max(...otherDrops) },
};
report.perWriter = results;
console.log(`\n${((performance.now() - started) / 1000).toFixed(0)} s in all`);
await mkdir(dirname(values.report!), { recursive: true });
await writeFile(values.report!, `${JSON.stringify(report, null, 2)}\n`);
console.log(`wrote ${values.report}`);
