import { opencvScriptUrl, opencvWasmUrl } from 'virtual:opencv-files';
import { withoutThen, type CV } from '../pipeline/opencv-types';

let opencv: Promise<CV> | undefined;

/** What OpenCV.js 4.5 reads from and writes to the worker's global scope while it loads. */
interface OpenCvGlobals {
  /** Emscripten's module settings: the build calls `onRuntimeInitialized` once its wasm is ready. */
  Module?: { onRuntimeInitialized?: () => void; onAbort?: (what: unknown) => void; locateFile?: (path: string) => string };
  /** CommonJS-style slot for the UMD wrapper, which otherwise writes to `this` (undefined in a module). */
  module?: { exports: unknown };
}

/**
 * Loads OpenCV.js once per worker. The file is a UMD script; a dynamic import runs it as its own
 * chunk (not bundled into the worker, so the worker and the model start while it downloads), and
 * its wasm binary is fetched from its own file, compiled while it streams in.
 * 4.5 is used over 5.0 for size (2.5 vs 3.8 MB gzip) and start-up: see the README's benchmark.
 * Its module object is a thenable that never settles, so readiness comes from the Emscripten
 * `onRuntimeInitialized` hook, set through the global `Module` the build reads at start.
 * `onScriptRun` is told when the glue script has run (for load timings).
 */
export function loadOpenCv(onScriptRun?: () => void): Promise<CV> {
  opencv ??= new Promise<CV>((resolve, reject) => {
    const scope = globalThis as OpenCvGlobals;
    // The wrapper only takes the CommonJS branch when `module.exports` is truthy.
    const placeholder = {};
    const slot: { exports: unknown } = { exports: placeholder };
    scope.module = slot;
    scope.Module = {
      onRuntimeInitialized: () => {
        const cv = slot.exports as CV;
        if (typeof cv.Mat !== 'function') reject(new Error('OpenCV.js started without its API'));
        else resolve(withoutThen(cv));
      },
      onAbort: (what) => {
        // Emscripten then throws "abort(…)" inside a promise chain of its own; the failure reaches
        // the person through this rejection, so that copy must not surface as an uncaught error.
        globalThis.addEventListener('unhandledrejection', (event) => {
          if (typeof event.reason === 'string' && event.reason.startsWith('abort(')) event.preventDefault();
        });
        reject(new Error(`OpenCV.js failed to start: ${String(what)}`));
      },
      // The build ships the wasm as its own hashed file (build/opencv-files.ts).
      locateFile: (path) => (opencvWasmUrl && path.endsWith('.wasm') ? opencvWasmUrl : path),
    };
    import(/* @vite-ignore */ opencvScriptUrl).then(() => {
      onScriptRun?.();
      if (slot.exports === placeholder) reject(new Error('OpenCV.js did not start'));
    }, reject);
  }).finally(() => {
    const scope = globalThis as OpenCvGlobals;
    delete scope.module;
  });
  return opencv;
}

