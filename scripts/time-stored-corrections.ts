// The classifier's time to take 500 stored corrections (the latest 20 per label kept: 200), cold
// (every crop and its views embedded, as at the first start of a new model) and with their kept
// prototypes (as at every later start), in Node on the tfjs wasm backend: `npx tsx scripts/time-stored-corrections.ts [runs]`.
// The worker's share of start-up only; the browser's (transfer, IndexedDB) is `npm run bench`'s.
import { join } from 'node:path';
import { loadDigitClassifier, type CorrectionPrototypes } from '../src/inference/classifier';
import { augmentCrop } from '../src/inference/augment-crop';
import { modelFingerprint } from '../src/inference/model-fingerprint';
import { loadMnist } from '../src/training/load-mnist';
import { readModelFolder } from '../src/training/model-files';
import { bytesToInput } from '../src/training/predict-digits';
import { useWasmTrainingBackend } from '../src/training/use-wasm-training-backend';
import { cropToBytes, cropToFloats } from '../src/ui/corrections-file';
import { stats } from './lib/stats';

const STORED = 500;
const PIXELS = 784;

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 5);
  await useWasmTrainingBackend();
  const artifacts = await readModelFolder(join(process.cwd(), 'public/model'));
  const classifier = await loadDigitClassifier({ load: async () => artifacts });
  const mnist = await loadMnist('test', STORED);
  const pixels = bytesToInput(mnist.images);
  // Quantised to bytes and back, as the app stores them.
  const stored = Array.from({ length: STORED }, (_, i) => ({ label: mnist.labels[i], crop: cropToBytes(pixels.slice(i * PIXELS, (i + 1) * PIXELS)) }));
  const kept = new Map<number, CorrectionPrototypes>();
  const cold: number[] = [];
  const cached: number[] = [];
  const time = (withPrototypes: boolean) => {
    const list = stored.map((c, i) => {
      const p = withPrototypes ? kept.get(i) : undefined;
      return { label: c.label, crop: cropToFloats(c.crop), ...(p ? { prototypes: { model: p.model, embeddings: p.embeddings.slice() } } : {}) };
    });
    const started = performance.now();
    const result = classifier.setCorrections(list);
    const ms = performance.now() - started;
    for (const { index, prototypes } of result.computed) kept.set(index, prototypes);
    return { ms, result };
  };
  for (let r = 0; r < runs; r++) {
    const c = time(false);
    cold.push(c.ms);
    const w = time(true);
    cached.push(w.ms);
    if (r === 0) console.log(`kept ${c.result.kept}; cold: ${c.result.computed.length} embedded (${c.result.computed.length * augmentCrop(new Float32Array(PIXELS)).length} crops); with prototypes: ${w.result.reused} reused, ${w.result.computed.length} embedded`);
  }
  const started = performance.now();
  modelFingerprint(artifacts, {});
  const fingerprintMs = performance.now() - started;
  const show = (name: string, values: number[]) => {
    const s = stats(values);
    console.log(`${name}: median ${s.median} ms, min ${s.min}, max ${s.max} (${values.map((v) => v.toFixed(1)).join(', ')})`);
  };
  show('setCorrections(500), cold (every crop embedded)', cold);
  show('setCorrections(500), with kept prototypes', cached);
  console.log(`the model's fingerprint (once per load): ${fingerprintMs.toFixed(1)} ms`);
}

void main();
