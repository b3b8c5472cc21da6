// Reads generated photos of held-out writers' numbers as the app's worker reads a picture, and
// reports exact-number accuracy per condition: `npm run eval:photos [-- --per 30 --seed 1]`;
// `--writers training` reads the training writers' instead (to tune on), `--only <text>` the
// conditions whose name contains it, `--deskew rotate|shear|off` how lines are levelled,
// `--digits 1` single digits instead of 2–8-digit numbers; `--dump DIR` writes each misread photo
// and the ink found in it as PNGs.
// The photos are real pen strokes (pendigits) rendered by scripts/lib/render-photo.ts; the model
// never trained on these writers. Written to reports/eval-photos.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { rankClasses } from '../src/inference/classifier';
import { readCrops } from '../src/inference/read-crops';
import { chooseLineReadings } from '../src/inference/read-lines';
import { buildPhotoLattices } from '../src/pipeline/photo-lattice';
import { photoToInk } from '../src/pipeline/photo-to-ink';
import { DESKEW } from '../src/pipeline/photo-options';
import type { RgbaImage } from '../src/pipeline/types';
import { loadModelOrAverage } from '../src/training/model-files';
import { useWasmTrainingBackend } from '../src/training/use-wasm-training-backend';
import { loadOpenCv } from './lib/load-opencv-node';
import { HELD_OUT_WRITERS } from './lib/pendigits-crops';
import { indexByWriter, loadPendigits, seededRandom, type PenDigit } from './lib/pendigits';
import { encodePng } from './lib/png';
import { renderPhoto, type PhotoSpec } from './lib/render-photo';
import { stats, wilsonInterval } from './lib/stats';

const { values } = parseArgs({
  options: {
    per: { type: 'string', default: '30' },
    seed: { type: 'string', default: '1' },
    model: { type: 'string', default: 'public/model' },
    writers: { type: 'string', default: 'held-out' },
    only: { type: 'string', default: '' },
    deskew: { type: 'string', default: DESKEW },
    digits: { type: 'string', default: '2-8' },
    report: { type: 'string' },
    dump: { type: 'string' },
  },
});
// How many digits each number has: "2-8" (the issue's numbers) or "1" (single digits).
const [MIN_DIGITS, MAX_DIGITS] = ((range) => [range[0], range[1] ?? range[0]])(values.digits!.split('-').map(Number));
if (!(MIN_DIGITS >= 1 && MAX_DIGITS >= MIN_DIGITS)) throw new Error(`--digits must be N or MIN-MAX, got ${values.digits}`);
const PER = Number(values.per);
const SEED = Number(values.seed);

/** How each condition's photo differs from the default (ruled paper, uneven light and a shadow, mild grain). */
interface Condition extends Partial<Omit<PhotoSpec, 'lines'>> {
  /** Numbers on the page, one per line. */
  numbers?: number;
  size?: [number, number];
}
const CONDITIONS: Record<string, Condition> = {
  'plain paper, even light': { ruled: false, shade: 0, noise: 2 },
  'ruled paper, uneven light, shadow, grain': {},
  'strong shade and heavy grain': { shade: 0.6, noise: 14 },
  'thin pen': { pen: 0.04 },
  'squared paper': { grid: 40 },
  'sticky note, black ink': { paper: [250, 236, 125], ink: [25, 25, 30], ruled: false, shade: 0.3 },
  'chalkboard (light on dark)': { paper: [38, 58, 48], ink: [225, 228, 220], ruled: false, shade: 0.3, noise: 8 },
  'two numbers on two lines': { numbers: 2 },
  '4000×3000 photo': { size: [4000, 3000] },
  'rotated up to 10°': { rotate: 10 },
  'perspective tilt up to 20°': { tilt: 20 },
  'rotated 10° and tilted 20°': { rotate: 10, tilt: 20 },
  'out of focus (blur σ 1.5 px)': { blur: 1.5 },
  'JPEG quality 50–90': { jpeg: [50, 90] },
  // Added last: a condition's samples are drawn from its place in this list.
  'whiteboard, red marker, glare': { paper: [238, 241, 244], ink: [165, 30, 35], pen: 0.1, ruled: false, shade: 0.25, noise: 4, glare: 0.5 },
};
const deskew = values.deskew as typeof DESKEW;
if (!['rotate', 'shear', 'off'].includes(deskew)) throw new Error('--deskew is rotate, shear or off');
if (values.writers !== 'held-out' && values.writers !== 'training') throw new Error('--writers is held-out or training');

