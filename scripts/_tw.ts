import { photo, PHOTOS } from '../test/support/photos';
import { loadOpenCv } from './lib/load-opencv-node';
import { rankClasses } from '../src/inference/classifier';
import { readCrops } from '../src/inference/read-crops';
import { chooseLineReadings } from '../src/inference/read-lines';
import { buildPhotoLattices } from '../src/pipeline/photo-lattice';
import { loadModelFromFolder } from '../src/training/model-files';
import { useWasmTrainingBackend } from '../src/training/use-wasm-training-backend';
const cv = await loadOpenCv();
await useWasmTrainingBackend();
const model = await loadModelFromFolder('public/model');
for (const how of ['off', 'rotate', 'shear'] as const) for (const [name, spec] of Object.entries(PHOTOS)) {
  const { photo: p, text } = photo(spec);
  const { lines } = buildPhotoLattices(cv, p, how);
  const candidates = lines.flatMap((l) => l.candidates);
  const pixels = new Float32Array(candidates.length * 784);
  candidates.forEach((c, k) => pixels.set(c.pixels, k * 784));
  const { probabilities, classes } = readCrops(model, pixels, candidates.length);
  const read = chooseLineReadings(lines, candidates.map((_, k) => rankClasses(probabilities.subarray(k * classes, (k + 1) * classes)))).text;
  console.log(how, name, JSON.stringify(text), JSON.stringify(read), read === text);
}
