import { NUMBER_SAMPLES, placedNumber } from './support/samples';
import { expect, test, workerStats } from './support/hooks';
import { WorkerHeap } from './support/worker-heap';

// The worker is the same on a phone; one project is enough for a long run.
test.skip(({ isMobile }) => isMobile, 'runs on the desktop project only');

/** Readings in the measured run, as the issue asks. */
const READINGS = 1_000;
/** Readings before the first measurement: the first calls size the wasm heaps and caches. */
const WARM_UP = 20;
/**
 * Most the worker may hold, wasm heaps and JS heap together. Measured: 128 MiB for OpenCV.js (its
 * build reserves that at start), 16 MiB for tfjs, ~18 MiB of JS heap, so ~162 MiB; the bound
 * leaves room for a library update, and growth anywhere fails the exact checks below first.
 */
const WORKER_MEMORY_BOUND_BYTES = 256 * 2 ** 20;
/** JS heap growth allowed over the run, after a full GC: V8's own caches move by some KiB. */
const JS_HEAP_SLACK_BYTES = 1 * 2 ** 20;

/**
 * Presses Recognize `count` times in the page, waiting for each reading, and returns the texts
 * read that differ from `expected` (there should be none) and the time taken.
 */
function pressRecognize({ count, expected }: { count: number; expected: string }): Promise<{ wrong: string[]; ms: number }> {
  const button = document.querySelector<HTMLButtonElement>('[data-testid="recognize"]')!;
  const result = document.querySelector<HTMLOutputElement>('[data-testid="result"]')!;
  const idle = () =>
    new Promise<void>((resolve, reject) => {
      if (result.getAttribute('aria-busy') === 'false') return resolve();
      const timer = setTimeout(() => reject(new Error('a reading took over 30 s')), 30_000);
      const observer = new MutationObserver(() => {
        if (result.getAttribute('aria-busy') !== 'false') return;
        observer.disconnect();
        clearTimeout(timer);
        resolve();
      });
      observer.observe(result, { attributes: true, attributeFilter: ['aria-busy'] });
    });
  return (async () => {
    const wrong: string[] = [];
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      button.click(); // Marks the result busy at once; it clears when this reading is shown.
      await idle();
      if (result.textContent !== expected) wrong.push(result.textContent ?? '');
    }
    return { wrong, ms: performance.now() - started };
  })();
}

test(`${READINGS} readings leave no tensor, no OpenCV Mat and no memory behind`, async ({ app, page }) => {
  test.setTimeout(300_000);
  await app.draw(placedNumber(NUMBER_SAMPLES.ids, await app.padSize()).flat());
  const text = await app.read();
  expect(text).toBe(NUMBER_SAMPLES.text);

  // Runs in the page (no round trip per reading); it must not use anything from this file.
  const heap = await WorkerHeap.attach(page);
  await page.evaluate(pressRecognize, { count: WARM_UP, expected: text });
  const before = await workerStats(page);
  const jsBefore = await heap.usedAfterGc('recognizer.worker');
  const classifierJsBefore = await heap.usedAfterGc('classifier.worker');
  const { wrong, ms } = await page.evaluate(pressRecognize, { count: READINGS, expected: text });
  const after = await workerStats(page);
  const jsAfter = await heap.usedAfterGc('recognizer.worker');
  const classifierJsAfter = await heap.usedAfterGc('classifier.worker');
  test.info().annotations.push(
    { type: 'time', description: `${READINGS} readings in ${(ms / 1000).toFixed(1)} s (${(ms / READINGS).toFixed(1)} ms each)` },
    { type: 'before', description: JSON.stringify(before) },
    { type: 'after', description: JSON.stringify(after) },
    { type: 'worker JS heap', description: `${jsBefore} → ${jsAfter} bytes after GC` },
    { type: 'classifier worker JS heap', description: `${classifierJsBefore} → ${classifierJsAfter} bytes after GC` },
  );

  expect(wrong, 'every reading gives the same text').toEqual([]);
  expect(after.recognitions - before.recognitions, 'one worker reading per press').toBe(READINGS);
  expect(after.numTensors, 'tfjs tensors').toBe(before.numTensors);
  // The count is not vacuous: each reading of five digits makes dozens of Mats.
  expect(after.matsCreated - before.matsCreated).toBeGreaterThan(10 * READINGS);
  expect(before.liveMats, 'OpenCV Mats alive').toBe(0);
  expect(after.liveMats, 'OpenCV Mats alive').toBe(0);
  // wasm memory never shrinks: any leak the counters missed would show as growth.
  expect(after.opencvHeapBytes, 'OpenCV wasm heap').toBe(before.opencvHeapBytes);
  expect(after.tfjsHeapBytes, 'tfjs wasm heap').toBe(before.tfjsHeapBytes);
  expect(jsAfter - jsBefore, 'worker JS heap growth').toBeLessThan(JS_HEAP_SLACK_BYTES);
  expect(classifierJsAfter - classifierJsBefore, 'classifier worker JS heap growth').toBeLessThan(JS_HEAP_SLACK_BYTES);
  const total = after.opencvHeapBytes + after.tfjsHeapBytes + jsAfter + classifierJsAfter;
  expect(total, 'worker memory').toBeLessThan(WORKER_MEMORY_BOUND_BYTES);
});
