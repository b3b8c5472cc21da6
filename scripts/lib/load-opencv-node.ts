import { createRequire } from 'node:module';
import { withoutThen, type CV } from '../../src/pipeline/opencv-types';

let loading: Promise<CV> | undefined;

/**
 * Loads OpenCV.js once per test file. A plain `import` hangs or throws under Vitest, so it goes
 * through `createRequire`. 5.0 exports a Promise of the module; 4.x builds (the app's) export the
 * module itself, ready once `onRuntimeInitialized` fires (their `then` never settles: it is dropped).
 */
export function loadOpenCv(): Promise<CV> {
  loading ??= new Promise<CV>((resolve, reject) => {
    const exported = createRequire(import.meta.url)('@techstark/opencv-js') as unknown;
    if (exported instanceof Promise) {
      exported.then((cv: CV) => resolve(cv), reject);
      return;
    }
    const cv = exported as CV & { onRuntimeInitialized?: () => void };
    if (typeof cv.Mat === 'function') resolve(withoutThen(cv));
    else cv.onRuntimeInitialized = () => resolve(withoutThen(cv));
  });
  return loading;
}
