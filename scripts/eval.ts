// Evaluates the shipped model: `npm run eval [-- --model public/model]`. Writes reports/eval-mnist.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { normalizeToMnist } from '../src/pipeline/normalize';
import { evaluateDigits, measureLatency, type DigitSet, type SetReport } from '../src/training/evaluateDigits';
import { loadMnist } from '../src/training/loadMnist';
import { loadModelFromFolder } from '../src/training/modelFiles';
import { bytesToInput } from '../src/training/predictDigits';
import { useWasmBackend } from '../src/training/useWasmBackend';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'public/model' },
    report: { type: 'string', default: 'reports/eval-mnist.json' },
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

// Each entry is one labelled set; sets of real drawings run through the app pipeline can be added here.
const sets: (() => Promise<DigitSet>)[] = [mnistTestSet, async () => renormalised(await mnistTestSet())];

function printReport(report: SetReport): void {
  console.log(`\n${report.name}: ${(report.accuracy * 100).toFixed(2)}% (${report.errors} errors of ${report.count})`);
  console.log(`truth\\pred ${[...Array(10).keys()].map((d) => String(d).padStart(5)).join('')}   acc`);
  report.confusion.forEach((row, d) => {
    console.log(`${String(d).padStart(10)} ${row.map((n) => String(n).padStart(5)).join('')}  ${(report.perDigit[d] * 100).toFixed(1)}%`);
  });
}

await useWasmBackend();
const model = await loadModelFromFolder(values.model!);
const reports: SetReport[] = [];
for (const load of sets) {
  const report = evaluateDigits(model, await load());
  printReport(report);
  reports.push(report);
}
const latency = { batch1: measureLatency(model, 1), batch8: measureLatency(model, 8) };
console.log(`\nwasm latency: ${latency.batch1.toFixed(3)} ms/digit at batch 1, ${latency.batch8.toFixed(3)} ms/digit at batch 8`);

console.log('\n| set | accuracy | errors |\n|---|---|---|');
for (const r of reports) console.log(`| ${r.name} | ${(r.accuracy * 100).toFixed(2)}% | ${r.errors}/${r.count} |`);

await mkdir(dirname(values.report!), { recursive: true });
await writeFile(
  values.report!,
  `${JSON.stringify({ date: new Date().toISOString(), model: values.model, backend: tf.getBackend(), parameters: model.countParams(), latencyMsPerDigit: latency, sets: reports }, null, 2)}\n`,
);
console.log(`wrote ${values.report}`);
