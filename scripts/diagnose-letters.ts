/**
 * Why letters read as digits: per failure, the lattice's size, whether the whole ink is a
 * candidate, and how the whole ink reads. Tuning aid on training writers.
 * Run: npx tsx scripts/diagnose-letters.ts [--letters 400] [--writers training|held-out]
 */
import { parseArgs } from 'node:util';
import { rankClasses } from '../src/inference/classifier';
import { readCrops } from '../src/inference/read-crops';
import { chooseReading } from '../src/inference/read-number';
import { buildLattice } from '../src/pipeline/lattice';
import { createRandom } from '../src/training/create-random';
import { loadModelFromFolder } from '../src/training/model-files';
import { useWasmTrainingBackend } from '../src/training/use-wasm-training-backend';
import { loadOpenCv } from './lib/load-opencv-node';
import { renderOnPad } from './lib/pendigits-crops';
import { loadUnipen, UNIPEN_NONDIGITS_PATH, unipenSplit } from './lib/unipen';
import { outweighsNotADigit } from '../src/inference/read-digits';

const { values } = parseArgs({ options: { letters: { type: 'string', default: '400' }, writers: { type: 'string', default: 'training' }, model: { type: 'string', default: 'public/model' } } });
await useWasmTrainingBackend();
const model = await loadModelFromFolder(values.model!);
const cv = await loadOpenCv();
const random = createRandom(9004);
const all = loadUnipen(UNIPEN_NONDIGITS_PATH).filter((d) => (unipenSplit(d) === 'train') === (values.writers === 'training'));
const tally: Record<string, number> = {};
for (let i = 0; i < Number(values.letters); i++) {
  const s = all[random.int(all.length)];
  const image = renderOnPad(s.strokes, random);
  const lattice = buildLattice(cv, image);
  const n = lattice.candidates.length;
  if (n === 0) continue;
  const pixels = new Float32Array(n * 784);
  lattice.candidates.forEach((c, k) => pixels.set(c.pixels, k * 784));
  const { probabilities, classes } = readCrops(model, pixels, n);
  const predictions = lattice.candidates.map((_, k) => rankClasses(probabilities.subarray(k * classes, (k + 1) * classes)));
  const reading = chooseReading(lattice, predictions);
  if (!/[0-9]/.test(reading.text)) continue;
  const whole = lattice.candidates.findIndex((c) => c.from === 0 && c.to === lattice.atomCount);
  const kind = whole < 0 ? 'whole not a candidate' : !outweighsNotADigit(predictions[whole]) ? 'whole reads ?, path chose pieces' : 'whole reads as a digit';
  tally[kind] = (tally[kind] ?? 0) + 1;
  const w = lattice.candidates.reduce((a, c) => Math.max(a, c.workBox.x + c.workBox.width), 0) - Math.min(...lattice.candidates.map((c) => c.workBox.x));
  console.log(`${s.char} → ${reading.text}: ${kind}; atoms ${lattice.atomCount}, width/height ${(w / lattice.digitHeight).toFixed(2)}${whole >= 0 ? `, whole ${predictions[whole].digit}@${predictions[whole].confidence.toFixed(2)} nd ${predictions[whole].notDigit.toFixed(2)}` : ''}`);
}
console.log(JSON.stringify(tally));