const cv = await loadOpenCv();
await useWasmTrainingBackend();
const model = await loadModelOrAverage(values.model!);
const heldOut = values.writers === 'held-out';
const writers = [...indexByWriter(loadPendigits().filter((d) => HELD_OUT_WRITERS.has(d.writer) === heldOut)).values()];
const SIZES: [number, number][] = [[640, 480], [800, 600], [1024, 768], [1280, 960], [1600, 1200], [900, 1200]];

function pickNumber(random: () => number, perLabel: PenDigit[][]): PenDigit[] {
  const count = MIN_DIGITS + Math.floor(random() * (MAX_DIGITS - MIN_DIGITS + 1));
  return Array.from({ length: count }, () => {
    const label = Math.floor(random() * 10);
    return perLabel[label][Math.floor(random() * perLabel[label].length)];
  });
}

const report: Record<string, unknown> = { date: new Date().toISOString(), model: values.model, writers: values.writers, digits: values.digits, deskew, seed: SEED, per: PER, conditions: {} };
const times: number[] = [];
let right = 0;
let total = 0;
for (const [name, condition] of Object.entries(CONDITIONS)) {
  if (!name.includes(values.only!)) continue;
  const random = seededRandom(SEED * 7919 + Object.keys(CONDITIONS).indexOf(name));
  let ok = 0;
  const misses: string[] = [];
  for (let i = 0; i < PER; i++) {
    const perLabel = writers[Math.floor(random() * writers.length)];
    const [width, height] = condition.size ?? SIZES[Math.floor(random() * SIZES.length)];
    const { numbers = 1, size: _size, ...look } = condition;
    const spec: PhotoSpec = { width, height, seed: Math.floor(random() * 1e9), lines: Array.from({ length: numbers }, () => pickNumber(random, perLabel)), ...look };
    const { photo, text } = renderPhoto(spec);
    const started = performance.now();
    const found = buildPhotoLattices(cv, photo, deskew);
    const candidates = found.lines.flatMap((l) => l.candidates);
    const pixels = new Float32Array(candidates.length * 784);
    candidates.forEach((c, k) => pixels.set(c.pixels, k * 784));
    const { probabilities, classes } = candidates.length > 0 ? readCrops(model, pixels, candidates.length) : { probabilities: new Float32Array(0), classes: 0 };
    const read = chooseLineReadings(found.lines, candidates.map((_, k) => rankClasses(probabilities.subarray(k * classes, (k + 1) * classes)))).text;
    times.push(performance.now() - started);
    if (read === text) ok++;
    else {
      misses.push(`${JSON.stringify(text)} → ${JSON.stringify(read)}`);
      if (values.dump) dumpMiss(values.dump, `${Object.keys(CONDITIONS).indexOf(name)}-${i}-${text.replace(/\n/g, '_')}-as-${read.replace(/\n/g, '_').replace(/\?/g, 'q')}`, photo);
    }
  }
  right += ok;
  total += PER;
  const [lo, hi] = wilsonInterval(ok, PER);
  console.log(`${name}: ${ok}/${PER} exactly right (${((100 * ok) / PER).toFixed(1)}%, ${(100 * lo).toFixed(1)}–${(100 * hi).toFixed(1)})${misses.length ? `; e.g. ${misses.slice(0, 3).join(', ')}` : ''}`);
  (report.conditions as Record<string, unknown>)[name] = { right: ok, n: PER, misses };
}
/** Writes a misread photo and the ink the app found in it (white on black) as PNGs. */
function dumpMiss(dir: string, name: string, photo: RgbaImage): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.png`), encodePng(photo));
  const { ink } = photoToInk(cv, photo);
  const data = new Uint8ClampedArray(ink.width * ink.height * 4);
  for (let p = 0; p < ink.width * ink.height; p++) data.set(ink.data[p] ? [255, 255, 255, 255] : [0, 0, 0, 255], p * 4);
  writeFileSync(join(dir, `${name}-ink.png`), encodePng({ width: ink.width, height: ink.height, data }));
}

const [lo, hi] = wilsonInterval(right, total);
console.log(`all: ${right}/${total} (${((100 * right) / total).toFixed(1)}%, ${(100 * lo).toFixed(1)}–${(100 * hi).toFixed(1)}); reading time in Node (picture → text, after decoding) ${JSON.stringify(stats(times))} ms`);
report.all = { right, n: total };
report.readingMs = stats(times);
mkdirSync('reports', { recursive: true });
writeFileSync(values.report ?? `reports/eval-photos${heldOut ? '' : '-training'}${values.digits === '2-8' ? '' : `-digits-${values.digits}`}.json`, JSON.stringify(report, null, 2));
