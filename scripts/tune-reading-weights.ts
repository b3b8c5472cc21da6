/**
 * Tries the reading's "not a digit" weights (a wrong cut, a mark) on training writers only: every
 * case is read by the model once, then each pair of weights picks its paths from those readings.
 * Reports, per pair: single digits, letters and made-up marks shown without a digit, numbers exactly
 * right, and MNIST training crops as the app reads one crop. Held-out writers are never read here.
 * Run: npx tsx scripts/tune-reading-weights.ts [--model public/model] [--cases 300] [--cut 0.05,0.1,0.2] [--mark 0.1,0.3,0.5,1] [--mark-several 0.2,0.5,1] [--trimmed 1,0.5,0.2] [--pair-min-width 0,0.3]
 */
import { parseArgs } from 'node:util';
import { rankClasses, type DigitPrediction } from '../src/inference/classifier';
import { readCrops } from '../src/inference/read-crops';
import { readDigits } from '../src/inference/read-digits';
import { chooseReading } from '../src/inference/read-number';
import { PAIR_MIN_WIDTH, type Lattice, type ReadingWeights } from '../src/pipeline/lattice';
import type { InkImage } from '../src/pipeline/types';
import { createRandom } from '../src/training/create-random';
import { loadMnist } from '../src/training/load-mnist';
import { loadModelOrAverage } from '../src/training/model-files';
import { bytesToInput } from '../src/training/predict-digits';
import { useWasmTrainingBackend } from '../src/training/use-wasm-training-backend';
import { loadOpenCv } from './lib/load-opencv-node';
import { DESKTOP_PAD, NUMBER_KINDS, PHONE_PAD, pickNumber, writeNumber } from './lib/number-cases';
import { indexByWriter, loadPendigits } from './lib/pendigits';
import { HELD_OUT_WRITERS, renderOnPad } from './lib/pendigits-crops';
import { readLattice } from './lib/read-in-node';
import { makeScribble, SCRIBBLE_KINDS } from './lib/scribbles';
import { loadUnipen, UNIPEN_DIGITS_PATH, UNIPEN_NONDIGITS_PATH, unipenSplit } from './lib/unipen';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'public/model' },
    cases: { type: 'string', default: '300' },
    cut: { type: 'string', default: '0.05,0.1,0.2' },
    mark: { type: 'string', default: '0.1,0.2,0.3,0.5,0.7,1' },
    'mark-several': { type: 'string', default: '' },
    trimmed: { type: 'string', default: '1' },
    'pair-min-width': { type: 'string', default: String(PAIR_MIN_WIDTH) },
    'mnist-crops': { type: 'string', default: '20000' },
  },
});
const list = (text: string) => text.split(',').map(Number);
const perGroup = Number(values.cases);

await useWasmTrainingBackend();
const model = await loadModelOrAverage(values.model!);
const cv = await loadOpenCv();

/** One image read once: its lattice, the model's reading of every candidate, and what it should read. */
interface ReadCase {
  lattice: Lattice;
  predictions: DigitPrediction[];
  /** The digits written, or null for a mark that should show no digit. */
  truth: string | null;
}
const groups = new Map<string, ReadCase[]>();
function readOnce(group: string, image: InkImage, truth: string | null): void {
  const { lattice, predictions } = readLattice(cv, model, image);
  groups.set(group, [...(groups.get(group) ?? []), { lattice, predictions, truth }]);
}

const random = createRandom(7001);
const pick = <T>(items: readonly T[], n: number): T[] => Array.from({ length: Math.min(n, items.length) }, () => items[random.int(items.length)]);
const trainingDigits = [
  ...loadPendigits().filter((d) => !HELD_OUT_WRITERS.has(d.writer)),
  ...loadUnipen(UNIPEN_DIGITS_PATH).filter((d) => unipenSplit(d) === 'train' && !d.suspectLabel),
];
for (const d of pick(trainingDigits, perGroup)) readOnce('single digits', renderOnPad(d.strokes, random), String(d.label));
const multiStroke = trainingDigits.filter((d) => [4, 5, 7].includes(d.label) && d.strokes.length >= 2);
for (const d of pick(multiStroke, perGroup)) readOnce('4, 5, 7 in strokes (phone)', renderOnPad(d.strokes, random, [0.35, 0.7], PHONE_PAD), String(d.label));
const letters = loadUnipen(UNIPEN_NONDIGITS_PATH).filter((d) => unipenSplit(d) === 'train');
for (const s of pick(letters, perGroup)) readOnce('letters', renderOnPad(s.strokes, random), null);
for (let i = 0; i < perGroup / 4; i++) readOnce('made-up marks', renderOnPad(makeScribble(SCRIBBLE_KINDS[i % SCRIBBLE_KINDS.length], random), random), null);
const writers = [...indexByWriter(trainingDigits).values()].filter((perLabel) => perLabel.filter((d) => d.length > 0).length >= 8);
for (const kind of NUMBER_KINDS) {
  for (let i = 0; i < perGroup / 3; i++) {
    const written = writeNumber(pickNumber(writers[random.int(writers.length)], random), kind, i % 2 === 0 ? DESKTOP_PAD : PHONE_PAD, random);
    readOnce(`numbers: ${kind}`, written.image, written.labels.join(''));
  }
}
const mnist = await loadMnist('train', Number(values['mnist-crops']));
const mnistReading = readCrops(model, bytesToInput(mnist.images), mnist.count);
const mnistPredictions = Array.from({ length: mnist.count }, (_, i) => rankClasses(mnistReading.probabilities.subarray(i * mnistReading.classes, (i + 1) * mnistReading.classes)));

const right = (c: ReadCase, weights: ReadingWeights) => {
  const text = chooseReading(c.lattice, c.predictions, undefined, weights).text;
  return c.truth === null ? !/[0-9]/.test(text) : text === c.truth;
};
const names = [...groups.keys()];
console.log(`| wrong cut × | mark × | mark of several atoms × | trimmed × | pair min width | ${names.join(' | ')} | numbers, all | MNIST train as the app |`);
console.log(`|${'---|'.repeat(names.length + 7)}`);
for (const wrongCut of list(values.cut!)) {
  for (const mark of list(values.mark!)) for (const markOfSeveralAtoms of values['mark-several'] ? list(values['mark-several']) : [mark]) for (const trimmed of list(values.trimmed!)) for (const pairMinWidth of list(values['pair-min-width']!)) {
    const weights = { wrongCut, mark, markOfSeveralAtoms, trimmed, pairMinWidth };
    const shares = names.map((name) => {
      const cases = groups.get(name)!;
      return cases.filter((c) => right(c, weights)).length / cases.length;
    });
    const numberCases = names.filter((n) => n.startsWith('numbers')).flatMap((n) => groups.get(n)!);
    const numbersRight = numberCases.filter((c) => right(c, weights)).length / numberCases.length;
    const shown = readDigits(mnistPredictions, weights);
    const mnistRight = shown.filter((r, i) => r.digit === mnist.labels[i]).length / mnist.count;
    const pct = (x: number) => (100 * x).toFixed(2);
    console.log(`| ${wrongCut} | ${mark} | ${markOfSeveralAtoms} | ${trimmed} | ${pairMinWidth} | ${shares.map(pct).join(' | ')} | ${pct(numbersRight)} | ${pct(mnistRight)} |`);
  }
}
console.log(`cases per group: ${names.map((n) => `${n} ${groups.get(n)!.length}`).join(', ')}; MNIST training crops ${mnist.count}`);
