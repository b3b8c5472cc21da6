import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPENCV_WASM_NAME, splitOpenCv, withoutEval } from '../../build/opencv-files';
import { indexByWriter, loadPendigits } from '../../scripts/lib/pendigits';
import { numberCase } from '../../scripts/lib/segmentation-cases';
import { withoutThen, type CV } from '../../src/pipeline/opencv-types';
import { buildLattice } from '../../src/pipeline/lattice';
import { loadOpenCv } from '../support/opencv';

const stockPath = createRequire(import.meta.url).resolve('@techstark/opencv-js/dist/opencv.js');
const stock = readFileSync(stockPath, 'utf8');

describe('splitting OpenCV.js into glue and wasm (build/opencv-files.ts)', () => {

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

describe('OpenCV.js without eval (build/opencv-files.ts)', () => {
  /**
   * Runs an OpenCV.js script text the way Node's require would, in a context of its own where
   * `eval` and `new Function` throw (as under a Content-Security-Policy without 'unsafe-eval'),
   * and waits for its runtime.
   */
  function startWithoutEval(script: string): Promise<CV> {
    const context = createContext(
      { console, process, Buffer, WebAssembly, TextDecoder, performance, setTimeout, clearTimeout },
      { codeGeneration: { strings: false, wasm: true } },
    );
    const module = { exports: {} as CV & { onRuntimeInitialized?: () => void } };
    const run = runInContext(`(function (module, exports, require, __dirname, __filename) {${script}\n})`, context) as (
      ...args: unknown[]
    ) => void;
    run(module, module.exports, createRequire(stockPath), dirname(stockPath), stockPath);
    return new Promise((resolve) => {
      module.exports.onRuntimeInitialized = () => resolve(withoutThen(module.exports));
    });
  }

  let stockCv: CV;
  let evalFreeCv: CV;
  beforeAll(async () => {
    stockCv = await loadOpenCv();
    evalFreeCv = await startWithoutEval(withoutEval(stock));
  }, 60_000);

  it('needs eval as it comes: the stock build cannot start where code generation is off', () => {
    // The control for the test below: the context really refuses eval, and the stock build uses it.
    expect(() => startWithoutEval(stock)).toThrow(/Code generation from strings disallowed/);
  });

  it('builds the same lattice of real numbers as the stock build does, without eval', () => {
    const writers = [...indexByWriter(loadPendigits()).values()];
    for (let index = 0; index < 12; index++) {
      const { image } = numberCase(writers[index % writers.length], 5, index);
      const evalFree = buildLattice(evalFreeCv, image);
      expect(evalFree.candidates.length).toBeGreaterThan(0);
      expect(evalFree).toEqual(buildLattice(stockCv, image));
    }
  });

  it('still checks how many arguments a binding gets, naming it', () => {
    const mat = new evalFreeCv.Mat(4, 4, evalFreeCv.CV_8UC1);
    try {
      expect(() => (evalFreeCv.threshold as (...args: unknown[]) => unknown)(mat, mat)).toThrow(/threshold/);
    } finally {
      mat.delete();
    }
  });

  it('refuses a script whose helpers it cannot find, rather than shipping it unchanged', () => {
    expect(() => withoutEval('var notEmbind = 1;')).toThrow(/exactly one craftInvokerFunction/);
    const twice = `${stock};function makeDynCaller(dynCall){}`;
    expect(() => withoutEval(twice)).toThrow(/exactly one makeDynCaller/);
  });
});
