import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { OPENCV_WASM_NAME, splitOpenCv } from '../../build/opencv-files';

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
