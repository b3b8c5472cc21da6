// Evaluates the shipped model: `npm run eval [-- --model public/model]`: MNIST test and real pen digits through the app pipeline,
// each scored by the model alone and as the app reads them (second look). Writes reports/eval.json.
// `--model A,B` evaluates the ensemble of several model folders (their softmax outputs averaged), for comparison.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { normalizeToMnist } from '../src/pipeline/normalize';
import { evaluateDigits, measureLatency, measureReadingLatency, scoreReading, type DigitSet, type SetReport } from '../src/training/evaluate-digits';
import { loadMnist } from '../src/training/load-mnist';
import { loadModelFromFolder } from '../src/training/model-files';
import { ensembleOfModels } from '../src/training/snapshot-ensemble';
import { UNSURE_BELOW } from '../src/inference/read-digits';
import { readCrops, SECOND_LOOK_BELOW } from '../src/inference/read-crops';
import { bytesToInput } from '../src/training/predict-digits';
import { useWasmTrainingBackend } from '../src/training/use-wasm-training-backend';
import { createRandom } from '../src/training/create-random';
import { loadOpenCv } from './lib/load-opencv-node';
import { loadPendigits } from './lib/pendigits';
import { HELD_OUT_WRITERS, renderThroughPipeline } from './lib/pendigits-crops';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'public/model' },
    report: { type: 'string', default: 'reports/eval.json' },
    renderings: { type: 'string', default: '2' },
  },
});

/** MNIST test images as they are: the standard benchmark. */
async function mnistTestSet(): Promise<DigitSet> {
  const test = await loadMnist('test');
  return { name: 'mnist-test', count: test.count, pixels: bytesToInput(test.images), labels: test.labels };
}

/** MNIST test images re-normalised by the app's normalizeToMnist: checks the pipeline's last step. */
function renormalised(set: DigitSet): DigitSet {
  const pixels = new Float32Array(set.pixels.length);
  for (let i = 0; i < set.count; i++) {
    const crop = normalizeToMnist({ width: 28, height: 28, data: set.pixels.subarray(i * 784, (i + 1) * 784) });
    pixels.set(crop, i * 784);
  }
  return { ...set, name: `${set.name} (through normalizeToMnist)`, pixels };
}

/** Real pen digits of some writers, each written `renderings` times at random sizes and places on a pad and cut out by the app's pipeline. */
async function pendigitsSet(name: string, heldOut: boolean): Promise<DigitSet & { segmentationFailures: number }> {
  const cv = await loadOpenCv();
  const random = createRandom(heldOut ? 7 : 8);
  const renderings = Number(values.renderings);
  const digits = loadPendigits().filter((d) => HELD_OUT_WRITERS.has(d.writer) === heldOut);
  const crops: Float32Array[] = [];
  const labels: number[] = [];
  let segmentationFailures = 0;
  for (const digit of digits) {
    for (let r = 0; r < renderings; r++) {
      const reading = renderThroughPipeline(cv, digit, random);
      if (reading.crops.length !== 1) segmentationFailures++;
      else {
        crops.push(reading.crops[0]);
        labels.push(digit.label);
      }
    }
  }
  const pixels = new Float32Array(crops.length * 784);
  crops.forEach((crop, i) => pixels.set(crop, i * 784));
  return { name, count: crops.length, pixels, labels: Uint8Array.from(labels), segmentationFailures };
}

/** A pipeline set's report, counting renderings that did not segment into one digit as errors. */
function withSegmentationFailures(report: SetReport, failures: number): SetReport & { segmentationFailures: number } {
  const count = report.count + failures;
  const errors = report.errors + failures;
  return { ...report, count, errors, accuracy: (count - errors) / count, segmentationFailures: failures };
}

// Each entry is one labelled set.
const sets: (() => Promise<DigitSet & { segmentationFailures?: number }>)[] = [
  mnistTestSet,
  async () => renormalised(await mnistTestSet()),
  () => pendigitsSet(`pendigits held-out writers (${[...HELD_OUT_WRITERS].join(', ')}) through the pipeline`, true),
  () => pendigitsSet('pendigits training writers through the pipeline', false),
];

function printReport(report: SetReport): void {
  const failures = (report as { segmentationFailures?: number }).segmentationFailures;
  console.log(`\n${report.name}: ${(report.accuracy * 100).toFixed(2)}% (${report.errors} errors of ${report.count}${failures ? `, ${failures} not segmented into one digit` : ''})`);
  console.log(`truth\\pred ${[...Array(10).keys()].map((d) => String(d).padStart(5)).join('')}   acc`);
  report.confusion.forEach((row, d) => {
    console.log(`${String(d).padStart(10)} ${row.map((n) => String(n).padStart(5)).join('')}  ${(report.perDigit[d] * 100).toFixed(1)}%`);
  });
}

