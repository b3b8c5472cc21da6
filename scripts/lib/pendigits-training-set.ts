import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRandom } from '../../src/training/create-random';
import type { MnistSet } from '../../src/training/load-mnist';
import { loadOpenCv } from './load-opencv-node';
import { loadPendigits } from './pendigits';
import { HELD_OUT_WRITERS, makeCropSet } from './pendigits-crops';

/** Short hash of the pipeline's source files, so a cache of crops is remade when the pipeline changes. */
export function pipelineSourceHash(folder = 'src/pipeline'): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(folder).sort()) {
    if (!name.endsWith('.ts')) continue;
    hash.update(name);
    hash.update(readFileSync(join(folder, name)));
  }
  return hash.digest('hex').slice(0, 10);
}

/**
 * Real pen-trajectory digits of the training writers (never the held-out ones), each written
 * `variants` times at random sizes and places (strokes moved apart by up to `strokeJitter` of
 * the height) and cut out by the app's own pipeline. Cached in `cachePath`: the set depends only
 * on the data, the pipeline, `variants`, `strokeJitter` and `seed`.
 */
export async function loadPendigitsTrainingSet(variants: number, seed: number, cachePath: string, strokeJitter = 0): Promise<MnistSet> {
  if (existsSync(cachePath)) {
    const bytes = new Uint8Array(await readFile(cachePath));
    const count = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
    return { count, labels: bytes.slice(4, 4 + count), images: bytes.slice(4 + count, 4 + count + count * 784) };
  }
  const cv = await loadOpenCv();
  const digits = loadPendigits().filter((d) => !HELD_OUT_WRITERS.has(d.writer));
  const set = makeCropSet(cv, digits, variants, createRandom(seed), strokeJitter);
  const bytes = new Uint8Array(4 + set.count + set.images.length);
  new DataView(bytes.buffer).setUint32(0, set.count, true);
  bytes.set(set.labels, 4);
  bytes.set(set.images, 4 + set.count);
  await mkdir(dirname(cachePath), { recursive: true });
  await writeFile(cachePath, bytes);
  return set;
}
