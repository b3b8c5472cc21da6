/** The OpenCV.js module, passed in by whoever loaded it (the worker, a test, a script). */
export type CV = typeof import('@techstark/opencv-js');

/**
 * OpenCV.js 4.x's module object has a `then` that calls back with the module itself, so a promise
 * resolved with it never settles. Dropping `then` (once the runtime is ready) makes it a plain value.
 */
export function withoutThen(cv: CV): CV {
  delete (cv as { then?: unknown }).then;
  return cv;
}