await useWasmTrainingBackend();
/** One model folder, or the average of several models' softmax outputs as one model. */
async function loadEvaluatedModel(folders: string[]): Promise<tfl.LayersModel> {
  const members = await Promise.all(folders.map((folder) => loadModelFromFolder(folder)));
  if (members.length === 1) return members[0];
  const ensemble = ensembleOfModels(members);
  members.forEach((member) => member.dispose());
  return ensemble;
}

const model = await loadEvaluatedModel(values.model!.split(','));
// Each set is scored twice: by the model alone (one view per crop) and as the app reads it (a
// second look at unsure crops); the confusion matrices printed are the app's.
const reports: SetReport[] = [];
const modelAloneReports: SetReport[] = [];
let mnistTest: DigitSet | undefined;
const sweeps: Record<string, ReturnType<typeof unsureSweep>> = {};
for (const load of sets) {
  const set = await load();
  mnistTest ??= set;
  const failures = set.segmentationFailures ?? 0;
  modelAloneReports.push(withSegmentationFailures(evaluateDigits(model, set), failures));
  const reading = readCrops(model, set.pixels, set.count);
  const report = withSegmentationFailures(scoreReading(set, reading), failures);
  printReport(report);
  reports.push(report);
  if (set.segmentationFailures !== undefined) {
    sweeps[set.name] = unsureSweep(set, reading.probabilities, [0, 0.3, 0.4, 0.5, UNSURE_BELOW, 0.7].filter((t, i, a) => a.indexOf(t) === i).sort());
  }
}

/**
 * How the app's "?" rule (a digit below UNSURE_BELOW is shown as "?") trades wrong answers for
 * "?"s on a set read as the app reads it: per threshold, the share read right, shown as "?", and read wrong.
 */
function unsureSweep(set: DigitSet, probabilities: Float32Array, thresholds: number[]): { threshold: number; right: number; unsure: number; wrong: number }[] {
  return thresholds.map((threshold) => {
    let right = 0;
    let unsure = 0;
    for (let i = 0; i < set.count; i++) {
      const row = probabilities.subarray(i * 10, i * 10 + 10);
      const best = Math.max(...row);
      if (best < threshold) unsure++;
      else if (row.indexOf(best) === set.labels[i]) right++;
    }
    return { threshold, right: right / set.count, unsure: unsure / set.count, wrong: (set.count - right - unsure) / set.count };
  });
}

for (const [name, sweep] of Object.entries(sweeps)) {
  console.log(`\n"?" rule on ${name} (app uses ${UNSURE_BELOW}; digits that segmented into one crop):`);
  console.log('| threshold | right | "?" | wrong |\n|---|---|---|---|');
  for (const r of sweep) {
    console.log(`| ${r.threshold} | ${(r.right * 100).toFixed(2)}% | ${(r.unsure * 100).toFixed(2)}% | ${(r.wrong * 100).toFixed(2)}% |`);
  }
}

const latency = { batch1: measureLatency(model, 1), batch8: measureLatency(model, 8), reading: measureReadingLatency(model, mnistTest!) };
console.log(`\nwasm latency, model alone: ${latency.batch1.toFixed(3)} ms/digit at batch 1, ${latency.batch8.toFixed(3)} ms/digit at batch 8`);
console.log(
  `as the app reads (second look below ${SECOND_LOOK_BELOW}), one digit per call: ${latency.reading.meanMs.toFixed(3)} ms/digit on average over MNIST test digits, ` +
    `${latency.reading.unsureMedianMs.toFixed(3)} ms for a digit that gets a second look`,
);

console.log('\n| set | model alone | as the app reads (second look) | second looks |\n|---|---|---|---|');
reports.forEach((r, i) => {
  const alone = modelAloneReports[i];
  console.log(
    `| ${r.name} | ${(alone.accuracy * 100).toFixed(2)}% (${alone.errors}/${alone.count}) | ${(r.accuracy * 100).toFixed(2)}% (${r.errors}/${r.count}) | ${r.secondLooks} |`,
  );
});

await mkdir(dirname(values.report!), { recursive: true });
await writeFile(
  values.report!,
  `${JSON.stringify({ date: new Date().toISOString(), model: values.model, backend: tf.getBackend(), parameters: model.countParams(), latencyMsPerDigit: latency, sets: reports, modelAlone: modelAloneReports, secondLookBelow: SECOND_LOOK_BELOW, unsureSweeps: sweeps }, null, 2)}\n`,
);
console.log(`wrote ${values.report}`);
