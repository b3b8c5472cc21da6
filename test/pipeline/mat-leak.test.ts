import { beforeAll, describe, expect, it } from 'vitest';
import { indexByWriter, loadPendigits, seededRandom } from '../../scripts/lib/pendigits';
import { numberCase } from '../../scripts/lib/segmentation-cases';
import type { CV } from '../../src/pipeline/opencv-types';
import { buildLattice } from '../../src/pipeline/lattice';
import { segmentDigits } from '../../src/pipeline/segment';
import type { InkImage } from '../../src/pipeline/types';
import { countMats, type CountedOpenCv } from '../../src/worker/count-mats';
import { loadOpenCv } from '../support/opencv';

let cv: CV;
// The worker's own counter: what the leak e2e test reads in the browser, checked here in Node.
let counted: CountedOpenCv;
beforeAll(async () => {
  cv = await loadOpenCv();
  counted = countMats(cv);
});

/** Current size of the wasm heap: it only grows, so a leak shows as growth over many calls. */
function heapBytes(): number {
  const probe = new cv.Mat(1, 1, cv.CV_8UC1);
  try {
    return probe.data.buffer.byteLength;
  } finally {
    probe.delete();
  }
}

/** A mix of what the worker will see: numbers, blanks, noise, an oversized pad. */
function images(): InkImage[] {
  const writers = [...indexByWriter(loadPendigits()).values()];
  const random = seededRandom(4);
  const noise = new Uint8ClampedArray(200 * 200).map(() => (random() < 0.2 ? 255 : 0));
  return [
    ...Array.from({ length: 16 }, (_, i) => numberCase(writers[i % writers.length], 8, i, 1, 6).image),
    { width: 400, height: 600, data: new Uint8ClampedArray(400 * 600) },
    { width: 200, height: 200, data: noise },
    { width: 1500, height: 1100, data: new Uint8ClampedArray(1500 * 1100).fill(255) },
    { width: 0, height: 0, data: new Uint8Array(0) },
  ];
}

describe('OpenCV memory', () => {
  it('deletes every Mat and MatVector it creates, over 200 calls', () => {
    const inputs = images();
    // The counter must see Mats at all, or this test would pass vacuously.
    const m = new counted.cv.Mat(2, 2, cv.CV_8UC1);
    expect(counted.counts().live).toBe(1);
    m.delete();
    expect(counted.counts().live).toBe(0);

    for (let i = 0; i < 200; i++) {
      // The lattice is what the app runs; segmentDigits is the geometric reader eval compares with.
      buildLattice(counted.cv, inputs[i % inputs.length]);
      segmentDigits(counted.cv, inputs[i % inputs.length]);
      expect(counted.counts().live, `call ${i}`).toBe(0);
    }
  });

  it('does not grow the wasm heap over 200 more calls', () => {
    const inputs = images();
    for (const image of inputs) buildLattice(cv, image);
    const before = heapBytes();
    for (let i = 0; i < 200; i++) buildLattice(cv, inputs[i % inputs.length]);
    expect(heapBytes()).toBe(before);
  });
});
