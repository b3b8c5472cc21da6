import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { runInThisContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { deferBindingCode, OPENCV_WASM_NAME, splitOpenCv } from '../../build/opencv-files';
import { indexByWriter, loadPendigits } from '../../scripts/lib/pendigits';
import { numberCase } from '../../scripts/lib/segmentation-cases';
import { withoutThen, type CV } from '../../src/pipeline/opencv-types';
import { segmentDigits } from '../../src/pipeline/segment';
import { loadOpenCv } from '../support/opencv';

describe('splitting OpenCV.js into glue and wasm (build/opencv-files.ts)', () => {
  const stock = readFileSync(createRequire(import.meta.url).resolve('@techstark/opencv-js/dist/opencv.js'), 'utf8');

  it('takes out the one embedded binary: a valid wasm module, and glue that asks for it by name', () => {
    const { glue, wasm } = splitOpenCv(stock);
    expect(Array.from(wasm.subarray(0, 4))).toEqual([0x00, 0x61, 0x73, 0x6d]); // "\0asm"
    expect(WebAssembly.validate(wasm)).toBe(true);
    expect(glue).not.toMatch(/data:application\/octet-stream;base64,[A-Za-z0-9+/]/);
    expect(glue).toContain(`var wasmBinaryFile=${JSON.stringify(OPENCV_WASM_NAME)}`);
    // Together they are smaller than the stock file: base64 costs a third.
    expect(glue.length + wasm.length).toBeLessThan(stock.length * 0.8);
  });

  it('refuses a script without exactly one embedded binary, rather than shipping a broken build', () => {
    expect(() => splitOpenCv('var wasmBinaryFile="opencv.wasm";')).toThrow(/exactly one embedded wasm/);
    const twice = `${stock};var again="data:application/octet-stream;base64,AGFzbQ==";`;
    expect(() => splitOpenCv(twice)).toThrow(/exactly one embedded wasm/);
  });
});

describe('deferring OpenCV.js binding code to first use (build/opencv-files.ts)', () => {
  const stockPath = createRequire(import.meta.url).resolve('@techstark/opencv-js/dist/opencv.js');
  const stock = readFileSync(stockPath, 'utf8');

  /**
   * Runs an OpenCV.js script text the way Node's require would, and waits for its runtime. Its
   * settings object `Module` is a parameter: otherwise the script shares the global one with the
   * stock copy already loaded, and registers every binding a second time.
   */
  function startOpenCv(script: string): Promise<CV> {
    const module = { exports: {} as CV & { onRuntimeInitialized?: () => void } };
    const run = runInThisContext(`(function (module, exports, require, __dirname, __filename, Module) {${script}\n})`) as (
      ...args: unknown[]
    ) => void;
    run(module, module.exports, createRequire(stockPath), dirname(stockPath), stockPath, {});
    return new Promise((resolve) => {
      module.exports.onRuntimeInitialized = () => resolve(withoutThen(module.exports));
    });
  }

  let stockCv: CV;
  let deferredCv: CV;
  beforeAll(async () => {
    stockCv = await loadOpenCv();
    deferredCv = await startOpenCv(deferBindingCode(stock));
  }, 60_000);

  it('segments real numbers exactly as the stock build does', () => {
    const writers = [...indexByWriter(loadPendigits()).values()];
    for (let index = 0; index < 12; index++) {
      const { image } = numberCase(writers[index % writers.length], 5, index);
      const deferred = segmentDigits(deferredCv, image);
      expect(deferred.digits.length).toBeGreaterThan(0);
      expect(deferred).toEqual(segmentDigits(stockCv, image));
    }
  });

  it('still checks how many arguments a binding gets, naming it', () => {
    const mat = new deferredCv.Mat(4, 4, deferredCv.CV_8UC1);
    try {
      expect(() => (deferredCv.threshold as (...args: unknown[]) => unknown)(mat, mat)).toThrow(/threshold/);
    } finally {
      mat.delete();
    }
  });

  it('refuses a script whose binding makers it cannot find, rather than shipping it unchanged', () => {
    expect(() => deferBindingCode('var notEmbind = 1;')).toThrow(/exactly one craftInvokerFunction/);
    const twice = `${stock};function makeDynCaller(dynCall){}`;
    expect(() => deferBindingCode(twice)).toThrow(/exactly one makeDynCaller/);
  });
});
